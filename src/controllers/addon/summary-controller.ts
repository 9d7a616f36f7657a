/**
 * The ClusterSummary controller (the deployer): observe (caches: summary, cluster, sources,
 * templateResourceRefs, ResourceSummary), decide (sync gating, deploy plan), act (apply, remove),
 * then one status write. Errors from the API are retried by the queue; content errors wait for a
 * change. A failed render/apply or an unreadable source never removes what is deployed.
 */
import { setMaxListeners } from 'node:events';
import type { Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.js';
import { errorMessage } from '../../lib/errors.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import {
  type ClusterInformers,
  Controller,
  type Informer,
  type Logger,
  Outcome,
} from '../../runtime/index.js';
import type { ChartSources } from '../../helm/sources/index.js';
import { ClusterUnavailableError, type ManagedClusters } from './cluster-access.js';
import { decideSync } from './decide-sync.js';
import { gvkString } from './deployer.js';
import {
  ANNOTATION,
  clusterSummaryName,
  FINALIZER,
  GVK,
  type ProfileKind,
  SVELTOS_NAMESPACE,
} from './names.js';
import { deepEqual, hashParts } from './object-hash.js';
import type { HelmReleaseSummary } from './helm-deploy.js';
import { type HelmFeatureResult, reconcileHelm } from './helm-feature.js';
import { helmDriftOf } from './helm-records.js';
import { type KustomizeFeatureResult, kustomizeDriftOf, reconcileKustomize } from './kustomize-feature.js';
import { applyProfilePatches, resolveProfilePatches } from './patches-post-render.js';
import { deployFeature } from './summary-deploy.js';
import { withdrawSummary } from './summary-finalize.js';
import { clusterOf, dedupe, deploySpec, featureResult, metaChanged, profileOf } from './summary-helpers.js';
import { referenceIndexValues, resolvePolicyRefs, resolveTemplateRefs } from './sources.js';
import {
  type ClusterRef,
  deployedResource,
  ensureDriftPrerequisites,
  writeClusterReport,
  writeDeployed,
  writeResourceSummary,
} from './summary-records.js';
import type { ClusterSummaryObject, FeatureSummary, SveltosClusterObject } from './types.js';

export const REFS_INDEX = 'addon:refs';

/** A drift flag (Resources or Helm section) is raised on a ResourceSummary status. */
function raised(status: unknown): boolean {
  return (
    (status as { resourcesChanged?: boolean } | undefined)?.resourcesChanged === true ||
    helmDriftOf(status).helmResourcesChanged === true ||
    kustomizeDriftOf(status)
  );
}
const tuned = new WeakSet<AbortSignal>();
export const CLUSTER_INDEX = 'addon:cluster';
/** Summaries by owning profile: `Kind/namespace/name` (no namespace for a ClusterProfile). */
const OWNER_INDEX = 'addon:summary-owner';
/** Summaries by what they depend on: `Kind|clusterNamespace/clusterName|prerequisite`. */
const DEPENDS_INDEX = 'addon:depends-on';

function ownerKey(kind: ProfileKind, namespace: string | undefined, name: string): string {
  return `${kind}/${kind === 'Profile' ? (namespace ?? '') : ''}/${name}`;
}

function dependsKey(kind: ProfileKind, c: ClusterRef, prerequisite: string): string {
  return `${kind}|${c.namespace}/${c.name}|${prerequisite}`;
}

export interface SummaryControllerOptions {
  mgmt: KubeClient;
  /** Management-cluster informers (shared). */
  informers: ClusterInformers;
  clusters: ManagedClusters;
  /** Chart repositories/registries with their archive cache (the Helm feature). */
  chartSources: ChartSources;
  logger: Logger;
  clock: Clock;
  registry?: Registry;
  workers?: number;
  /** Retry period of conflicts (Sveltos `--conflict-retry-time`, 60 s). */
  conflictRetryMs?: number;
  needLeaderElection?: boolean;
}

export class SummaryController {
  readonly controller: Controller;
  private readonly summaries: Informer<ClusterSummaryObject>;
  private readonly clusterInf: Informer<SveltosClusterObject>;
  private readonly configMaps: Informer;
  private readonly secrets: Informer;
  private readonly watchedKinds = new Set<string>();
  private readonly profileInformers: Partial<Record<ProfileKind, Informer>> = {};
  private readonly watchedDrift = new Set<string>();
  private readonly log: Logger;

