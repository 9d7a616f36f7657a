/**
 * EventReport → generated ClusterProfiles/ConfigMaps/Secrets, by watch. Key: the management-cluster
 * report `<clusterNamespace>/<capi|sveltos>--<eventSource>--<cluster>`, present or not.
 */
import type {
  ClusterProfile,
  ClusterSet,
  EventReport,
  EventSource,
  EventTrigger,
  SveltosCluster,
} from '../../api/index.js';
import { isConflict, isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';
import { Controller, type Informer, type Logger, Outcome } from '../../runtime/index.js';
import type { Clock } from '../../lib/clock.js';
import { decodeReport, type DecodedReport, isCloudEventIdentity, type Obj } from './event-data.js';
import { clusterSetMembers, eventSourceNameFor, triggerWatchesCluster } from './distribution.js';
import { generate, type GeneratePlan } from './generate.js';
import {
  clusterTypeLabelValues,
  EMPTY_SINCE_ANNOTATION,
  EventLabels,
  FIELD_MANAGER,
  labelValue,
  managementReportName,
  parseReportName,
  type SourceCluster,
  SVELTOS_NS,
} from './labels.js';
import { decideEmpty, type ReportState } from './safeguard.js';
import { AppliedMemo } from './applied.js';

export interface EventInformers {
  triggers: Informer<EventTrigger>;
  reports: Informer<EventReport>;
  clusters: Informer<SveltosCluster>;
  profiles: Informer<ClusterProfile>;
  configMaps: Informer<KubeObject>;
  secrets: Informer<KubeObject>;
  eventSources: Informer<EventSource>;
  clusterSets: Informer<ClusterSet>;
}

export interface ReportControllerOptions {
  mgmt: KubeClient;
  informers: EventInformers;
  logger: Logger;
  clock: Clock;
  /** How long a report must stay empty/missing before its profiles go (default 30 s). */
  emptyGraceMs?: number;
  needLeaderElection?: boolean;
}

/** Whether the trigger watches `cluster` for `eventSource` (selector ∪ sets, ready, rendered name). */
export function triggerMatches(
  trigger: EventTrigger,
  cluster: SveltosCluster | undefined,
  eventSource: string,
  setMembers: ReadonlyMap<string, readonly string[]> = new Map(),
): boolean {
  if (!cluster || !triggerWatchesCluster(trigger, cluster, setMembers)) return false;
  return eventSourceNameFor(trigger, cluster) === eventSource;
}

export function reportKey(eventSource: string, cluster: SourceCluster): string {
  return `${cluster.namespace}/${managementReportName(eventSource, cluster)}`;
}

/** Key of the report a generated object belongs to, from its labels. */
export function keyOfGenerated(obj: KubeObject): string[] {
  const l = obj.metadata?.labels ?? {};
  const es = l[EventLabels.eventSourceName];
  const ns = l[EventLabels.clusterNamespace];
  const name = l[EventLabels.clusterName];
  const type = l[EventLabels.clusterType];
  if (!es || !ns || !name || !type) return [];
  return [reportKey(es, { namespace: ns, name, type: type.toLowerCase() === 'capi' ? 'Capi' : 'Sveltos' })];
}

export function createReportController(o: ReportControllerOptions): Controller {
  const { mgmt, informers: inf, clock } = o;
  const graceMs = o.emptyGraceMs ?? 30_000;
  // Generated objects are recomputed on every reconcile: only those that changed are applied.
  const memo = new AppliedMemo();
  const cachedOf = (x: { kind?: string; metadata?: { namespace?: string; name?: string } }) =>
    x.kind === 'ClusterProfile'
      ? inf.profiles.store.get(x.metadata?.name ?? '')
      : (x.kind === 'Secret' ? inf.secrets : inf.configMaps).store.getByName(
          x.metadata?.namespace,
          x.metadata?.name ?? '',
        );
  const applier: Applier = { memo, cachedOf };
  const allReportKeys = () => [
    ...new Set([...inf.reports.store.keys(), ...inf.profiles.store.list().flatMap(keyOfGenerated)]),
  ];

  const controller = new Controller({
    name: 'eventreport',
    logger: o.logger,
    clock,
    needLeaderElection: o.needLeaderElection ?? true,
    reconcile: async (key, { signal }) => {
      const slash = key.indexOf('/');
      const parsed = parseReportName(key.slice(0, slash), key.slice(slash + 1));
      const report = inf.reports.store.get(key);
      const eventSource = report?.spec?.eventSourceName ?? parsed?.eventSource;
      const cluster: SourceCluster | undefined = report?.spec
        ? {
            namespace: report.spec.clusterNamespace,
            name: report.spec.clusterName,
            type: report.spec.clusterType === 'Capi' ? 'Capi' : 'Sveltos',
          }
        : parsed?.cluster;
      if (!eventSource || !cluster) return Outcome.done;
      const clusterObj = inf.clusters.store.get(`${cluster.namespace}/${cluster.name}`);
      let decoded: DecodedReport = { matching: [], resources: new Map(), cloudEvents: [] };
      let decodeError: string | undefined;
      if (report) {
        try {
          decoded = decodeReport(report);
        } catch (err) {
          decodeError = (err as Error).message;
        }
      }
      const state: ReportState = !report
        ? 'missing'
        : report.metadata?.deletionTimestamp
          ? 'deleting'
          : decoded.matching.length > 0
            ? 'events'
            : decodeError
              ? 'events' // undecodable: hold everything as it is (never withdraw on garbage)
              : 'empty';

      const bases = clusterTypeLabelValues(cluster.type).map((type) => ({
        [EventLabels.clusterNamespace]: labelValue(cluster.namespace),
        [EventLabels.clusterName]: labelValue(cluster.name),
        [EventLabels.clusterType]: type,
        [EventLabels.eventSourceName]: labelValue(eventSource),
      }));
      const profiles = bases.flatMap((b) => inf.profiles.store.byLabels(b));
      const objects = bases.flatMap((b) =>
        [...inf.configMaps.store.byLabels(b), ...inf.secrets.store.byLabels(b)].filter(
          (x) => x.metadata?.namespace === SVELTOS_NS,
        ),
      );
      const sets = clusterSetMembers(inf.clusterSets.store.list());
      const triggerNames = new Set<string>();
      for (const t of inf.triggers.store.list())
        if (triggerMatches(t, clusterObj, eventSource, sets)) triggerNames.add(t.metadata?.name ?? '');
      for (const p of profiles) triggerNames.add(p.metadata?.labels?.[EventLabels.eventTriggerName] ?? '');

      const errors: string[] = decodeError ? [decodeError] : [];
      let requeue: number | undefined;
      for (const tname of triggerNames) {
        const trigger = inf.triggers.store.get(tname);
        const mine = <T extends KubeObject>(xs: T[]) =>
          xs.filter((x) => x.metadata?.labels?.[EventLabels.eventTriggerName] === labelValue(tname));
        const existingProfiles = mine(profiles);
        const existingObjects = mine(objects);
        if (
          trigger &&
          clusterObj &&
          clusterObj.status?.ready !== true &&
          !clusterObj.metadata?.deletionTimestamp
        ) {
          // A cluster that is not ready (yet, or any more) is a transient state: keep everything.
          continue;
        }
        if (!trigger || !triggerMatches(trigger, clusterObj, eventSource, sets) || !clusterObj) {
          // Trigger gone or no longer watching this cluster: that is not a transient report.
          await act(mgmt, applier, withdrawAll(existingProfiles, existingObjects), signal);
          continue;
        }
        if (decodeError) continue;
        const resourceProfiles = existingProfiles.filter((p) => !isCloudEventIdentity(p.metadata?.labels));
        const sinces = resourceProfiles
          .map((p) => p.metadata?.annotations?.[EMPTY_SINCE_ANNOTATION])
          .filter((s): s is string => !!s)
          .sort();
        const d = decideEmpty({
          state,
          resourceProfiles: resourceProfiles.length,
          emptySince: sinces[0],
          nowMs: clock.now(),
          graceMs,
        });
        const plan = generate({
          trigger,
          cluster,
          clusterObj: clusterObj as Obj,
          eventSource,
          report: d.kind === 'withdraw' && state === 'deleting' ? { ...decoded, cloudEvents: [] } : decoded,
          lookup: (kind, ns, name) =>
            (kind === 'ConfigMap' ? inf.configMaps : inf.secrets).store.getByName(ns, name) as
              | Obj
              | undefined,
          existingProfiles,
          existingObjects,
          keepResourceProfiles: d.kind === 'hold',
        });
        errors.push(...plan.errors);
        await act(mgmt, applier, plan, signal);
        if (d.kind !== 'hold') {
          const kept = new Set(plan.profiles.map((p) => p.metadata?.name));
          for (const p of resourceProfiles) {
            if (!p.metadata?.annotations?.[EMPTY_SINCE_ANNOTATION] || !kept.has(p.metadata.name)) continue;
            await mgmt.patch(
              {
                apiVersion: 'config.projectsveltos.io/v1beta1',
                kind: 'ClusterProfile',
                name: p.metadata?.name ?? '',
              },
              { metadata: { annotations: { [EMPTY_SINCE_ANNOTATION]: null } } },
              'merge',
              { fieldManager: FIELD_MANAGER, signal },
            );
          }
        }
        if (d.kind === 'hold') {
          requeue = Math.min(requeue ?? d.afterMs, d.afterMs);
          for (const p of resourceProfiles) {
            if (p.metadata?.annotations?.[EMPTY_SINCE_ANNOTATION]) continue;
            await mgmt.patch(
              {
                apiVersion: 'config.projectsveltos.io/v1beta1',
                kind: 'ClusterProfile',
                name: p.metadata?.name ?? '',
              },
              { metadata: { annotations: { [EMPTY_SINCE_ANNOTATION]: d.since } } },
              'merge',
              { fieldManager: FIELD_MANAGER, signal },
            );
          }
        }
      }

      if (report && !report.metadata?.deletionTimestamp) {
        // CloudEvents are handled once: clear them (optimistic concurrency: an append in between
        // makes this a conflict, retried with the new event included). After a failure they stay
        // and are handled again (Create/Delete are idempotent) until the trigger is fixed: no
        // event is lost to a template error.
        if ((report.spec?.cloudEvents?.length ?? 0) > 0 && triggerNames.size > 0 && errors.length === 0) {
          try {
            const fresh = structuredClone(report);
            if (fresh.spec) fresh.spec.cloudEvents = [];
            await mgmt.update(fresh, { fieldManager: FIELD_MANAGER, signal });
          } catch (err) {
            if (isConflict(err)) return Outcome.retry(err);
            if (!isNotFound(err)) throw err;
          }
        }
        const failure = errors.join('; ') || undefined;
        if ((report.status?.failureMessage || undefined) !== failure) {
          await mgmt
            .patch(
              {
                apiVersion: 'lib.projectsveltos.io/v1beta1',
                kind: 'EventReport',
                namespace: report.metadata?.namespace ?? '',
                name: report.metadata?.name ?? '',
              },
              { status: { failureMessage: failure ?? null } },
              'merge',
              { fieldManager: FIELD_MANAGER, subresource: 'status', signal },
            )
            .catch((err) => {
              if (!isNotFound(err)) throw err;
            });
        }
      }
      return requeue !== undefined ? Outcome.requeueAfter(requeue) : Outcome.done;
    },
  });

  controller.watch(inf.reports);
  // Status writes of the add-on controller do not concern generation: spec/metadata changes only.
  controller.watch(inf.profiles, { map: keyOfGenerated, updatePredicate: metadataOrSpecChanged });
  // Generated objects map to their report; a changed template source (instantiate annotation)
  // re-renders every report.
  const sourceOrGenerated = (o: KubeObject) =>
    o.metadata?.annotations?.['projectsveltos.io/instantiate'] !== undefined &&
    !o.metadata?.labels?.[EventLabels.eventTriggerName]
      ? allReportKeys()
      : o.metadata?.namespace === SVELTOS_NS
        ? keyOfGenerated(o)
        : [];
  controller.watch(inf.configMaps, { map: sourceOrGenerated });
  controller.watch(inf.secrets, { map: sourceOrGenerated });
  controller.watch(inf.triggers, { map: () => allReportKeys() });
  controller.watch(inf.clusterSets, { map: () => allReportKeys() });
  controller.watch(inf.clusters, {
    map: (c) => allReportKeys().filter((k) => k.startsWith(`${c.metadata?.namespace}/`)),
  });
  return controller;
}

function metadataOrSpecChanged(a: KubeObject, b: KubeObject): boolean {
  if (a.metadata?.generation !== b.metadata?.generation) return true;
  if (a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp) return true;
  return (
    JSON.stringify([a.metadata?.labels, a.metadata?.annotations]) !==
    JSON.stringify([b.metadata?.labels, b.metadata?.annotations])
  );
}

function withdrawAll(profiles: KubeObject[], objects: KubeObject[]): GeneratePlan {
  return {
    profiles: [],
    objects: [],
    errors: [],
    deleteProfiles: profiles.map((p) => p.metadata?.name ?? ''),
    deleteObjects: objects.map((x) => ({
      kind: x.kind as 'ConfigMap' | 'Secret',
      namespace: x.metadata?.namespace ?? '',
      name: x.metadata?.name ?? '',
    })),
  };
}

interface Applier {
  memo: AppliedMemo;
  cachedOf(x: KubeObject): KubeObject | undefined;
}

const memoKey = (kind: string | undefined, namespace: string | undefined, name: string | undefined) =>
  `${kind}/${namespace ?? ''}/${name ?? ''}`;

/**
 * Applies a plan: objects first (profiles reference them), then profiles, then deletions. An
 * object identical to what was last applied and still held by the cache is not sent again.
 */
async function act(
  mgmt: KubeClient,
  applier: Applier,
  plan: GeneratePlan,
  signal: AbortSignal,
): Promise<void> {
  const opts = { fieldManager: FIELD_MANAGER, force: true, signal };
  for (const x of [...plan.objects, ...plan.profiles] as KubeObject[]) {
    const key = memoKey(x.kind, x.metadata?.namespace, x.metadata?.name);
    if (applier.memo.unchanged(key, x, applier.cachedOf(x))) continue;
    applier.memo.forget(key);
    await mgmt.apply(x, opts);
    applier.memo.applied(key, x);
  }
  const ignoreMissing = (err: unknown) => {
    if (!isNotFound(err)) throw err;
  };
  for (const name of plan.deleteProfiles) {
    applier.memo.forget(memoKey('ClusterProfile', undefined, name));
    await mgmt
      .delete({ apiVersion: 'config.projectsveltos.io/v1beta1', kind: 'ClusterProfile', name }, { signal })
      .catch(ignoreMissing);
  }
  for (const x of plan.deleteObjects) {
    applier.memo.forget(memoKey(x.kind, x.namespace, x.name));
    await mgmt.delete({ apiVersion: 'v1', ...x }, { signal }).catch(ignoreMissing);
  }
}
