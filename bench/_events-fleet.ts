/**
 * The whole management plane for the event benchmark, composed as `flotilla up` composes it
 * (src/main/fleet/local-fleet.ts) but on in-memory storage: the embedded API server with the
 * management cluster and N managed clusters, the Sveltos CRDs, the clusters registered as
 * SveltosClusters (kubeconfig Secrets; readiness set by the real SveltosCluster controller), the
 * management plane (clusters, add-ons, events in agentless form) and one agentless agent per
 * cluster (drift + EventSources, reports written straight into the management cluster).
 */
import { setMaxListeners } from 'node:events';
import { type ApiServer, startApiServer } from '../src/apiserver/index.js';
import type { SveltosCluster } from '../src/api/index.js';
import {
  createManagementPlane,
  type ManagementPlane,
  planeModules,
} from '../src/controllers/management-plane.js';
import { KubeClient, type KubeObject } from '../src/kube/index.js';
import { AgentlessAgents } from '../src/main/fleet/agents.js';
import { installCrds } from '../src/main/fleet/crds.js';
import { AgentlessEvents } from '../src/main/fleet/events.js';
import { Manager } from '../src/runtime/index.js';

export const FLEET_NS = 'fleet';
const SVELTOS_CLUSTER = { apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'SveltosCluster' } as const;

export interface EventFleet {
  readonly server: ApiServer;
  readonly mgmt: KubeClient;
  readonly plane: ManagementPlane;
  /** A client of a managed cluster for the benchmark's own writes and watches. */
  client(cluster: string): Promise<KubeClient>;
  stop(): Promise<void>;
}

export async function pool<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

/** Starts the fleet and resolves once every cluster is ready (SveltosCluster `status.ready`). */
export async function startEventFleet(
  clusters: readonly { name: string; labels: Record<string, string> }[],
  opts: { readyTimeoutMs?: number } = {},
): Promise<EventFleet> {
  const server = await startApiServer({
    memory: true,
    port: 0,
    clusters: ['mgmt', ...clusters.map((c) => c.name)],
  });
  const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'bench-mgmt' });
  await installCrds(mgmt);
  for (const ns of [FLEET_NS, 'projectsveltos'])
    await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await pool(clusters, 16, async (c) => {
    await mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${c.name}-sveltos-kubeconfig`, namespace: FLEET_NS },
      data: { kubeconfig: Buffer.from(server.kubeconfig(c.name)).toString('base64') },
    });
    await mgmt.create({
      ...SVELTOS_CLUSTER,
      metadata: { name: c.name, namespace: FLEET_NS, labels: c.labels },
      spec: {},
    });
  });

  const manager = new Manager({});
  const events = new AgentlessEvents();
  const plane = await createManagementPlane(
    {
      kubeconfig: { yaml: server.kubeconfig('mgmt') },
      registry: manager.registry,
      needLeaderElection: false,
      registerManagementCluster: false,
    },
    events.planeModules(planeModules),
  );
  plane.addTo(manager);
  manager.add(
    new AgentlessAgents({ connections: plane.connections, modules: events.agentModules(plane.mgmt) }),
    'agentless-agents',
  );
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  const done = manager.start(ac.signal);
  let failed: unknown;
  done.catch((err) => {
    failed = err;
  });

  const scs = plane.informers.informer<SveltosCluster>(plane.mgmt, SVELTOS_CLUSTER);
  const deadline = performance.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    const pending = clusters.filter((c) => scs.store.getByName(FLEET_NS, c.name)?.status?.ready !== true);
    if (pending.length === 0) break;
    if (failed) throw failed;
    if (performance.now() > deadline)
      throw new Error(
        `${pending.length} clusters not ready after ${opts.readyTimeoutMs ?? 120_000} ms (first: ${pending[0]?.name}): see the SveltosCluster status`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }

  const clients = new Map<string, KubeClient>();
  return {
    server,
    mgmt,
    plane,
    async client(cluster) {
      let c = clients.get(cluster);
      if (!c) {
        c = await KubeClient.fromKubeconfig(
          { yaml: server.kubeconfig(cluster) },
          { name: `bench-${cluster}` },
        );
        clients.set(cluster, c);
      }
      return c;
    },
    async stop() {
      ac.abort();
      await done.catch(() => undefined);
      await plane.close();
      for (const c of clients.values()) c.close();
      mgmt.close();
      await server.stop();
    },
  };
}

export type { KubeObject };
