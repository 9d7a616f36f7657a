import { parse as parseYaml } from 'yaml';
import {
  type ClusterId,
  KubeconfigSecretError,
  kubeconfigFromSecret,
  Labels,
  type Secret,
  type SveltosCluster,
  secretType,
  sveltosKubeconfigSecretName,
  sveltosTypes,
} from '../../api/index.js';
import { type Clock, systemClock } from '../../lib/clock.js';
import { errorMessage, FlotillaError, UsageError } from '../../lib/errors.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';
import {
  Controller,
  type InformerFactory,
  type Logger,
  Outcome,
  type RateLimitOptions,
  type ReconcileContext,
  splitKey,
} from '../../runtime/index.js';
import type { Registry } from 'prom-client';
import { LuaEngine } from '../../engine/lua/index.js';
import type { ClusterConnections } from '../clusters/connections.js';
import { decideActiveWindow, type WindowPlan } from './active-window.js';
import { runClusterChecks } from './checks.js';
import { CronError } from './cron.js';
import { registerClusterMetrics } from './metrics.js';
import { decide, defaultIntervals, type Intervals, type Probe } from './decide.js';

/** A managed cluster could not be reached (or its kubeconfig not used): retried with backoff. */
export class ClusterUnreachableError extends FlotillaError {
  override readonly name = 'ClusterUnreachableError';
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super('cluster-unreachable', message, options);
  }
}

export interface SveltosClusterControllerOptions {
  /** The management cluster. */
  mgmt: KubeClient;
  /** Informers of the management cluster (the SveltosCluster informer is taken from it). */
  informers: InformerFactory;
  connections: ClusterConnections;
  logger?: Logger;
  clock?: Clock;
  registry?: Registry;
  /** Re-check periods (default 60 s ready, 10 s not ready). */
  intervals?: Partial<Intervals>;
  /** Backoff of unreachable clusters. Default 500 ms doubling to 60 s. */
  rateLimit?: RateLimitOptions;
  workers?: number;
  needLeaderElection?: boolean;
  /**
   * Watch the management cluster's Secrets (one shared informer) so a changed kubeconfig Secret
   * is picked up at once, and read Secrets from that cache. Default true; false GETs the Secret
   * at each check instead (no Secret cache in memory).
   */
  watchSecrets?: boolean;
  /** Runs readiness/liveness check scripts. Default: a new engine. */
  lua?: LuaEngine;
}

const FIELD_MANAGER = 'flotilla-sveltoscluster';

/** The `server` of the kubeconfig's current context, for messages. */
export function kubeconfigServer(yaml: string): string {
  try {
    const kc = parseYaml(yaml) as {
      'current-context'?: string;
      contexts?: { name: string; context?: { cluster?: string } }[];
      clusters?: { name: string; cluster?: { server?: string } }[];
    };
    const ctx = kc.contexts?.find((c) => c.name === kc['current-context']) ?? kc.contexts?.[0];
    const cl = kc.clusters?.find((c) => c.name === ctx?.context?.cluster) ?? kc.clusters?.[0];
    return cl?.cluster?.server ?? '(no server)';
  } catch {
    return '(unparsable kubeconfig)';
  }
}

/**
 * The SveltosCluster controller (sveltoscluster-manager): reads each cluster's kubeconfig Secret,
 * connects through ClusterConnections, checks `/version`, and writes `status.ready`, `version`,
 * `connectionStatus`, `connectionFailures`, `failureMessage` and the `projectsveltos.io/k8s-version`
 * label. Healthy clusters are looked at again after `intervals.readyMs`; unreachable ones are
 * retried by the queue's backoff and recover on their own.
 */
