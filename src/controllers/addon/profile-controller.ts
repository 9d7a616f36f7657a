/**
 * The ClusterProfile / Profile controller: matching clusters (selector ∪ clusterRefs, ready only,
 * plus clusters of dependents for prerequisites), one ClusterSummary per profile×cluster, removal
 * of summaries whose cluster stopped matching, finalizers, and one status write.
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.js';
import { errorMessage } from '../../lib/errors.js';
import { isAlreadyExists, isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';
import {
  type ClusterInformers,
  Controller,
  type Informer,
  type Logger,
  Outcome,
} from '../../runtime/index.js';
import { candidateOf, clusterRefs, planSummaries, targetsOf, withPrerequisites } from './decide-matching.js';
import { ANNOTATION, CONFIG_API, FINALIZER, GVK, type ProfileKind, profileNameLabel } from './names.js';
import { deepEqual } from './object-hash.js';
import type { ClusterSummaryObject, FailedCluster, ProfileObject, SveltosClusterObject } from './types.js';

export interface ProfileControllerOptions {
  kind: ProfileKind;
  mgmt: KubeClient;
  informers: ClusterInformers;
  logger: Logger;
  clock: Clock;
  registry?: Registry;
  needLeaderElection?: boolean;
}

const PROFILE_INDEX = 'addon:profile';

export class ProfileController {
  readonly controller: Controller;
  private readonly profiles: Informer<ProfileObject>;
  private readonly summaries: Informer<ClusterSummaryObject>;
  private readonly clusters: Informer<SveltosClusterObject>;
  private readonly kind: ProfileKind;
  private readonly finalizer: string;

  constructor(private readonly opts: ProfileControllerOptions) {
    this.kind = opts.kind;
    this.finalizer = opts.kind === 'Profile' ? FINALIZER.profile : FINALIZER.clusterProfile;
    const inf = opts.informers;
    this.profiles = inf.informer<ProfileObject>(opts.kind === 'Profile' ? GVK.profile : GVK.clusterProfile);
    this.summaries = inf.informer<ClusterSummaryObject>(GVK.clusterSummary);
    this.clusters = inf.informer<SveltosClusterObject>(GVK.sveltosCluster);
    const label = profileNameLabel(opts.kind);
    const kind = opts.kind;
    this.summaries.cache.addIndex(`${PROFILE_INDEX}:${kind}`, (o) => {
      const n = o.metadata?.labels?.[label];
      if (n === undefined) return [];
      return [kind === 'Profile' ? `${o.metadata?.namespace}/${n}` : n];
    });
    this.controller = new Controller({
      name: opts.kind === 'Profile' ? 'profile' : 'clusterprofile',
      reconcile: (key, ctx) => this.reconcile(key, ctx.signal),
      workers: 2,
      logger: opts.logger,
      clock: opts.clock,
      ...(opts.registry ? { registry: opts.registry } : {}),
      needLeaderElection: opts.needLeaderElection ?? true,
    });
    const all = () => [...this.profiles.store.keys()];
    // A profile change moves its own targets and those of its prerequisites (they follow their
    // dependents), transitively; an update maps the old and the new object (old dependsOn too).
    this.controller.watch(this.profiles, {
      map: (q) => this.withPrerequisites(q),
      updatePredicate: (a, b) =>
        !deepEqual(
          [a.spec, a.metadata?.annotations, a.metadata?.deletionTimestamp, a.metadata?.finalizers],
          [b.spec, b.metadata?.annotations, b.metadata?.deletionTimestamp, b.metadata?.finalizers],
        ),
    });
    this.controller.watch(this.clusters, {
      map: all,
      updatePredicate: (a, b) =>
        !deepEqual(
          [a.metadata?.labels, a.status?.ready, a.metadata?.deletionTimestamp],
          [b.metadata?.labels, b.status?.ready, b.metadata?.deletionTimestamp],
        ),
    });
    this.controller.watch(this.summaries, {
      map: (o) => {
        const n = o.metadata?.labels?.[label];
        if (n === undefined) return [];
        return [kind === 'Profile' ? `${o.metadata?.namespace}/${n}` : n];
      },
      updatePredicate: (a, b) =>
        !deepEqual(
          [a.status?.featureSummaries, a.metadata?.deletionTimestamp, a.spec],
          [b.status?.featureSummaries, b.metadata?.deletionTimestamp, b.spec],
        ),
    });
  }

  /** Keys of `q` and of every profile it depends on, directly or through others (same scope). */
  private withPrerequisites(q: ProfileObject): string[] {
    const name = q.metadata?.name ?? '';
    const ns = this.kind === 'Profile' ? (q.metadata?.namespace ?? '') : undefined;
    const keyOf = (n: string) => (ns === undefined ? n : `${ns}/${n}`);
    return withPrerequisites(name, (n) =>
      n === name ? q.spec?.dependsOn : this.profiles.store.get(keyOf(n))?.spec?.dependsOn,
    ).map(keyOf);
  }

  private ownSummaries(key: string): ClusterSummaryObject[] {
    return this.summaries.store.byIndex(`${PROFILE_INDEX}:${this.kind}`, key);
  }

  private profileRef(p: ProfileObject) {
    return {
      ...(this.kind === 'Profile' ? GVK.profile : GVK.clusterProfile),
      name: p.metadata?.name ?? '',
      ...(p.metadata?.namespace ? { namespace: p.metadata.namespace } : {}),
    };
  }

  private async deleteSummaries(list: ClusterSummaryObject[], signal: AbortSignal): Promise<void> {
    for (const s of list) {
      if (s.metadata?.deletionTimestamp) continue;
      try {
        await this.opts.mgmt.delete(
          { ...GVK.clusterSummary, namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' },
          { signal },
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  private async reconcile(key: string, signal: AbortSignal): Promise<Outcome> {
    let p = this.profiles.store.get(key);
    const own = this.ownSummaries(key);
    if (!p) {
      // No garbage collector is assumed: summaries of a vanished profile are deleted here.
      await this.deleteSummaries(own, signal);
      return Outcome.done;
    }
    const mgmt = this.opts.mgmt;
    if (p.metadata?.deletionTimestamp) {
      await this.deleteSummaries(own, signal);
      if (own.length > 0) return Outcome.done; // summary deletions bring us back
      if ((p.metadata.finalizers ?? []).includes(this.finalizer)) {
        await mgmt.patch(
          this.profileRef(p),
          {
            metadata: {
              finalizers: p.metadata.finalizers?.filter((f) => f !== this.finalizer),
              resourceVersion: p.metadata.resourceVersion,
            },
          },
          'merge',
          { signal },
        );
      }
      return Outcome.done;
    }
    if (!(p.metadata?.finalizers ?? []).includes(this.finalizer)) {
      // Carry on with the patched object (the cache lags our own write).
      p = await mgmt.patch<ProfileObject>(
        this.profileRef(p),
        {
          metadata: {
            finalizers: [...(p.metadata?.finalizers ?? []), this.finalizer],
            resourceVersion: p.metadata?.resourceVersion,
          },
        },
        'merge',
        { signal },
      );
    }
    if (p.metadata?.annotations && Object.hasOwn(p.metadata.annotations, ANNOTATION.paused)) {
      await this.writeStatus(p, {
        ...(p.status ?? {}),
        reconciliationSuspended: true,
        suspensionReason: `annotation ${ANNOTATION.paused} is set`,
      });
      return Outcome.done;
    }
    const candidates = (
      this.kind === 'Profile'
        ? this.clusters.store.byNamespace(p.metadata?.namespace ?? '')
        : this.clusters.store.list()
    ).map(candidateOf);
    // Profiles of the same scope: their dependsOn graph decides where prerequisites go.
    const scope = (
      this.kind === 'Profile'
        ? this.profiles.store.byNamespace(p.metadata?.namespace ?? '')
        : this.profiles.store.list()
    )
      .filter((q) => !q.metadata?.deletionTimestamp)
      .map((q) => ({ ...q, kind: this.kind }));
    const targets = targetsOf(p.metadata?.name ?? '', scope, candidates);
    const plan = planSummaries({ ...p, kind: this.kind }, targets, own);
    const failed: FailedCluster[] = [];
    const now = new Date(this.opts.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const clusterRef = (ns: string, name: string) => ({
      apiVersion: GVK.sveltosCluster.apiVersion,
      kind: 'SveltosCluster',
      namespace: ns,
      name,
    });
    // One after another, so the first cluster's deploy starts alone: written concurrently, every
    // summary's deploy competed with it (bench events, 2 cores: first and last cluster slower).
    for (const s of [...plan.create, ...plan.update]) {
      try {
        if (plan.create.includes(s)) await mgmt.create(s, { signal });
        else await mgmt.update(s, { signal });
      } catch (err) {
        if (signal.aborted) throw err;
        if (isAlreadyExists(err)) continue; // the cache lags our own create: the event brings us back
        failed.push({
          clusterRef: clusterRef(s.spec?.clusterNamespace ?? '', s.spec?.clusterName ?? ''),
          failureMessage: `cannot write ClusterSummary ${s.metadata?.namespace}/${s.metadata?.name}: ${errorMessage(err)}`,
          lastFailureTime: now,
        });
      }
    }
    await this.deleteSummaries(
      plan.remove.map((r) => ({ apiVersion: CONFIG_API, kind: 'ClusterSummary', metadata: r }) as KubeObject),
      signal,
    );
    for (const s of own) {
      const f = (s.status?.featureSummaries ?? []).find(
        (x) => x.status === 'Failed' || x.status === 'FailedNonRetriable',
      );
      if (f && !s.metadata?.deletionTimestamp) {
        failed.push({
          clusterRef: clusterRef(s.spec?.clusterNamespace ?? '', s.spec?.clusterName ?? ''),
          failureMessage: f.failureMessage ?? `feature ${f.featureID} ${f.status}`,
        });
      }
    }
    const prevFailed = new Map(
      (p.status?.failedClusters ?? []).map((f) => [`${f.clusterRef.namespace}/${f.clusterRef.name}`, f]),
    );
    for (const f of failed) {
      const old = prevFailed.get(`${f.clusterRef.namespace}/${f.clusterRef.name}`);
      f.lastFailureTime ??=
        old?.failureMessage === f.failureMessage && old.lastFailureTime ? old.lastFailureTime : now;
    }
    await this.writeStatus(p, {
      ...(p.status ?? {}),
      matchingClusters: clusterRefs(targets),
      failedClusters: failed,
      reconciliationSuspended: false,
      suspensionReason: undefined,
    });
    return failed.some((f) => f.failureMessage.startsWith('cannot write ClusterSummary'))
      ? Outcome.retry(new Error(failed[0]?.failureMessage))
      : Outcome.done;
  }

  private async writeStatus(p: ProfileObject, status: Record<string, unknown>): Promise<void> {
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined));
    if ((clean.failedClusters as unknown[] | undefined)?.length === 0) delete clean.failedClusters;
    if (deepEqual(clean, p.status ?? {})) return;
    await this.opts.mgmt.updateStatus({ ...p, apiVersion: CONFIG_API, kind: this.kind, status: clean });
  }
}
