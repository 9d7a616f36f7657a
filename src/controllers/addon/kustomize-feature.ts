/**
 * The Kustomize feature inside a ClusterSummary reconcile: observe (kustomizationRefs sources,
 * values, post-render patches, drift flag), gate by content hash (decideSync), render every ref,
 * deploy through the Resources machinery (deployFeature with feature `Kustomize`: label
 * `projectsveltos.io/reason: Kustomize`, ownership, tiers, removals of its own objects only), then
 * record: ClusterConfiguration `Kustomize` entry, DryRun `kustomizeResourceReports`, the
 * ResourceSummary's `kustomizeResources`. Returns the feature summary for the one status write.
 */
import type { KustomizationRef } from '../../api/index.js';
import type { KubeClient } from '../../kube/index.js';
import { DEFAULT_TIER, isOwnedBy, type ObjectId } from './decide-deploy.js';
import { decideSync } from './decide-sync.js';
import { gvkString, observeManaged, patchObjects, type RenderedObject, removeObjects } from './deployer.js';
import { writeKustomizeResources } from './kustomize-records.js';
import { kustomizeValues, renderKustomization } from './kustomize-render.js';
import {
  type KustomizeSource,
  resolveKustomizeSource,
  SOURCE_RETRY_MS,
  type SourceEnv,
} from './kustomize-source.js';
import { ANNOTATION } from './names.js';
import { hashParts } from './object-hash.js';
import { releaseOwnershipPatch } from './ownership.js';
import { type ProfilePatches, resolveProfilePatches } from './patches-post-render.js';
import { RenderError } from './render.js';
import { deployFeature } from './summary-deploy.js';
import { clusterOf, dedupe, featureResult, profileOf } from './summary-helpers.js';
import {
  type ClusterRef,
  type DriftExclusions,
  deployedResource,
  readDeployedFeature,
  resourceId,
  writeClusterReport,
  writeFeature,
} from './summary-records.js';
import type { ClusterSummaryObject, FeatureInput, FeatureSummary, ProfileSpec } from './types.js';

export function kustomizationRefsOf(spec: ProfileSpec): KustomizationRef[] {
  return (spec.kustomizationRefs as KustomizationRef[] | undefined) ?? [];
}

export interface KustomizeFeatureInput extends FeatureInput {
  signal: AbortSignal;
  fetch?: typeof fetch;
  /** The profile's post-render patches when the caller resolved them already. */
  patches?: ProfilePatches;
}

export interface KustomizeFeatureResult {
  feature: FeatureSummary;
  /** `Kind.version.group` of what is (or may still be) deployed: the deployedGVKs entry. */
  gvks: string[];
  retryable: unknown;
  conflicts: number;
  /** Owners whose objects this deploy took over (their summaries should be retriggered). */
  stolen: { kind: string; name: string }[];
  /** Something was deployed before: other summaries on the cluster may want to look again. */
  hadPrevious: boolean;
  /** The ResourceSummary flag must be looked at again. */
  requeue: boolean;
  /** A remote URL is polled: reconcile again after this many milliseconds. */
  pollMs?: number;
}

export function kustomizeDriftOf(status: unknown): boolean {
  return (status as { kustomizeResourcesChanged?: boolean } | undefined)?.kustomizeResourcesChanged === true;
}

