/**
 * EventSource distribution (API.md §7.2): every ready cluster gets the EventSources its matching
 * EventTriggers name (`eventSourceName` rendered with `.Cluster`). Push placement: a copy in the
 * managed cluster, annotated `projectsveltos.io/deployed-by-sveltos: ok`, with the triggers that
 * want it in an owner annotation (an ownerReference cannot point across clusters); stale copies
 * are deleted. Agentless placement: the set is handed to a sink (the in-process agent's
 * `StaticEventSources`, src/agent/events/sources.ts) instead.
 */
import type { ClusterSet, EventSource, EventTrigger, SveltosCluster } from '../../api/index.js';
import { clusterIdKey, type ClusterId, parseClusterIdKey } from '../../api/index.js';
import { cachedLabelSelector } from '../../engine/selector/index.js';
import { isNotFound, type KubeClient } from '../../kube/index.js';
import type { Clock } from '../../lib/clock.js';
import { Controller, type Informer, type Logger, Outcome } from '../../runtime/index.js';
import { clusterOnlyData, type Obj } from './event-data.js';
import { FIELD_MANAGER } from './labels.js';
import { render } from './render.js';

export const DEPLOYED_BY_SVELTOS = 'projectsveltos.io/deployed-by-sveltos';
/** Owner-equivalent of the managed-cluster copy: the EventTriggers that need it, comma-separated. */
export const OWNER_TRIGGERS_ANNOTATION = 'eventtrigger.lib.projectsveltos.io/eventtriggers';

/** ClusterSet name → member keys `namespace/name` (from `status.matchingClusterRefs`). */
export function clusterSetMembers(sets: readonly ClusterSet[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const s of sets)
    m.set(
      s.metadata?.name ?? '',
      (
        (s.status as { matchingClusterRefs?: { namespace?: string; name?: string }[] } | undefined)
          ?.matchingClusterRefs ?? []
      ).map((r) => `${r.namespace ?? ''}/${r.name ?? ''}`),
    );
  return m;
}

/** Whether `trigger` watches `cluster` (ready, not deleting; selector ∪ clusterSetRefs). */
export function triggerWatchesCluster(
  trigger: EventTrigger,
  cluster: SveltosCluster | undefined,
  setMembers: ReadonlyMap<string, readonly string[]> = new Map(),
): boolean {
  if (cluster?.status?.ready !== true || cluster.metadata?.deletionTimestamp) return false;
  if (trigger.metadata?.deletionTimestamp) return false;
  const key = `${cluster.metadata?.namespace}/${cluster.metadata?.name}`;
  if ((trigger.spec?.clusterSetRefs ?? []).some((s) => setMembers.get(s)?.includes(key))) return true;
  return cachedLabelSelector(trigger.spec?.sourceClusterSelector, { emptyMatches: 'nothing' }).matches(
    cluster.metadata?.labels ?? {},
  );
}

/** The rendered EventSource name of a trigger for a cluster (undefined when it does not render). */
export function eventSourceNameFor(trigger: EventTrigger, cluster: SveltosCluster): string | undefined {
  try {
    return render(
      '',
      'eventSourceName',
      trigger.spec?.eventSourceName ?? '',
      clusterOnlyData(cluster as Obj),
    ).trim();
  } catch {
    return undefined;
  }
}

/** Pure: the EventSource copies a cluster must have, with the triggers wanting each. Sorted. */
export function desiredEventSources(
  cluster: SveltosCluster | undefined,
  triggers: readonly EventTrigger[],
  sources: (name: string) => EventSource | undefined,
  setMembers: ReadonlyMap<string, readonly string[]> = new Map(),
): EventSource[] {
  if (!cluster) return [];
  const want = new Map<string, string[]>();
  for (const t of triggers) {
    if (!triggerWatchesCluster(t, cluster, setMembers)) continue;
    const n = eventSourceNameFor(t, cluster);
    if (!n || !sources(n)) continue;
    want.set(n, [...(want.get(n) ?? []), t.metadata?.name ?? '']);
  }
  return [...want.keys()].sort().map((n) => {
    const src = sources(n) as EventSource;
    return {
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'EventSource',
      metadata: {
        name: n,
        ...(src.metadata?.labels ? { labels: { ...src.metadata.labels } } : {}),
        annotations: {
          [DEPLOYED_BY_SVELTOS]: 'ok',
          [OWNER_TRIGGERS_ANNOTATION]: (want.get(n) ?? []).sort().join(','),
        },
      },
      spec: structuredClone(src.spec),
    } as EventSource;
  });
}

