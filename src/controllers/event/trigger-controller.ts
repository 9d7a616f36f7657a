/**
 * EventTrigger status: the source clusters it watches (`status.matchingClusters`) and the
 * clusters its destinationClusterSelector selects (`status.destinationMatchingClusterRefs`).
 * One status write per reconcile, only when it changes.
 */
import type { EventTrigger, ObjectReference, SveltosCluster } from '../../api/index.js';
import { cachedLabelSelector } from '../../engine/selector/index.js';
import { isNotFound, type KubeClient } from '../../kube/index.js';
import type { Clock } from '../../lib/clock.js';
import { Controller, type Logger, Outcome } from '../../runtime/index.js';
import { clusterSetMembers } from './distribution.js';
import type { EventInformers } from './report-controller.js';
import { FIELD_MANAGER } from './labels.js';

export interface TriggerStatusPlan {
  matchingClusters: ObjectReference[];
  destinationMatchingClusterRefs: ObjectReference[];
}

const ref = (c: SveltosCluster): ObjectReference => ({
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'SveltosCluster',
  namespace: c.metadata?.namespace ?? '',
  name: c.metadata?.name ?? '',
});

/**
 * Pure: ready, not-deleting clusters matching `sourceClusterSelector` (empty matches nothing) or
 * selected by a ClusterSet of `clusterSetRefs` (`setMembers`: ClusterSet name → member keys).
 */
export function decideTriggerStatus(
  trigger: EventTrigger,
  clusters: readonly SveltosCluster[],
  setMembers: ReadonlyMap<string, readonly string[]> = new Map(),
): TriggerStatusPlan {
  const src = cachedLabelSelector(trigger.spec?.sourceClusterSelector, { emptyMatches: 'nothing' });
  const dst = cachedLabelSelector(trigger.spec?.destinationClusterSelector, { emptyMatches: 'nothing' });
  const fromSets = new Set((trigger.spec?.clusterSetRefs ?? []).flatMap((s) => setMembers.get(s) ?? []));
  const usable = clusters
    .filter((c) => c.status?.ready === true && !c.metadata?.deletionTimestamp)
    .sort((a, b) => {
      const ka = `${a.metadata?.namespace}/${a.metadata?.name}`;
      const kb = `${b.metadata?.namespace}/${b.metadata?.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  return {
    matchingClusters: usable
      .filter(
        (c) =>
          src.matches(c.metadata?.labels ?? {}) ||
          fromSets.has(`${c.metadata?.namespace}/${c.metadata?.name}`),
      )
      .map(ref),
    destinationMatchingClusterRefs: usable.filter((c) => dst.matches(c.metadata?.labels ?? {})).map(ref),
  };
}

export function createTriggerController(o: {
  mgmt: KubeClient;
  informers: EventInformers;
  logger: Logger;
  clock: Clock;
  needLeaderElection?: boolean;
}): Controller {
  const inf = o.informers;
  const c = new Controller({
    name: 'eventtrigger',
    logger: o.logger,
    clock: o.clock,
    needLeaderElection: o.needLeaderElection ?? true,
    reconcile: async (key, { signal }) => {
      const t = inf.triggers.store.get(key);
      if (!t || t.metadata?.deletionTimestamp) return Outcome.done;
      const plan = decideTriggerStatus(
        t,
        inf.clusters.store.list(),
        clusterSetMembers(inf.clusterSets.store.list()),
      );
      const cur = {
        matchingClusters: t.status?.matchingClusters ?? [],
        destinationMatchingClusterRefs: t.status?.destinationMatchingClusterRefs ?? [],
      };
      if (JSON.stringify(cur) === JSON.stringify(plan)) return Outcome.done;
      try {
        await o.mgmt.patch(
          { apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'EventTrigger', name: key },
          { status: plan },
          'merge',
          { fieldManager: FIELD_MANAGER, subresource: 'status', signal },
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return Outcome.done;
    },
  });
  c.watch(inf.triggers);
  c.watch(inf.clusters, { map: () => [...inf.triggers.store.keys()] });
  c.watch(inf.clusterSets, { map: () => [...inf.triggers.store.keys()] });
  return c;
}