/** Runs the Kustomize feature; undefined when there is nothing to do (no refs now or before, or the gate skips). */
export async function reconcileKustomize(
  input: KustomizeFeatureInput,
): Promise<KustomizeFeatureResult | undefined> {
  const { cs, spec, clusterObj } = input;
  const refs = kustomizationRefsOf(spec);
  const prevFeature = cs.status?.featureSummaries?.find((f) => f.featureID === 'Kustomize');
  if (refs.length === 0 && !prevFeature) return undefined;
  const cluster = clusterOf(cs);
  const profile = profileOf(cs);
  const profileNs = profile.kind === 'Profile' ? cs.metadata?.namespace : undefined;
  const data = { Cluster: clusterObj as Record<string, unknown>, MgmtResources: input.mgmtResources };
  const env: SourceEnv = {
    mgmt: input.mgmt,
    caches: input.caches,
    cluster: clusterObj,
    profileNamespace: profileNs,
    signal: input.signal,
    ...(input.fetch ? { fetch: input.fetch } : {}),
  };
  const errors: string[] = [...input.sourceErrors];
  const sources: (KustomizeSource | undefined)[] = [];
  for (const [i, ref] of refs.entries()) {
    const r = await resolveKustomizeSource(ref, i, env);
    if ('source' in r) sources.push(r.source);
    else {
      sources.push(undefined);
      if ('error' in r) errors.push(r.error);
    }
  }
  const values = refs.map((ref, i) =>
    kustomizeValues(ref, `kustomizationRefs[${i}]`, clusterObj, input.caches, profileNs, data),
  );
  for (const v of values) errors.push(...v.errors);
  const patches = input.patches ?? resolveProfilePatches(spec, clusterObj, input.caches, profileNs, data);
  errors.push(...patches.errors);
  const mode = spec.syncMode ?? 'Continuous';
  const driftReported =
    mode === 'ContinuousWithDriftDetection' && kustomizeDriftOf(input.resourceSummary?.status);
  const hash = hashParts([
    refs,
    sources.map((s) => s?.revision ?? ''),
    values.map((v) => v.values),
    patches.patches.map((p) => [p.text, p.target ?? null]),
    errors,
    input.mgmtResources,
    clusterObj.metadata?.labels ?? {},
    (clusterObj.spec as { data?: unknown } | undefined)?.data ?? {},
    cs.metadata?.annotations?.[ANNOTATION.retrigger] ?? '',
    spec.tier,
    mode,
    spec.continueOnConflict,
    spec.continueOnError,
    spec.extraLabels,
    spec.extraAnnotations,
  ]);
  const gate = decideSync({ syncMode: mode, feature: prevFeature, hash, driftReported });
  // Remote and Flux sources are polled; one that could not be read is tried again soon.
  const unreadRemote = refs.some(
    (r, i) => !sources[i] && (r.remoteURL || (r.kind && r.kind !== 'ConfigMap' && r.kind !== 'Secret')),
  );
  const polls = [...sources.map((s) => s?.pollMs), unreadRemote ? SOURCE_RETRY_MS : undefined];
  const pollMs = polls.reduce<number | undefined>(
    (m, p) => (p === undefined ? m : Math.min(m ?? p, p)),
    undefined,
  );
  if (gate.type === 'skip') {
    // Unchanged; a polled remote URL still needs the next look.
    if (pollMs === undefined || !prevFeature) return undefined;
    const gvks = cs.status?.deployedGVKs?.find((g) => g.featureID === 'Kustomize')?.deployedGroupVersionKind;
    return {
      feature: prevFeature,
      gvks: gvks ?? [],
      retryable: undefined,
      conflicts: 0,
      stolen: [],
      hadPrevious: false,
      requeue: false,
      pollMs,
    };
  }

  // Render every ref; a render failure applies nothing and removes nothing (deployFeature).
  const remote: RenderedObject[] = [];
  const local: RenderedObject[] = [];
  const renderErrors: string[] = [];
  for (const [i, src] of sources.entries()) {
    if (!src) continue;
    try {
      const objs = renderKustomization(
        src,
        `kustomizationRefs[${i}]`,
        data,
        values[i] as (typeof values)[number],
        patches.patches,
      );
      const source = {
        kind: src.kind,
        namespace: src.namespace,
        name: src.name,
        tier: src.ref.tier ?? DEFAULT_TIER,
      };
      for (const obj of objs)
        (src.ref.deploymentType === 'Local' ? local : remote).push({
          obj,
          source,
          skipNamespaceCreation: !!src.ref.skipNamespaceCreation,
        });
    } catch (err) {
      renderErrors.push(
        `${err instanceof RenderError ? err.message : String(err)} (cluster ${cluster.namespace}/${cluster.name})`,
      );
    }
  }
  const res = await deployFeature({
    mgmt: input.mgmt,
    target: input.target,
    cs,
    cluster,
    profile,
    spec,
    clusterObj,
    sources: [],
    mgmtResources: input.mgmtResources,
    sourceErrors: errors,
    gate: gate.type,
    signal: input.signal,
    feature: 'Kustomize',
    rendered: { remote, local, errors: renderErrors },
  });
  const now = new Date(input.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  let requeue = false;
  if (gate.type === 'dryRun') {
    await writeClusterReport(
      input.mgmt,
      cluster,
      profile.kind,
      profile.name,
      res.reports,
      'kustomizeResourceReports',
    );
  } else {
    const resources = dedupe(res.recorded).map((r) => deployedResource(r.id, r.local, now));
    await writeFeature(input.mgmt, cluster, profile.kind, profile.name, {
      featureID: 'Kustomize',
      resources,
    });
    if (mode === 'ContinuousWithDriftDetection') {
      requeue = !(await writeKustomizeResources(
        input.target,
        { namespace: cs.metadata?.namespace ?? '', name: cs.metadata?.name ?? '' },
        resources.filter((r) => r.deploymentType !== 'Local'),
        driftReported,
        res.applied,
        (spec.driftExclusions as DriftExclusions | undefined) ?? [],
      ));
    }
  }
  const feature = featureResult('Kustomize', {
    hash,
    failures: res.failures,
    conflicts: res.conflicts,
    previous: prevFeature,
    maxConsecutiveFailures: spec.maxConsecutiveFailures,
    now,
  });
  return {
    feature,
    gvks: [...new Set(res.recorded.map((r) => gvkString(r.id)))].sort(),
    retryable: res.retryable,
    conflicts: res.conflicts,
    stolen: res.stolen,
    hadPrevious: res.previous.length > 0,
    requeue,
    ...(pollMs !== undefined ? { pollMs } : {}),
  };
}

/**
 * ClusterSummary deletion: remove (or, with LeavePolicies, release) the objects the Kustomize
 * feature of this profile deployed, in the managed cluster and (Local) the management cluster.
 * Returns the failures.
 */
export async function withdrawKustomize(
  mgmt: KubeClient,
  target: KubeClient | undefined,
  cs: ClusterSummaryObject,
  cluster: ClusterRef,
  signal?: AbortSignal,
): Promise<string[]> {
  const profile = profileOf(cs);
  const spec = cs.spec?.clusterProfileSpec ?? {};
  if (spec.syncMode === 'DryRun') return [];
  const leave = spec.stopMatchingBehavior === 'LeavePolicies';
  const recorded = await readDeployedFeature(mgmt, cluster, profile.kind, profile.name, 'Kustomize');
  const gvksBefore =
    cs.status?.deployedGVKs?.find((g) => g.featureID === 'Kustomize')?.deployedGroupVersionKind ?? [];
  const errors: string[] = [];
  const targets: [KubeClient | undefined, boolean, string][] = [
    [target, false, `cluster ${cluster.namespace}/${cluster.name}`],
    [mgmt, true, 'the management cluster'],
  ];
  for (const [client, isLocal, where] of targets) {
    const mine = recorded.filter((r) => (r.deploymentType === 'Local') === isLocal);
    const gvks = new Set([...mine.map((r) => gvkString(resourceId(r))), ...(isLocal ? [] : gvksBefore)]);
    if (!client || gvks.size === 0) continue;
    const current = await observeManaged(client, gvks, signal);
    const allowed = isLocal ? new Set<ObjectId>(mine.map(resourceId)) : undefined;
    const ids = [...current.values()]
      .filter((c) => c.reason === 'Kustomize' && isOwnedBy(c.annotations, profile))
      .filter((c) => !allowed || allowed.has(c.id))
      .map((c) => c.id);
    errors.push(
      ...(leave
        ? await patchObjects(client, ids, releaseOwnershipPatch(), where, signal)
        : await removeObjects(client, ids, where, signal)),
    );
  }
  return errors;
}