/** Agentless placement: receives the full set of a cluster's EventSources at every change. */
export type EventSourceSink = (cluster: ClusterId, sources: EventSource[]) => void;

export interface DistributionOptions {
  informers: {
    triggers: Informer<EventTrigger>;
    clusters: Informer<SveltosCluster>;
    eventSources: Informer<EventSource>;
    clusterSets: Informer<ClusterSet>;
  };
  /** Managed-cluster clients (push placement). */
  connections: {
    connection(id: ClusterId): Promise<{ client: KubeClient }>;
    trigger(
      c: { enqueue(key: string): void },
      keys: (ev: { connection: { key: string } }) => string[],
    ): () => void;
  };
  sink?: EventSourceSink;
  logger: Logger;
  clock: Clock;
  needLeaderElection?: boolean;
}

export function createDistributionController(o: DistributionOptions): Controller {
  const inf = o.informers;
  const clusterKeys = () =>
    inf.clusters.store.list().map((c) =>
      clusterIdKey({
        namespace: c.metadata?.namespace ?? '',
        name: c.metadata?.name ?? '',
        type: 'Sveltos',
      }),
    );
  const c = new Controller({
    name: 'eventsource-distribution',
    logger: o.logger,
    clock: o.clock,
    needLeaderElection: o.needLeaderElection ?? true,
    reconcile: async (key, { signal }) => {
      const id = parseClusterIdKey(key);
      if (id?.type !== 'Sveltos') return Outcome.done;
      const cluster = inf.clusters.store.get(`${id.namespace}/${id.name}`);
      const want = desiredEventSources(
        cluster,
        inf.triggers.store.list(),
        (n) => inf.eventSources.store.get(n),
        clusterSetMembers(inf.clusterSets.store.list()),
      );
      if (o.sink) {
        o.sink(id, want);
        return Outcome.done;
      }
      if (cluster?.status?.ready !== true) return Outcome.done; // a ready cluster is enqueued again
      let client: KubeClient;
      try {
        client = (await o.connections.connection(id)).client;
      } catch (err) {
        if ((err as { code?: string }).code === 'cluster-not-connected') return Outcome.done; // `added` re-enqueues
        throw err;
      }
      for (const es of want) await client.apply(es, { fieldManager: FIELD_MANAGER, force: true, signal });
      const wanted = new Set(want.map((e) => e.metadata?.name));
      const have = await client.list<EventSource>(
        { apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'EventSource' },
        { signal },
      );
      for (const es of have.items) {
        if (es.metadata?.annotations?.[DEPLOYED_BY_SVELTOS] !== 'ok' || wanted.has(es.metadata?.name))
          continue;
        await client
          .delete(
            {
              apiVersion: 'lib.projectsveltos.io/v1beta1',
              kind: 'EventSource',
              name: es.metadata?.name ?? '',
            },
            { signal },
          )
          .catch((err) => {
            if (!isNotFound(err)) throw err;
          });
      }
      return Outcome.done;
    },
  });
  c.watch(inf.clusters, {
    map: (x) => [
      clusterIdKey({ namespace: x.metadata?.namespace ?? '', name: x.metadata?.name ?? '', type: 'Sveltos' }),
    ],
  });
  c.watch(inf.triggers, { map: clusterKeys });
  c.watch(inf.eventSources, { map: clusterKeys });
  c.watch(inf.clusterSets, { map: clusterKeys });
  o.connections.trigger(c, (ev) => [ev.connection.key]);
  return c;
}
