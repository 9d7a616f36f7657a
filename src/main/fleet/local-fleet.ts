/**
 * `flotilla up` as a library: the embedded API server with the management cluster, the Sveltos
 * CRDs, the embedded managed clusters (registered as SveltosClusters), the management plane and
 * the agentless agents, in one process, resumable from its state directory.
 */
import { setMaxListeners } from 'node:events';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiServer, startApiServer } from '../../apiserver/index.js';
import {
  createManagementPlane,
  type ManagementPlane,
  planeModules,
} from '../../controllers/management-plane.js';
import { errorMessage, FlotillaError } from '../../lib/errors.js';
import { isNotFound, KubeClient, type KubeObject } from '../../kube/index.js';
import { type Logger, Manager } from '../../runtime/index.js';
import { AgentlessAgents } from './agents.js';
import { crdsFile, installCrds } from './crds.js';
import { AgentlessEvents, type AgentlessEventsOptions } from './events.js';
import {
  CLUSTER_NAMESPACE,
  EMBEDDED_LABEL,
  EmbeddedClusters,
  type EmbeddedEvent,
  embeddedClusterObject,
  isEmbedded,
  SVELTOS_CLUSTER,
} from './embedded-clusters.js';
import { type ClusterSpec, DEFAULT_CLUSTERS, formatLabels, MGMT } from './spec.js';
import { isFresh, lockState, readUpRecord, type StatePaths, writeUpRecord } from './state.js';

export interface LocalFleetOptions {
  paths: StatePaths;
  /** Explicit port; default: the last run's port if free, else a free one. */
  port?: number;
  /** Clusters to have (created if missing, labels applied). Default: DEFAULT_CLUSTERS on a fresh state. */
  clusters: readonly ClusterSpec[];
  logger: Logger;
  /** One line per step, for humans (stderr). */
  progress: (line: string) => void;
  /** Longest wait for every cluster to report ready (default 60 s). */
  readyTimeoutMs?: number;
  /** The event framework's options (EventReport removal grace, NATS watcher in every agent). */
  events?: AgentlessEventsOptions;
}

/** A managed cluster of the running fleet. */
export interface FleetCluster {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  kubeconfig: string;
}

