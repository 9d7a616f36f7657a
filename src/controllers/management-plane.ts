import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';
import { type Clock, systemClock } from '../lib/clock.js';
import { KubeClient, type KubeClientOptions, type KubeconfigSource } from '../kube/index.js';
import {
  InformerFactory,
  type InformerFactoryOptions,
  type Logger,
  type Manager,
  type Runnable,
  silentLogger,
} from '../runtime/index.js';
import {
  createSveltosClusterController,
  type Intervals,
  ManagementClusterRegistration,
} from './cluster/index.js';
import { addonModule } from './addon/module.js';
import { eventModule } from './event/module.js';
import { ClusterConnections } from './clusters/index.js';

export interface ManagementPlaneOptions {
  /** How to reach the management cluster. */
  kubeconfig: KubeconfigSource;
  /**
   * Kubeconfig YAML stored in Secret `mgmt/mgmt-sveltos-kubeconfig` for the self-registration.
   * Default: the text of `kubeconfig.yaml` or `kubeconfig.file`. Without one (in-cluster), the
   * management cluster is not registered.
   */
  registrationKubeconfig?: string;
  /** Register the management cluster as SveltosCluster `mgmt/mgmt`. Default true. */
  registerManagementCluster?: boolean;
  logger?: Logger;
  clock?: Clock;
  registry?: Registry;
  /** Options of the management-cluster client. */
  client?: KubeClientOptions;
  /** Options of every managed-cluster client. Default timeout 15 s. */
  clusterClient?: KubeClientOptions;
  /** Informer options (backoff, page size) for management and managed clusters. */
  informer?: InformerFactoryOptions['informer'];
  /** SveltosCluster re-check periods. */
  clusterIntervals?: Partial<Intervals>;
  /** Backoff of unreachable clusters (default 500 ms doubling to 60 s). */
  clusterBackoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Watch the management cluster's Secrets to pick up kubeconfig changes at once (default true). */
  watchKubeconfigSecrets?: boolean;
  /** Whether controllers wait for leadership (default true; false for single-replica tests). */
  needLeaderElection?: boolean;
}

/** What a module gets to build its controllers from. */
export interface PlaneContext {
  readonly options: ManagementPlaneOptions;
  /** Client of the management cluster. */
  readonly mgmt: KubeClient;
  /** Shared informers of the management cluster: ask here, never build a second one of a kind. */
  readonly informers: InformerFactory;
  /** Connections to every ready managed cluster (including `mgmt/mgmt` itself). */
  readonly connections: ClusterConnections;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly registry: Registry | undefined;
}

/** A named Runnable for the Manager. */
export interface PlaneComponent {
  readonly name: string;
  readonly runnable: Runnable;
}

/** Builds the components of one area (clusters, add-ons, events, ...). Constructors only: no I/O. */
export type PlaneModule = (ctx: PlaneContext) => PlaneComponent[];

/** Cluster registration: the SveltosCluster controller and the management cluster's own registration. */
export const clusterModule: PlaneModule = (ctx) => {
  const components: PlaneComponent[] = [
    {
      name: 'sveltoscluster-controller',
      runnable: createSveltosClusterController({
        mgmt: ctx.mgmt,
        informers: ctx.informers,
        connections: ctx.connections,
        logger: ctx.logger,
        clock: ctx.clock,
        ...(ctx.registry ? { registry: ctx.registry } : {}),
        ...(ctx.options.clusterIntervals ? { intervals: ctx.options.clusterIntervals } : {}),
        ...(ctx.options.clusterBackoff ? { rateLimit: ctx.options.clusterBackoff } : {}),
        needLeaderElection: ctx.options.needLeaderElection ?? true,
        watchSecrets: ctx.options.watchKubeconfigSecrets ?? true,
      }),
    },
  ];
  const kubeconfig = registrationKubeconfig(ctx.options);
  if ((ctx.options.registerManagementCluster ?? true) && kubeconfig !== undefined) {
    const reg = new ManagementClusterRegistration({
      client: ctx.mgmt,
      kubeconfig,
      logger: ctx.logger,
      clock: ctx.clock,
      needLeaderElection: ctx.options.needLeaderElection ?? true,
    });
    components.push({ name: 'mgmt-registration', runnable: reg });
  }
  return components;
};

/**
 * The modules of the management plane, in start order. Other areas add theirs to this list (one
 * import and one entry), or callers pass their own list to `createManagementPlane`.
 */
export const planeModules: PlaneModule[] = [clusterModule, addonModule, eventModule];

export interface ManagementPlane extends PlaneContext {
  /** Every Runnable, informers first: add them to a Manager (`addTo`) or start them yourself. */
  readonly components: PlaneComponent[];
  /** Adds every component to `manager`, with a ready check on the caches. */
  addTo(manager: Manager): void;
  /** Closes the management client and every cluster connection (after the Manager stopped). */
  close(): Promise<void>;
}

function registrationKubeconfig(o: ManagementPlaneOptions): string | undefined {
  if (o.registrationKubeconfig !== undefined) return o.registrationKubeconfig;
  if (o.kubeconfig.yaml !== undefined) return o.kubeconfig.yaml;
  if (o.kubeconfig.file) return readFileSync(o.kubeconfig.file, 'utf8');
  return undefined;
}

/**
 * Wires the management plane: the management-cluster client, its shared informers, the managed
 * cluster connections, and the components of every module. Loads the kubeconfig; starts nothing.
 */
export async function createManagementPlane(
  options: ManagementPlaneOptions,
  modules: readonly PlaneModule[] = planeModules,
): Promise<ManagementPlane> {
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? systemClock;
  // Every controller's workers and every agentless agent talk to the management cluster: with the
  // default four idle sockets, bursts kept opening (and handshaking) new TLS connections.
  const mgmt = await KubeClient.fromKubeconfig(options.kubeconfig, {
    name: 'mgmt',
    maxFreeSockets: 32,
    ...options.client,
  });
  const informerOpts: InformerFactoryOptions = {
    logger,
    clock,
    ...(options.informer ? { informer: options.informer } : {}),
  };
  const informers = new InformerFactory(informerOpts);
  const connections = new ClusterConnections({
    logger,
    informers: informerOpts,
    client: { timeoutMs: 15_000, ...options.clusterClient },
  });
  const ctx: PlaneContext = {
    options,
    mgmt,
    informers,
    connections,
    logger,
    clock,
    registry: options.registry,
  };
  const components: PlaneComponent[] = [
    { name: 'mgmt-informers', runnable: informers },
    { name: 'cluster-connections', runnable: connections },
    ...modules.flatMap((m) => m(ctx)),
  ];
  return {
    ...ctx,
    components,
    addTo(manager) {
      for (const c of components) manager.add(c.runnable, c.name);
      manager.addReadyCheck('mgmt-informers', () => {
        if (!informers.hasSynced()) throw new Error('management cluster caches not synced');
      });
    },
    async close() {
      await connections.close();
      mgmt.close();
    },
  };
}
