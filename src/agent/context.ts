import type { Registry } from 'prom-client';
import type { Clock } from '../lib/clock.js';
import type { KubeClient } from '../kube/index.js';
import type { ClusterInformers, Logger, Runnable } from '../runtime/index.js';

/** How the management plane knows the cluster (SveltosCluster or CAPI Cluster). */
export type ClusterType = 'Sveltos' | 'Capi';

/** What every agent module gets: the managed cluster, its shared informers, logging and metrics. */
export interface AgentContext {
  /** The managed cluster's client: what modules watch and where they report. */
  readonly client: KubeClient;
  readonly clusterName: string;
  /** The cluster's namespace in the management cluster. */
  readonly clusterNamespace: string;
  readonly clusterType: ClusterType;
  /** The managed cluster's informers, shared by every module (one watch per kind+namespace). */
  readonly informers: ClusterInformers;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly registry: Registry;
}

/**
 * One capability of the agent (drift detection, EventSource evaluation, ...). `create` does no
 * I/O; the returned Runnable runs until the agent stops.
 */
export interface AgentModule {
  readonly name: string;
  create(ctx: AgentContext): Runnable;
}
