/**
 * The add-on area as a management-plane module: its controllers built from the plane's shared
 * management informers and cluster connections. Typed structurally (no import of the plane) so
 * the plane can list this module without an import cycle.
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.js';
import type { KubeClient } from '../../kube/index.js';
import type { InformerFactory, Logger, Runnable } from '../../runtime/index.js';
import { ClusterUnavailableError, type ManagedClusters, type ManagedConnection } from './cluster-access.js';
import { createAddonControllers } from './index.js';

export interface AddonPlaneContext {
  readonly options: { readonly needLeaderElection?: boolean };
  readonly mgmt: KubeClient;
  readonly informers: InformerFactory;
  readonly connections: {
    connection(id: { namespace: string; name: string; type: 'Sveltos' | 'Capi' }): Promise<ManagedConnection>;
  };
  readonly logger: Logger;
  readonly clock: Clock;
  readonly registry: Registry | undefined;
}

/** Adapts the plane's connections: "not connected yet" is a transient unavailability. */
function managedClusters(ctx: AddonPlaneContext): ManagedClusters {
  return {
    async connection(id) {
      try {
        return await ctx.connections.connection(id);
      } catch (err) {
        if ((err as { code?: string }).code === 'cluster-not-connected')
          throw new ClusterUnavailableError((err as Error).message);
        throw err;
      }
    },
  };
}

export function addonModule(ctx: AddonPlaneContext): { name: string; runnable: Runnable }[] {
  return createAddonControllers({
    mgmt: ctx.mgmt,
    informers: ctx.informers.forCluster(ctx.mgmt),
    clusters: managedClusters(ctx),
    logger: ctx.logger,
    clock: ctx.clock,
    ...(ctx.registry ? { registry: ctx.registry } : {}),
    needLeaderElection: ctx.options.needLeaderElection ?? true,
  }).components;
}
