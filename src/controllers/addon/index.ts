/**
 * Add-on deployment: the ClusterProfile, Profile and ClusterSummary controllers.
 *
 * ```ts
 * const addon = createAddonControllers({ mgmt, informers: factory.forCluster(mgmt), clusters, logger });
 * for (const c of addon.components) manager.add(c.runnable, c.name);
 * ```
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { ChartSources } from '../../helm/sources/index.js';
import { type Clock, systemClock } from '../../lib/clock.js';
import type { KubeClient } from '../../kube/index.js';
import {
  type ClusterInformers,
  InformerFactory,
  type InformerFactoryOptions,
  type Logger,
  type Runnable,
  silentLogger,
} from '../../runtime/index.js';
import { ClusterAccess, type ManagedClusters } from './cluster-access.js';
import { ProfileController } from './profile-controller.js';
import { SummaryController } from './summary-controller.js';
import { GVK } from './names.js';
import type { SveltosClusterObject } from './types.js';

export {
  ClusterAccess,
  ClusterUnavailableError,
  type ManagedClusters,
  type ManagedConnection,
} from './cluster-access.js';
export * from './names.js';
export type * from './types.js';

export interface AddonControllersOptions {
  mgmt: KubeClient;
  /** The management cluster's shared informers. */
  informers: ClusterInformers;
  clusters: ManagedClusters;
  logger?: Logger;
  clock?: Clock;
  registry?: Registry;
  /** Concurrent ClusterSummary reconciles (default 16). */
  workers?: number;
  conflictRetryMs?: number;
  needLeaderElection?: boolean;
  /** Chart sources of the Helm feature (default: a cache under the OS temp directory). */
  chartSources?: ChartSources;
  /** Archive cache directory when `chartSources` is not given. */
  chartCacheDir?: string;
}

export interface AddonControllers {
  components: { name: string; runnable: Runnable }[];
  summaries: SummaryController;
}

export function createAddonControllers(o: AddonControllersOptions): AddonControllers {
  const logger = o.logger ?? silentLogger();
  const clock = o.clock ?? systemClock;
  const common = {
    mgmt: o.mgmt,
    informers: o.informers,
    logger,
    clock,
    ...(o.registry ? { registry: o.registry } : {}),
    ...(o.needLeaderElection !== undefined ? { needLeaderElection: o.needLeaderElection } : {}),
  };
  const cp = new ProfileController({ ...common, kind: 'ClusterProfile' });
  const p = new ProfileController({ ...common, kind: 'Profile' });
  const summaries = new SummaryController({
    ...common,
    clusters: o.clusters,
    chartSources:
      o.chartSources ??
      new ChartSources({ cacheDir: o.chartCacheDir ?? join(tmpdir(), 'flotilla-chart-cache'), clock }),
    ...(o.workers ? { workers: o.workers } : {}),
    ...(o.conflictRetryMs ? { conflictRetryMs: o.conflictRetryMs } : {}),
  });
  return {
    summaries,
    components: [
      { name: 'clusterprofile-controller', runnable: cp.controller },
      { name: 'profile-controller', runnable: p.controller },
      { name: 'clustersummary-controller', runnable: summaries.controller },
    ],
  };
}

export interface StandaloneAddon extends AddonControllers {
  /** The management cluster's shared informers (add handlers before starting). */
  informers: ClusterInformers;
  /** Managed clusters reached through their kubeconfig Secrets; close it after stopping. */
  access: ClusterAccess;
  /** Both informer factories and the three controllers, in start order. */
  runnables: Runnable[];
}

/**
 * The add-on controllers on their own, without the cluster controller: managed clusters are
 * reached straight from their SveltosCluster and kubeconfig Secret (benchmarks, tests).
 */
export function createStandaloneAddon(
  o: Omit<AddonControllersOptions, 'informers' | 'clusters'> & { informerOptions?: InformerFactoryOptions },
): StandaloneAddon {
  const { informerOptions, ...rest } = o;
  const mgmtInformers = new InformerFactory(informerOptions);
  const managedInformers = new InformerFactory(informerOptions);
  const informers = mgmtInformers.forCluster(o.mgmt);
  const access = new ClusterAccess({
    clusters: informers.informer<SveltosClusterObject>(GVK.sveltosCluster).store,
    secrets: informers.informer(GVK.secret).store,
    informers: managedInformers,
  });
  const addon = createAddonControllers({ ...rest, informers, clusters: access });
  return {
    ...addon,
    informers,
    access,
    runnables: [mgmtInformers, managedInformers, ...addon.components.map((c) => c.runnable)],
  };
}