export interface LocalFleet {
  readonly server: ApiServer;
  readonly plane: ManagementPlane;
  /** Management cluster first, then the embedded clusters by name. */
  clusters(): FleetCluster[];
  /** Resolves when the fleet stops on its own (a component failed: rejects) or after `stop`. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

const PLANE_NAMESPACE = 'mgmt';
const SVELTOS_NAMESPACE = 'projectsveltos';

function crdsStamp(): string {
  const s = statSync(crdsFile());
  return `${s.size}-${Math.trunc(s.mtimeMs)}`;
}

async function listen(paths: StatePaths, port: number | undefined, progress: (l: string) => void) {
  const recorded = readUpRecord(paths).port;
  const first = port ?? recorded ?? 0;
  try {
    return await startApiServer({ stateDir: paths.dir, port: first, clusters: [MGMT] });
  } catch (err) {
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (inUse && port === undefined && first !== 0) {
      progress(`port ${first} of the last run is taken: using a free one (kubeconfigs are rewritten)`);
      return await startApiServer({ stateDir: paths.dir, port: 0, clusters: [MGMT] });
    }
    if (inUse)
      throw new FlotillaError(
        'port-in-use',
        `port ${first} is in use: pick another with --port, or omit --port`,
      );
    throw err;
  }
}

/** Creates or updates the SveltosClusters asked for; refuses names taken by non-embedded clusters. */
async function registerClusters(mgmt: KubeClient, specs: readonly ClusterSpec[]): Promise<void> {
  for (const spec of specs) {
    let existing: KubeObject | undefined;
    try {
      existing = await mgmt.get({ ...SVELTOS_CLUSTER, namespace: CLUSTER_NAMESPACE, name: spec.name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (existing && !isEmbedded(existing))
      throw new FlotillaError(
        'cluster-taken',
        `SveltosCluster ${CLUSTER_NAMESPACE}/${spec.name} exists and is not an embedded cluster (no label ${EMBEDDED_LABEL}=true): pick another --cluster name`,
      );
    await mgmt.apply(embeddedClusterObject(spec), { fieldManager: 'flotilla-up', force: true });
  }
}

function isReady(sc: KubeObject | undefined): boolean {
  return (sc?.status as { ready?: boolean } | undefined)?.ready === true;
}

function failureOf(sc: KubeObject | undefined): string {
  return (sc?.status as { failureMessage?: string } | undefined)?.failureMessage ?? 'no status yet';
}

/** Starts the fleet and resolves once every cluster is ready. On failure nothing is left running. */
export async function startLocalFleet(opts: LocalFleetOptions): Promise<LocalFleet> {
  const { paths, progress, logger } = opts;
  const before = existsSync(paths.dir) ? new Set(readdirSync(paths.dir)) : new Set<string>();
  const release = lockState(paths);
  const fresh = isFresh(paths);
  // A fresh start that fails leaves nothing behind, so the next one is fresh again.
  const forget = () => {
    if (!fresh) return;
    for (const f of readdirSync(paths.dir))
      if (!before.has(f)) rmSync(join(paths.dir, f), { recursive: true, force: true });
  };
  const cleanups: (() => Promise<void> | void)[] = [release];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    progress(`${fresh ? 'creating' : 'resuming'} the fleet in ${paths.dir}`);
    const server = await listen(paths, opts.port, progress);
    cleanups.push(() => server.stop());
    progress(`API server listening on https://127.0.0.1:${server.port} (management cluster "${MGMT}")`);
    const record = readUpRecord(paths);
    const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig(MGMT) }, { name: MGMT });
    cleanups.push(() => mgmt.close());

    const stamp = crdsStamp();
    if (fresh || record.crds !== stamp) {
      progress('installing the Sveltos CRDs');
      const n = await installCrds(mgmt);
      progress(`installed ${n} Sveltos CRDs`);
    } else progress('Sveltos CRDs already installed');
    writeUpRecord(paths, { port: server.port, crds: stamp });
    // Sveltos' own namespace: generated ClusterProfiles' ConfigMaps/Secrets (EventTriggers) live there.
    await mgmt.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SVELTOS_NAMESPACE } },
      { fieldManager: 'flotilla-up' },
    );

    const specs = opts.clusters.length > 0 ? opts.clusters : fresh ? DEFAULT_CLUSTERS : [];
    if (specs.length > 0) {
      progress(
        `registering ${specs.map((s) => `${s.name} (${formatLabels(s.labels) || 'no labels'})`).join(', ')}`,
      );
      await registerClusters(mgmt, specs);
    }

    const manager = new Manager({ logger });
    const events = new AgentlessEvents(opts.events);
    const plane = await createManagementPlane(
      {
        kubeconfig: { yaml: server.kubeconfig(MGMT) },
        logger,
        registry: manager.registry,
        needLeaderElection: false,
      },
      events.planeModules(planeModules),
    );
    cleanups.push(() => plane.close());
    const embedded = new EmbeddedClusters({
      server,
      mgmt,
      informers: plane.informers,
      logger,
      onEvent: (e: EmbeddedEvent) =>
        progress(
          e.type === 'added'
            ? `cluster ${e.cluster} ${e.resumed ? 'resumed' : 'created'}: kubeconfig ${paths.kubeconfig(e.cluster)}`
            : `cluster ${e.cluster} deleted`,
        ),
    });
    // Virtual clusters and their kubeconfig Secrets exist before the controllers look for them.
    const wanted = (
      await mgmt.list(SVELTOS_CLUSTER, { labelSelector: `${EMBEDDED_LABEL}=true` })
    ).items.filter((o) => !o.metadata?.deletionTimestamp);
    const byName = new Map<string, KubeObject[]>();
    for (const sc of wanted)
      byName.set(sc.metadata?.name ?? '', [...(byName.get(sc.metadata?.name ?? '') ?? []), sc]);
    for (const [name, scs] of byName) await embedded.ensure(name, scs);

    progress('starting the controllers and the agents (agentless)');
    plane.addTo(manager);
    manager.add(embedded, 'embedded-clusters');
    manager.add(
      new AgentlessAgents({
        connections: plane.connections,
        logger,
        modules: events.agentModules(plane.mgmt),
      }),
      'agentless-agents',
    );
    const ac = new AbortController();
    // Every controller, informer and agent listens on it.
    setMaxListeners(0, ac.signal);
    const done = manager.start(ac.signal);
    let stopped = false;
    cleanups.push(async () => {
      ac.abort();
      await done.catch(() => undefined);
    });
    const failed = done.then(
      () => {
        if (!stopped)
          throw new FlotillaError('fleet-stopped', 'the controllers stopped unexpectedly: see the log');
      },
      (err) => {
        throw err;
      },
    );
    failed.catch(() => undefined);

    const scInformer = plane.informers.informer(plane.mgmt, SVELTOS_CLUSTER);
    const targets = [
      { namespace: PLANE_NAMESPACE, name: MGMT },
      ...wanted.map((o) => ({ namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' })),
    ];
    progress(`waiting for ${targets.length} clusters to be ready`);
    const reported = new Set<string>();
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
    for (;;) {
      const pending = targets.filter((t) => !isReady(scInformer.store.getByName(t.namespace, t.name)));
      for (const t of targets)
        if (!pending.includes(t) && !reported.has(`${t.namespace}/${t.name}`)) {
          reported.add(`${t.namespace}/${t.name}`);
          progress(`cluster ${t.namespace}/${t.name} ready`);
        }
      if (pending.length === 0) break;
      const outcome = await Promise.race([
        new Promise((r) => setTimeout(r, 50, 'tick')),
        failed.then(
          () => 'stopped',
          (e) => e,
        ),
      ]);
      if (outcome !== 'tick')
        throw new FlotillaError(
          'fleet-failed',
          `the controllers stopped while starting: ${errorMessage(outcome)}`,
        );
      if (Date.now() > deadline) {
        const t = pending[0];
        throw new FlotillaError(
          'not-ready',
          `cluster ${t.namespace}/${t.name} is not ready after ${Math.round((opts.readyTimeoutMs ?? 60_000) / 1000)} s: ${failureOf(scInformer.store.getByName(t.namespace, t.name))}; see ${paths.log}`,
        );
      }
    }

    return {
      server,
      plane,
      done: failed,
      clusters() {
        const out: FleetCluster[] = [
          { namespace: PLANE_NAMESPACE, name: MGMT, labels: {}, kubeconfig: paths.kubeconfig(MGMT) },
        ];
        const embeddedScs = scInformer.store
          .list()
          .filter((o) => isEmbedded(o) && !o.metadata?.deletionTimestamp)
          .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
        for (const sc of embeddedScs) {
          const labels = { ...(sc.metadata?.labels ?? {}) };
          out.push({
            namespace: sc.metadata?.namespace ?? '',
            name: sc.metadata?.name ?? '',
            labels,
            kubeconfig: paths.kubeconfig(sc.metadata?.name ?? ''),
          });
        }
        return out;
      },
      async stop() {
        stopped = true;
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    forget();
    throw err;
  }
}