export function createSveltosClusterController(opts: SveltosClusterControllerOptions): Controller {
  const intervals: Intervals = { ...defaultIntervals, ...opts.intervals };
  let lua = opts.lua;
  const informer = opts.informers.informer<SveltosCluster & KubeObject>(
    opts.mgmt,
    sveltosTypes.SveltosCluster,
  );
  const controller = new Controller({
    name: 'sveltoscluster',
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.registry ? { registry: opts.registry } : {}),
    workers: opts.workers ?? 4,
    needLeaderElection: opts.needLeaderElection ?? true,
    rateLimit: { baseDelayMs: 500, maxDelayMs: 60_000, ...opts.rateLimit },
    reconcile: (key, ctx) => reconcile(key, ctx),
  });
  if (opts.registry) registerClusterMetrics(opts.registry, informer.store, opts.connections);
  // Our own status writes must not re-trigger a probe: only spec (generation) and deletion do.
  controller.watch(informer, {
    updatePredicate: (a, b) =>
      a.metadata?.generation !== b.metadata?.generation ||
      a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp,
  });

  const secrets =
    (opts.watchSecrets ?? true)
      ? opts.informers.informer<Secret & KubeObject>(opts.mgmt, secretType)
      : undefined;
  if (secrets) {
    controller.watch(secrets, {
      map: (s) => clustersOfSecret(s),
      updatePredicate: (a, b) =>
        JSON.stringify(a.data) !== JSON.stringify(b.data) ||
        JSON.stringify(a.stringData) !== JSON.stringify(b.stringData),
    });
  }

  /** The SveltosClusters whose kubeconfig is `secret`. */
  function clustersOfSecret(secret: KubeObject): string[] {
    const ns = secret.metadata?.namespace;
    const name = secret.metadata?.name;
    if (!ns || !name) return [];
    const keys: string[] = [];
    const suffix = '-sveltos-kubeconfig';
    if (name.endsWith(suffix)) {
      const owner = informer.store.getByName(ns, name.slice(0, -suffix.length));
      if (owner && !owner.spec?.kubeconfigName) keys.push(`${ns}/${owner.metadata?.name}`);
    }
    for (const sc of informer.store.byNamespace(ns))
      if (sc.spec?.kubeconfigName === name) keys.push(`${ns}/${sc.metadata?.name}`);
    return keys;
  }

  async function readSecret(
    namespace: string,
    name: string,
    signal: AbortSignal,
  ): Promise<Secret | undefined> {
    if (secrets) return secrets.store.getByName(namespace, name);
    try {
      return await opts.mgmt.get<Secret & KubeObject>({ ...secretType, namespace, name }, { signal });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err; // the management cluster failed: retry, not the managed cluster's fault
    }
  }

  async function probe(cluster: SveltosCluster, id: ClusterId, signal: AbortSignal): Promise<Probe> {
    const where = `SveltosCluster ${id.namespace}/${id.name}`;
    if (cluster.spec?.workloadIdentity) {
      return {
        ok: false,
        message: `${where}: spec.workloadIdentity (${cluster.spec.workloadIdentity.provider}) is not supported by flotilla: use a kubeconfig Secret`,
      };
    }
    const secretName = cluster.spec?.kubeconfigName || sveltosKubeconfigSecretName(id.name);
    const secret = await readSecret(id.namespace, secretName, signal);
    if (!secret) {
      return {
        ok: false,
        message: `${where}: kubeconfig Secret ${id.namespace}/${secretName} not found: create it${cluster.spec?.kubeconfigName ? ' or fix spec.kubeconfigName' : ''}`,
      };
    }
    let yaml: string;
    try {
      yaml = kubeconfigFromSecret(secret, cluster.spec?.kubeconfigKeyName).yaml;
    } catch (err) {
      if (err instanceof KubeconfigSecretError) return { ok: false, message: `${where}: ${err.message}` };
      throw err;
    }
    const server = kubeconfigServer(yaml);
    let client: KubeClient;
    try {
      client = await opts.connections.connect(id, yaml);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      return {
        ok: false,
        message: `${where}: kubeconfig in Secret ${id.namespace}/${secretName} is unusable: ${err.message}`,
      };
    }
    let gitVersion: string;
    try {
      gitVersion = (await client.serverVersion()).gitVersion;
    } catch (err) {
      return { ok: false, message: `${where}: GET ${server}/version failed: ${errorMessage(err)}` };
    }
    const ready = cluster.status?.ready === true;
    const checks = ready ? cluster.spec?.livenessChecks : cluster.spec?.readinessChecks;
    if (checks?.length) {
      lua ??= new LuaEngine();
      const what = ready ? 'liveness' : 'readiness';
      const r = await runClusterChecks(client, checks, lua, what, signal);
      if (!r.pass) {
        const message = `${where} (${server}): ${r.message}`;
        return ready ? { ok: false, message } : { ok: true, gitVersion, notReady: message };
      }
    }
    return { ok: true, gitVersion };
  }

  async function reconcile(key: string, { signal }: ReconcileContext): Promise<Outcome> {
    const { namespace = '', name } = splitKey(key);
    const id: ClusterId = { namespace, name, type: 'Sveltos' };
    const cluster = informer.store.get(key);
    if (!cluster || cluster.metadata?.deletionTimestamp) {
      await opts.connections.remove(id);
      return Outcome.done;
    }
    const ref = { ...sveltosTypes.SveltosCluster, namespace, name };
    const clock = opts.clock ?? systemClock;
    // activeWindow: pause and unpause on schedule (spec.paused), and wake up at the next edge.
    let windowStatus: Record<string, string> = {};
    let wakeInMs: number | undefined;
    let paused = cluster.spec?.paused === true;
    if (cluster.spec?.activeWindow) {
      let w: WindowPlan;
      try {
        w = decideActiveWindow(cluster.spec.activeWindow, clock.now());
      } catch (err) {
        if (!(err instanceof CronError)) throw err;
        return Outcome.terminal(
          new CronError(`SveltosCluster ${namespace}/${name} spec.activeWindow: ${err.message}`),
        );
      }
      if (w.paused !== paused) {
        await opts.mgmt.patch(ref, { spec: { paused: w.paused } }, 'merge', {
          fieldManager: FIELD_MANAGER,
          signal,
        });
        paused = w.paused;
      }
      const st = cluster.status ?? {};
      const want = { nextPause: w.nextPause, nextUnpause: w.nextUnpause, activeWindowHash: w.hash };
      windowStatus = Object.fromEntries(
        Object.entries(want).filter(([k, v]) => (st as Record<string, unknown>)[k] !== v),
      );
      // Just past the edge, so the next pass is on the other side of it.
      wakeInMs = w.wakeInMs + 1000;
    }
    const writeStatus = async (status: Record<string, unknown> | undefined) => {
      if (!status || Object.keys(status).length === 0) return;
      await opts.mgmt.patch(ref, { status }, 'merge', {
        subresource: 'status',
        fieldManager: FIELD_MANAGER,
        signal,
      });
    };
    // Paused: nothing touches the cluster. Pull mode: the agent connects to us, there is nothing to probe.
    if (paused || cluster.spec?.pullMode) {
      await writeStatus(windowStatus);
      return wakeInMs === undefined ? Outcome.done : Outcome.requeueAfter(wakeInMs);
    }
    const result = await probe(cluster, id, signal);
    const plan = decide(cluster, result, intervals);
    if (plan.versionLabel) {
      await opts.mgmt.patch(
        ref,
        { metadata: { labels: { [Labels.k8sVersion]: plan.versionLabel } } },
        'merge',
        { fieldManager: FIELD_MANAGER, signal },
      );
    }
    await writeStatus({ ...plan.status, ...windowStatus });
    if (plan.ready && result.ok) opts.connections.setReady(id);
    if (!result.ok) return Outcome.retry(new ClusterUnreachableError(result.message));
    const after = plan.requeueAfterMs ?? intervals.readyMs;
    return Outcome.requeueAfter(wakeInMs === undefined ? after : Math.min(after, wakeInMs));
  }

  return controller;
}
