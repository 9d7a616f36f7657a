/**
 * EventReport content: what the agent writes for one EventSource, where (managed-cluster copy or
 * management-cluster copy) and whether a stored report already says the same. Pure.
 */
import {
  type ClusterType,
  clusterTypeLower,
  type EventReport,
  type EventReportSpec,
  LIB_API_VERSION,
  Labels,
  type ObjectReference,
  reportName,
  SVELTOS_NAMESPACE,
} from '../../api/index.js';
import type { KubeObject } from '../../kube/index.js';

export const EVENT_REPORT_KIND = 'EventReport';
export const EVENT_SOURCE_KIND = 'EventSource';

/** Which cluster the report lives in and under which name. */
export type ReportPlacement =
  /** Push placement: `projectsveltos/<eventSource>` in the managed cluster. */
  | { kind: 'managed' }
  /** Agentless: `<cluster ns>/<capi|sveltos>--<eventSource>--<cluster>` in the management cluster. */
  | { kind: 'management' };

export interface ClusterRef {
  clusterName: string;
  clusterNamespace: string;
  clusterType: ClusterType;
}

/** Go `json.Marshal` of a map: keys sorted at every level, HTML characters escaped. */
export function goJson(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    return (JSON.stringify(v) ?? 'null').replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
  }
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${goJson(k)}:${goJson(o[k])}`).join(',')}}`;
}

/**
 * `spec.resources`: every object as one-line JSON followed by a `---` line, base64 (Go []byte in
 * JSON). Readers that split on `---` and trim (libsveltos) and readers that split on `---` lines
 * (controllers/event) both work; a `---` inside a JSON string never stands on its own line.
 */
export function encodeResources(objs: readonly KubeObject[]): string {
  return Buffer.from(objs.map((o) => `${goJson(o)}\n---\n`).join(''), 'utf8').toString('base64');
}

/** The objects of `spec.resources` (for consumers and tests). */
export function decodeResources(b64: string | undefined): KubeObject[] {
  if (!b64) return [];
  return Buffer.from(b64, 'base64')
    .toString('utf8')
    .split(/^---$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => JSON.parse(s) as KubeObject);
}

export function matchingRef(o: KubeObject): ObjectReference {
  return {
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
    ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata?.name ?? '',
  };
}

/** The name and namespace of the report of `eventSource` for one placement. */
export function reportLocation(
  placement: ReportPlacement,
  eventSource: string,
  cluster: ClusterRef,
): { namespace: string; name: string } {
  switch (placement.kind) {
    case 'managed':
      return { namespace: SVELTOS_NAMESPACE, name: eventSource };
    case 'management':
      return {
        namespace: cluster.clusterNamespace,
        name: reportName(eventSource, cluster.clusterName, cluster.clusterType),
      };
  }
}

export function reportLabels(eventSource: string, cluster: ClusterRef): Record<string, string> {
  return {
    [Labels.eventSourceName]: eventSource,
    [Labels.eventReportClusterName]: cluster.clusterName,
    [Labels.eventReportClusterType]: clusterTypeLower(cluster.clusterType),
  };
}

/** The spec the agent owns (cloudEvents are appended by the NATS watcher and kept as found). */
export function reportSpec(
  eventSource: string,
  cluster: ClusterRef,
  matches: readonly KubeObject[],
  collectResources: boolean,
): EventReportSpec {
  return {
    clusterNamespace: cluster.clusterNamespace,
    clusterName: cluster.clusterName,
    clusterType: cluster.clusterType,
    eventSourceName: eventSource,
    matchingResources: matches.map(matchingRef),
    ...(collectResources && matches.length > 0 ? { resources: encodeResources(matches) } : {}),
  };
}

function sameRefs(a: readonly ObjectReference[] = [], b: readonly ObjectReference[] = []): boolean {
  if (a.length !== b.length) return false;
  return a.every(
    (r, i) =>
      r.apiVersion === b[i].apiVersion &&
      r.kind === b[i].kind &&
      (r.namespace ?? '') === (b[i].namespace ?? '') &&
      r.name === b[i].name,
  );
}

/** Whether the stored report already holds `spec` (cloudEvents ignored) and the labels. */
export function reportUpToDate(
  stored: EventReport | undefined,
  spec: EventReportSpec,
  labels: Record<string, string>,
): boolean {
  if (!stored?.spec) return false;
  const s = stored.spec;
  const have = stored.metadata?.labels ?? {};
  return (
    s.clusterName === spec.clusterName &&
    s.clusterNamespace === spec.clusterNamespace &&
    s.clusterType === spec.clusterType &&
    s.eventSourceName === spec.eventSourceName &&
    (s.resources ?? '') === (spec.resources ?? '') &&
    sameRefs(s.matchingResources, spec.matchingResources) &&
    Object.entries(labels).every(([k, v]) => have[k] === v)
  );
}

/** The report object to create or update (keeps the stored cloudEvents and resourceVersion). */
export function desiredReport(
  location: { namespace: string; name: string },
  spec: EventReportSpec,
  labels: Record<string, string>,
  stored: EventReport | undefined,
): EventReport {
  const meta = stored?.metadata ?? {};
  return {
    apiVersion: LIB_API_VERSION,
    kind: EVENT_REPORT_KIND,
    metadata: {
      ...meta,
      name: location.name,
      namespace: location.namespace,
      labels: { ...(meta.labels ?? {}), ...labels },
    },
    spec: { ...spec, ...(stored?.spec?.cloudEvents ? { cloudEvents: stored.spec.cloudEvents } : {}) },
    ...(stored?.status ? { status: stored.status } : {}),
  };
}
