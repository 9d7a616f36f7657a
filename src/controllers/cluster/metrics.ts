import { Gauge, type Registry } from 'prom-client';
import type { SveltosCluster } from '../../api/index.js';
import type { CacheReader } from '../../runtime/index.js';
import type { ClusterConnections } from '../clusters/connections.js';

/**
 * Fleet gauges computed from the cache at scrape time (no per-cluster series: 1,000 clusters):
 * `flotilla_sveltosclusters{ready, connection_status}` and `flotilla_cluster_connections`.
 */
export function registerClusterMetrics(
  registry: Registry,
  clusters: CacheReader<SveltosCluster & Record<string, unknown>>,
  connections: ClusterConnections,
): void {
  if (registry.getSingleMetric('flotilla_sveltosclusters')) return;
  new Gauge({
    name: 'flotilla_sveltosclusters',
    help: 'SveltosClusters by readiness and connection status (Healthy, Down, or unknown before the first check).',
    labelNames: ['ready', 'connection_status'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, { ready: string; status: string; n: number }>();
      for (const c of clusters.list()) {
        const ready = String(c.status?.ready === true);
        const status = c.status?.connectionStatus ?? 'unknown';
        const k = `${ready}|${status}`;
        const e = counts.get(k) ?? { ready, status, n: 0 };
        e.n++;
        counts.set(k, e);
      }
      for (const e of counts.values()) this.set({ ready: e.ready, connection_status: e.status }, e.n);
    },
  });
  new Gauge({
    name: 'flotilla_cluster_connections',
    help: 'Managed clusters with a live connection (ready and reachable at least once).',
    registers: [registry],
    collect() {
      this.set(connections.ready().length);
    },
  });
}