  constructor(private readonly opts: SummaryControllerOptions) {
    this.log = opts.logger.child({ controller: 'clustersummary' });
    const inf = opts.informers;
    this.summaries = inf.informer<ClusterSummaryObject>(GVK.clusterSummary);
    this.clusterInf = inf.informer<SveltosClusterObject>(GVK.sveltosCluster);
    this.configMaps = inf.informer(GVK.configMap);
    this.secrets = inf.informer(GVK.secret);
    this.summaries.cache.addIndex(REFS_INDEX, (o) =>
      referenceIndexValues(o.spec?.clusterProfileSpec, o.spec?.clusterNamespace ?? ''),
    );
    this.summaries.cache.addIndex(CLUSTER_INDEX, (o) => [
      `${o.spec?.clusterNamespace}/${o.spec?.clusterName}`,
    ]);
    this.summaries.cache.addIndex(OWNER_INDEX, (o) => {
      const p = profileOf(o);
      return [ownerKey(p.kind, o.metadata?.namespace, p.name)];
    });
    this.summaries.cache.addIndex(DEPENDS_INDEX, (o) => {
      const kind = profileOf(o).kind;
      const c = clusterOf(o);
      return (o.spec?.clusterProfileSpec?.dependsOn ?? []).map((d) => dependsKey(kind, c, d));
    });
    this.controller = new Controller({
      name: 'clustersummary',
      reconcile: (key, ctx) => {
        // Every worker's requests listen on the controller's signal: many listeners by design.
        if (!tuned.has(ctx.signal)) {
          tuned.add(ctx.signal);
          setMaxListeners(0, ctx.signal);
        }
        return this.reconcile(key, ctx.signal);
      },
      workers: opts.workers ?? 16,
      logger: opts.logger,
      clock: opts.clock,
      ...(opts.registry ? { registry: opts.registry } : {}),
      needLeaderElection: opts.needLeaderElection ?? true,
    });
    const c = this.controller;
    c.watch(this.summaries, { updatePredicate: metaChanged });
    // A prerequisite's status change wakes its dependents on the same cluster.
    c.watch(this.summaries, {
      map: (o) => this.dependentsOf(o),
      updatePredicate: (a, b) => !deepEqual(a.status?.featureSummaries, b.status?.featureSummaries),
    });
    c.watch(this.clusterInf, {
      map: (o) => this.byCluster(`${o.metadata?.namespace}/${o.metadata?.name}`),
      updatePredicate: (a, b) =>
        !deepEqual(
          [a.metadata?.labels, a.spec, a.status?.ready],
          [b.metadata?.labels, b.spec, b.status?.ready],
        ),
    });
    // A dependent going away releases its prerequisites' withdrawal on that cluster.
    c.watch(this.summaries, {
      map: (o) => this.prerequisitesOf(o),
      updatePredicate: (a, b) => a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp,
    });
    // Pausing/unpausing a profile (annotation) stops/resumes its summaries.
    for (const kind of ['ClusterProfile', 'Profile'] as const) {
      const pinf = inf.informer(kind === 'Profile' ? GVK.profile : GVK.clusterProfile);
      this.profileInformers[kind] = pinf;
      c.watch(pinf, {
        map: (o) =>
          this.summaries.store
            .byIndex(OWNER_INDEX, ownerKey(kind, o.metadata?.namespace, o.metadata?.name ?? ''))
            .map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`),
        updatePredicate: (a, b) =>
          Object.hasOwn(a.metadata?.annotations ?? {}, ANNOTATION.paused) !==
          Object.hasOwn(b.metadata?.annotations ?? {}, ANNOTATION.paused),
      });
    }
    c.watch(this.configMaps, { map: (o) => this.byRef('ConfigMap', o) });
    c.watch(this.secrets, {
      map: (o) => [...this.byRef('Secret', o), ...this.byKubeconfigSecret(o)],
    });
  }

  get runnable(): Controller {
    return this.controller;
  }

  private byCluster(clusterKey: string): string[] {
    return this.summaries.store
      .byIndex(CLUSTER_INDEX, clusterKey)
      .map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`);
  }

  private byRef(kind: string, o: KubeObject): string[] {
    const keys = new Set<string>();
    const vals = [`${kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, '*'];
    for (const v of vals)
      for (const s of this.summaries.store.byIndex(REFS_INDEX, v))
        keys.add(`${s.metadata?.namespace}/${s.metadata?.name}`);
    return [...keys];
  }

  private byKubeconfigSecret(o: KubeObject): string[] {
    const m = /^(.+)-sveltos-kubeconfig$/.exec(o.metadata?.name ?? '');
    return m ? this.byCluster(`${o.metadata?.namespace}/${m[1]}`) : [];
  }

  private dependentsOf(o: ClusterSummaryObject): string[] {
    const p = profileOf(o);
    return this.summaries.store
      .byIndex(DEPENDS_INDEX, dependsKey(p.kind, clusterOf(o), p.name))
      .map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`);
  }

  private prerequisitesOf(o: ClusterSummaryObject): string[] {
    const p = profileOf(o);
    const c = clusterOf(o);
    return (o.spec?.clusterProfileSpec?.dependsOn ?? []).map(
      (dep) => `${o.metadata?.namespace}/${clusterSummaryName(p.kind, dep, c.type, c.name)}`,
    );
  }

  /** Wakes every summary of a cluster (after ownership moved or content was withdrawn). */
  private wakeCluster(c: ClusterRef, except: string): void {
    for (const k of this.byCluster(`${c.namespace}/${c.name}`)) if (k !== except) this.controller.enqueue(k);
  }

  private async reconcile(key: string, signal: AbortSignal): Promise<Outcome> {
    let cs = this.summaries.store.get(key);
    if (!cs) return Outcome.done;
    if (cs.metadata?.deletionTimestamp) return this.finalize(key, cs, signal);
    if (!(cs.metadata?.finalizers ?? []).includes(FINALIZER.clusterSummary)) {
      // Carry on with the patched object (the cache lags our own write).
      cs = await this.opts.mgmt.patch<ClusterSummaryObject>(
        { ...GVK.clusterSummary, namespace: cs.metadata?.namespace ?? '', name: cs.metadata?.name ?? '' },
        {
          metadata: {
            finalizers: [...(cs.metadata?.finalizers ?? []), FINALIZER.clusterSummary],
            resourceVersion: cs.metadata?.resourceVersion,
          },
        },
        'merge',
        { signal },
      );
    }
    const cluster = clusterOf(cs);
    const profile = profileOf(cs);
    const spec = cs.spec?.clusterProfileSpec ?? {};
    const clusterObj = this.clusterInf.store.getByName(cluster.namespace, cluster.name);
    if (clusterObj?.status?.ready !== true || clusterObj.spec?.paused) return Outcome.done;
    const profileObj = this.profileInformers[profile.kind]?.store.getByName(
      profile.kind === 'Profile' ? cs.metadata?.namespace : undefined,
      profile.name,
    );
    if (
      profileObj?.metadata?.annotations &&
      Object.hasOwn(profileObj.metadata.annotations, ANNOTATION.paused)
    )
      return Outcome.done;

    const prev = cs.status?.featureSummaries?.find((f) => f.featureID === 'Resources');
    const pending = (spec.dependsOn ?? []).filter((dep) => {
      const d = this.summaries.store.getByName(
        cs.metadata?.namespace,
        clusterSummaryName(profile.kind, dep, cluster.type, cluster.name),
      );
      const fs = d?.status?.featureSummaries ?? [];
      return (
        !d || d.metadata?.deletionTimestamp || fs.length === 0 || fs.some((f) => f.status !== 'Provisioned')
      );
    });
    if (pending.length > 0) {
      const dependencies = `waiting for ${profile.kind === 'Profile' ? 'Profiles' : 'ClusterProfiles'} ${pending.join(', ')} to be Provisioned on cluster ${cluster.namespace}/${cluster.name}`;
      await this.writeStatus(cs, {
        dependencies,
        features: [
          {
            featureID: 'Resources',
            status: 'Provisioning',
            ...(prev?.hash ? { hash: prev.hash } : {}),
          },
        ],
      });
      return Outcome.done;
    }

    // Observe the referenced content.
    const sources = resolvePolicyRefs(
      spec.policyRefs ?? [],
      clusterObj,
      { configMaps: this.configMaps.store, secrets: this.secrets.store },
      profile.kind === 'Profile' ? cs.metadata?.namespace : undefined,
    );
    const trr = await resolveTemplateRefs(spec.templateResourceRefs ?? [], clusterObj, {
      namespaced: (av, k) => this.namespaced(av, k),
      get: (av, k, ns, n) => this.templateObject(av, k, ns, n, signal),
    });
    const patches = resolveProfilePatches(
      spec,
      clusterObj,
      { configMaps: this.configMaps.store, secrets: this.secrets.store },
      profile.kind === 'Profile' ? cs.metadata?.namespace : undefined,
      { Cluster: clusterObj as Record<string, unknown>, MgmtResources: trr.resources },
    );
    const sourceErrors = [...sources.errors, ...trr.errors, ...patches.errors];
    let conn: Awaited<ReturnType<ManagedClusters['connection']>>;
    try {
      conn = await this.opts.clusters.connection(cluster);
    } catch (err) {
      // Ready but not connected yet (a Secret or connection lagging): transient, the queue retries.
      if (err instanceof ClusterUnavailableError) return Outcome.retry(err);
      throw err;
    }
    const mode = spec.syncMode ?? 'Continuous';
    const rsName = cs.metadata?.name ?? '';
    let drift = false;
    let rsObj: KubeObject | undefined;
    if (mode === 'ContinuousWithDriftDetection') {
      const rs = await this.resourceSummaries(conn.client, conn.informers, signal);
      rsObj = rs.store.getByName(SVELTOS_NAMESPACE, rsName);
      drift = (rsObj?.status as { resourcesChanged?: boolean } | undefined)?.resourcesChanged === true;
    }
    // Helm charts are deployed before policyRefs resources (Sveltos' feature order).
    const featureInput = {
      mgmt: this.opts.mgmt,
      target: conn.client,
      cs,
      spec,
      clusterObj,
      mgmtResources: trr.resources,
      sourceErrors: trr.errors,
      caches: { configMaps: this.configMaps.store, secrets: this.secrets.store },
      resourceSummary: rsObj,
      now: () => this.opts.clock.now(),
      patches,
    };
    const helm = await reconcileHelm({
      ...featureInput,
      clusterSummaries: this.summaries.store.byIndex(CLUSTER_INDEX, `${cluster.namespace}/${cluster.name}`),
      sources: this.opts.chartSources,
    });
    if (helm?.released) this.wakeCluster(cluster, key);
    if (helm?.requeue) this.controller.enqueue(key);
    const kustomize = await reconcileKustomize({ ...featureInput, signal });
    for (const s of kustomize?.stolen ?? []) this.retrigger(cs, s, cluster);
    if (kustomize?.hadPrevious) this.wakeCluster(cluster, key);
    if (kustomize?.requeue) this.controller.enqueue(key);
    const more = kustomize ? [kustomize.feature] : [];
    const kustomizeGvks = kustomize ? { kustomizeGvks: kustomize.gvks } : {};
    const hash = hashParts([
      deploySpec(spec),
      sources.sources.map((s) => s.content),
      trr.resources,
      sourceErrors,
      patches.patches.map((p) => [p.text, p.target ?? null]),
      clusterObj.metadata?.labels ?? {},
      clusterObj.spec?.data ?? {},
      cs.metadata?.annotations?.[ANNOTATION.retrigger] ?? '',
    ]);
    const gate = decideSync({ syncMode: mode, feature: prev, hash, driftReported: drift });
    this.log.debug({ summary: key, gate: gate.type, reason: gate.reason }, 'sync decision');
    if (gate.type === 'skip') {
      if (!helm && !kustomize) return Outcome.done;
      await this.writeStatus(cs, {
        dependencies: '',
        features: [...(helm ? [helm.feature] : []), ...more],
        ...(helm ? { helm: helm.summaries } : {}),
        ...kustomizeGvks,
      });
      return this.withKustomize(kustomize, this.outcome(helm, undefined, 0, false));
    }

    const { failures, retryable, recorded, reports, conflicts, stolen, previous, applied } =
      await deployFeature({
        mgmt: this.opts.mgmt,
        target: conn.client,
        cs,
        cluster,
        profile,
        spec,
        clusterObj,
        sources: sources.sources,
        mgmtResources: trr.resources,
        sourceErrors,
        gate: gate.type,
        signal,
        postRender: (objs) => applyProfilePatches(objs, patches.patches),
      });

    const now = new Date(this.opts.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    if (gate.type === 'dryRun') {
      await writeClusterReport(this.opts.mgmt, cluster, profile.kind, profile.name, reports);
    } else {
      const resources = dedupe(recorded).map((r) => deployedResource(r.id, r.local, now));
      await writeDeployed(
        this.opts.mgmt,
        cluster,
        profile.kind,
        profile.name,
        resources,
        !cs.status?.deployedGVKs,
      );
      if (mode === 'ContinuousWithDriftDetection') {
        const reset = await writeResourceSummary(
          conn.client,
          { namespace: cs.metadata?.namespace ?? '', name: rsName },
          resources.filter((r) => r.deploymentType !== 'Local'),
          (spec.driftExclusions as { paths?: string[]; target?: Record<string, unknown> }[] | undefined) ??
            [],
          drift,
          applied,
        );
        if (!reset) this.controller.enqueue(key);
      }
      for (const s of stolen) this.retrigger(cs, s, cluster);
      if (previous.length > 0) this.wakeCluster(cluster, key);
    }
    const resources = featureResult('Resources', {
      hash,
      failures,
      conflicts,
      previous: prev,
      maxConsecutiveFailures: spec.maxConsecutiveFailures,
      now,
    });
    await this.writeStatus(cs, {
      dependencies: '',
      features: [...(helm ? [helm.feature] : []), resources, ...more],
      gvks: [...new Set(recorded.map((r) => gvkString(r.id)))].sort(),
      ...(helm ? { helm: helm.summaries } : {}),
      ...kustomizeGvks,
    });
    return this.withKustomize(
      kustomize,
      this.outcome(helm, retryable, conflicts, resources.status === 'FailedNonRetriable'),
    );
  }

  /** Folds the Kustomize feature's result into the outcome (retry first, then the earliest wait). */
  private withKustomize(k: KustomizeFeatureResult | undefined, base: Outcome): Outcome {
    if (!k || k.feature.status === 'FailedNonRetriable' || base.type === 'retry') return base;
    if (k.retryable) return Outcome.retry(k.retryable);
    const waits = [
      ...(base.type === 'requeueAfter' ? [base.ms] : []),
      ...(k.conflicts > 0 ? [this.opts.conflictRetryMs ?? 60_000] : []),
      ...(k.pollMs !== undefined ? [k.pollMs] : []),
    ];
    return waits.length > 0 ? Outcome.requeueAfter(Math.min(...waits)) : base;
  }

  /** The queue outcome of a reconcile from both features' results. */
  private outcome(
    helm: HelmFeatureResult | undefined,
    retryable: unknown,
    conflicts: number,
    resourcesStopped: boolean,
  ): Outcome {
    const helmStopped = helm?.feature.status === 'FailedNonRetriable';
    const retry = (resourcesStopped ? undefined : retryable) ?? (helmStopped ? undefined : helm?.retryable);
    if (retry) return Outcome.retry(retry);
    if ((resourcesStopped ? 0 : conflicts) + (helmStopped ? 0 : (helm?.conflicts ?? 0)) > 0)
      return Outcome.requeueAfter(this.opts.conflictRetryMs ?? 60_000);
    return Outcome.done;
  }

  /** Withdraws (or, with LeavePolicies, releases) what the summary deployed, then lets it go. */
  private async finalize(key: string, cs: ClusterSummaryObject, signal: AbortSignal): Promise<Outcome> {
    if (!(cs.metadata?.finalizers ?? []).includes(FINALIZER.clusterSummary)) return Outcome.done;
    // Dependents are torn down before their prerequisites (their deletion wakes us).
    const waiting = this.dependentsOf(cs).filter((k) => this.summaries.store.get(k) !== undefined);
    if (waiting.length > 0) return Outcome.done;
    const cluster = clusterOf(cs);
    const errors = await withdrawSummary(
      {
        mgmt: this.opts.mgmt,
        clusters: this.opts.clusters,
        clusterObj: this.clusterInf.store.getByName(cluster.namespace, cluster.name),
        log: this.log,
      },
      key,
      cs,
      signal,
    );
    if (errors.length > 0) return Outcome.retry(new Error(errors.join('; ')));
    this.wakeCluster(cluster, key);
    return Outcome.done;
  }

  private retrigger(
    cs: ClusterSummaryObject,
    from: { kind: string; name: string },
    cluster: ClusterRef,
  ): void {
    const name = clusterSummaryName(from.kind as ProfileKind, from.name, cluster.type, cluster.name);
    const ns = cs.metadata?.namespace ?? '';
    void this.opts.mgmt
      .patch(
        { ...GVK.clusterSummary, namespace: ns, name },
        {
          metadata: {
            annotations: { [ANNOTATION.retrigger]: new Date(this.opts.clock.now()).toISOString() },
          },
        },
        'merge',
      )
      .catch((err) =>
        this.log.warn(
          { err: errorMessage(err), summary: `${ns}/${name}` },
          'cannot retrigger previous owner',
        ),
      );
  }

  private async writeStatus(
    cs: ClusterSummaryObject,
    s: {
      dependencies: string;
      features: FeatureSummary[];
      gvks?: string[];
      helm?: HelmReleaseSummary[];
      kustomizeGvks?: string[];
    },
  ): Promise<void> {
    const ids = new Set(s.features.map((f) => f.featureID));
    const features = (cs.status?.featureSummaries ?? []).filter((f) => !ids.has(f.featureID));
    features.push(...s.features);
    features.sort((a, b) => a.featureID.localeCompare(b.featureID));
    const status: Record<string, unknown> = {
      dependencies: s.dependencies || null,
      featureSummaries: features,
    };
    if (s.gvks || s.kustomizeGvks) {
      const byFeature = new Map((cs.status?.deployedGVKs ?? []).map((g) => [g.featureID, g]));
      if (s.gvks) byFeature.set('Resources', { featureID: 'Resources', deployedGroupVersionKind: s.gvks });
      if (s.kustomizeGvks)
        byFeature.set('Kustomize', { featureID: 'Kustomize', deployedGroupVersionKind: s.kustomizeGvks });
      status.deployedGVKs = [...byFeature.values()].sort((a, b) => a.featureID.localeCompare(b.featureID));
    }
    if (s.helm) status.helmReleaseSummaries = s.helm.length > 0 ? s.helm : null;
    const cur = cs.status ?? {};
    if (
      deepEqual(cur.featureSummaries, features) &&
      (cur.dependencies ?? null) === status.dependencies &&
      (status.deployedGVKs === undefined || deepEqual(cur.deployedGVKs, status.deployedGVKs)) &&
      (!s.helm || deepEqual(cur.helmReleaseSummaries ?? null, status.helmReleaseSummaries))
    )
      return;
    await this.opts.mgmt.patch(
      { ...GVK.clusterSummary, namespace: cs.metadata?.namespace ?? '', name: cs.metadata?.name ?? '' },
      { status },
      'merge',
      { subresource: 'status' },
    );
  }

  private async namespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    try {
      return (await this.opts.mgmt.resource(apiVersion, kind)).namespaced;
    } catch {
      return undefined;
    }
  }

  /** A templateResourceRefs object from a (lazily created, watched) management informer. */
  private async templateObject(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
    signal: AbortSignal,
  ): Promise<KubeObject | undefined> {
    const inf = this.opts.informers.informer({ apiVersion, kind });
    const k = `${apiVersion}|${kind}`;
    if (!this.watchedKinds.has(k)) {
      this.watchedKinds.add(k);
      if (kind !== 'ConfigMap' && kind !== 'Secret')
        this.controller.watch(inf, { map: (o) => this.byRef(kind, o) });
    }
    await inf.waitForSync(signal);
    return inf.store.getByName(namespace || undefined, name);
  }

  /** The managed cluster's ResourceSummary informer, watched: a drift report wakes its summary. */
  private async resourceSummaries(
    client: KubeClient,
    informers: ClusterInformers,
    signal: AbortSignal,
  ): Promise<Informer> {
    await ensureDriftPrerequisites(client);
    const inf = informers.informer({ ...GVK.resourceSummary, namespace: SVELTOS_NAMESPACE });
    if (!this.watchedDrift.has(client.cluster)) {
      this.watchedDrift.add(client.cluster);
      this.controller.watch(inf, {
        // Only a raised flag wakes the summary (not the summary's own creation of it).
        map: (o) => {
          if (!raised(o.status)) return [];
          const a = o.metadata?.annotations ?? {};
          const n = a[ANNOTATION.clusterSummaryName];
          const ns = a[ANNOTATION.clusterSummaryNamespace];
          return n && ns ? [`${ns}/${n}`] : [];
        },
        updatePredicate: (a, b) =>
          ((b.status as { resourcesChanged?: boolean } | undefined)?.resourcesChanged === true &&
            (a.status as { resourcesChanged?: boolean } | undefined)?.resourcesChanged !== true) ||
          (helmDriftOf(b.status).helmResourcesChanged === true &&
            helmDriftOf(a.status).helmResourcesChanged !== true) ||
          (kustomizeDriftOf(b.status) && !kustomizeDriftOf(a.status)),
      });
    }
    await inf.waitForSync(signal);
    return inf;
  }
}
