import {
  type ConnectionStatus,
  DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD,
  Labels,
  type SveltosCluster,
} from '../../api/index.js';

/** What the probe of a cluster found: its version, or why it could not be reached. */
export type Probe =
  | {
      readonly ok: true;
      readonly gitVersion: string;
      /** Reachable, but a readiness check did not pass (only asked while not ready). */
      readonly notReady?: string;
    }
  | { readonly ok: false; readonly message: string };

export interface Intervals {
  /** Re-check of a ready cluster. Default 60 s. */
  readyMs: number;
  /** Re-check of a cluster not ready yet. Default 10 s. */
  notReadyMs: number;
}

export const defaultIntervals: Intervals = { readyMs: 60_000, notReadyMs: 10_000 };

/** The status fields this controller owns, as a merge patch (`null` clears a field). */
export interface StatusPatch {
  ready?: boolean;
  version?: string;
  connectionStatus?: ConnectionStatus;
  connectionFailures?: number;
  failureMessage?: string | null;
}

export interface Plan {
  /** Undefined when the status already says it. */
  readonly status: StatusPatch | undefined;
  /** The `projectsveltos.io/k8s-version` label value to write, when it differs. */
  readonly versionLabel: string | undefined;
  readonly ready: boolean;
  /** After a success: when to look again. Failures are retried by the queue's backoff. */
  readonly requeueAfterMs: number | undefined;
}

/** `vX.Y.Z` of a gitVersion such as `v1.35.0+k3s1`; undefined when it has no such prefix. */
export function versionLabelValue(gitVersion: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(gitVersion);
  return m ? `v${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/**
 * Decides a SveltosCluster's status from one probe. A success resets the failure count and marks
 * the cluster Healthy and, once its readiness checks pass, ready (ready stays true afterwards, as
 * upstream: a cluster that is Down keeps its add-ons; liveness checks count as connection failures). A failure counts one more consecutive failure and turns the cluster Down at
 * `spec.consecutiveFailureThreshold` (default 3).
 */
export function decide(cluster: SveltosCluster, probe: Probe, intervals: Intervals = defaultIntervals): Plan {
  const cur = cluster.status ?? {};
  const want: StatusPatch = {};
  let versionLabel: string | undefined;
  if (probe.ok) {
    if (!probe.notReady) want.ready = true;
    want.version = probe.gitVersion;
    want.connectionStatus = 'Healthy';
    want.connectionFailures = 0;
    want.failureMessage = probe.notReady ?? null;
    const label = versionLabelValue(probe.gitVersion);
    if (label && cluster.metadata?.labels?.[Labels.k8sVersion] !== label) versionLabel = label;
  } else {
    const failures = (cur.connectionFailures ?? 0) + 1;
    const threshold = cluster.spec?.consecutiveFailureThreshold ?? DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD;
    want.connectionFailures = failures;
    want.failureMessage = probe.message;
    if (failures >= threshold) want.connectionStatus = 'Down';
  }
  const status: StatusPatch = {};
  for (const [k, v] of Object.entries(want) as [keyof StatusPatch, unknown][]) {
    const old = (cur as Record<string, unknown>)[k];
    if (v === null ? old !== undefined && old !== null && old !== '' : old !== v) (status as any)[k] = v;
  }
  const ready = (probe.ok && !probe.notReady) || cur.ready === true;
  return {
    status: Object.keys(status).length > 0 ? status : undefined,
    versionLabel,
    ready,
    requeueAfterMs: probe.ok ? (ready ? intervals.readyMs : intervals.notReadyMs) : undefined,
  };
}
