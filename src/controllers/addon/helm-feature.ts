/**
 * The Helm feature inside a ClusterSummary reconcile: observe (claims of every summary on the
 * cluster, valuesFrom content, drift flags), gate by content hash (decideSync), deploy
 * (helm-deploy.ts), then record: ClusterConfiguration `Charts`, DryRun `releaseReports`, the
 * ResourceSummary's `chartResources`. Returns the feature summary and helmReleaseSummaries for
 * the reconcile's one status write.
 */
import type { HelmChart } from '../../api/index.js';
import type { ChartSources } from '../../helm/sources/index.js';
import type { KubeClient } from '../../kube/index.js';
import { claimTier, type ReleaseClaim, releaseKey, releaseManager } from './decide-helm.js';
import { decideSync } from './decide-sync.js';
import {
  deployHelmCharts,
  type HelmReleaseSummary,
  type ReleaseClaims,
  withdrawHelmReleases,
} from './helm-deploy.js';
import { helmDriftOf, writeChartResources } from './helm-records.js';
import { ANNOTATION, type ProfileKind } from './names.js';
import { hashParts } from './object-hash.js';
import { manifestPostRenderer, type ProfilePatches } from './patches-post-render.js';
import { resolvePolicyRefs } from './sources.js';
import { clusterOf, featureResult, profileOf } from './summary-helpers.js';
import {
  type ClusterRef,
  type DriftExclusions,
  readDeployedCharts,
  writeClusterReport,
  writeFeature,
} from './summary-records.js';
import type { ClusterSummaryObject, FeatureInput, FeatureSummary, ProfileSpec } from './types.js';

export function helmChartsOf(spec: ProfileSpec): HelmChart[] {
  return (spec.helmCharts as HelmChart[] | undefined) ?? [];
}

export function releaseSummariesOf(cs: ClusterSummaryObject): HelmReleaseSummary[] {
  return (cs.status?.helmReleaseSummaries as HelmReleaseSummary[] | undefined) ?? [];
}

/** The release owner of a summary: `ClusterProfile/name` or `Profile/namespace/name`. */
export function releaseOwner(kind: ProfileKind, name: string, namespace: string | undefined): string {
  return kind === 'Profile' ? `Profile/${namespace ?? ''}/${name}` : `ClusterProfile/${name}`;
}

/** Release key → the owner managing it and every owner claiming it, from the live summaries. */
export function releaseManagers(summaries: readonly ClusterSummaryObject[]): Map<string, ReleaseClaims> {
  const claims = new Map<string, ReleaseClaim[]>();
  for (const s of summaries) {
    if (s.metadata?.deletionTimestamp) continue;
    const p = profileOf(s);
    const spec = s.spec?.clusterProfileSpec ?? {};
    for (const h of helmChartsOf(spec)) {
      if ((h.helmChartAction ?? 'Install') !== 'Install') continue;
      const k = releaseKey(h.releaseNamespace, h.releaseName);
      const l = claims.get(k) ?? [];
      l.push({
        summary: `${s.metadata?.namespace}/${s.metadata?.name}`,
        owner: releaseOwner(p.kind, p.name, s.metadata?.namespace),
        tier: claimTier(spec.tier),
        created: s.metadata?.creationTimestamp ?? '',
      });
      claims.set(k, l);
    }
  }
  const out = new Map<string, ReleaseClaims>();
  for (const [k, l] of claims) {
    const m = releaseManager(l);
    if (m) out.set(k, { manager: m.owner, claimants: l.map((c) => c.owner) });
  }
  return out;
}

export interface HelmFeatureInput extends FeatureInput {
  /** Every ClusterSummary of the cluster (the claims). */
  clusterSummaries: readonly ClusterSummaryObject[];
  sources: ChartSources;
  /** The profile's rendered post-render patches (applied to the chart manifests). */
  patches?: ProfilePatches;
}

export interface HelmFeatureResult {
  feature: FeatureSummary;
  summaries: HelmReleaseSummary[];
  retryable: unknown;
  conflicts: number;
  /** Uninstalled a release, or the ResourceSummary flag must be looked at again. */
  released: boolean;
  requeue: boolean;
}

/** Runs the Helm feature; undefined when the summary has no charts now and managed none before. */
export async function reconcileHelm(input: HelmFeatureInput): Promise<HelmFeatureResult | undefined> {
  const { cs, spec, clusterObj } = input;
  const charts = helmChartsOf(spec);
  const prevFeature = cs.status?.featureSummaries?.find((f) => f.featureID === 'Helm');
  const prevSummaries = releaseSummariesOf(cs).filter((s) => s.status === 'Managing');
  if (charts.length === 0 && !prevFeature && prevSummaries.length === 0) return undefined;
  const cluster = clusterOf(cs);
  const profile = profileOf(cs);
  const owner = releaseOwner(profile.kind, profile.name, cs.metadata?.namespace);
  const profileNs = profile.kind === 'Profile' ? cs.metadata?.namespace : undefined;
  const managers = releaseManagers(input.clusterSummaries);
  const valuesFrom = charts.map((h, i) =>
    resolvePolicyRefs(h.valuesFrom ?? [], clusterObj, input.caches, profileNs, `helmCharts[${i}].valuesFrom`),
  );
  const mode = spec.syncMode ?? 'Continuous';
  const drift = helmDriftOf(input.resourceSummary?.status);
  const driftReported = mode === 'ContinuousWithDriftDetection' && drift.helmResourcesChanged === true;
  const hash = hashParts([
    charts,
    valuesFrom.map((v) => [v.sources.map((s) => s.content), v.errors]),
    input.mgmtResources,
    input.sourceErrors,
    clusterObj.metadata?.labels ?? {},
    (clusterObj.spec as { data?: unknown } | undefined)?.data ?? {},
    cs.metadata?.annotations?.[ANNOTATION.retrigger] ?? '',
    spec.tier,
    mode,
    input.patches ? [input.patches.patches.map((p) => [p.text, p.target ?? null]), input.patches.errors] : [],
    charts.map((h) => managers.get(releaseKey(h.releaseNamespace, h.releaseName))?.manager ?? ''),
  ]);
  const gate = decideSync({ syncMode: mode, feature: prevFeature, hash, driftReported });
  if (gate.type === 'skip') return undefined;
  const recorded = await readDeployedCharts(input.mgmt, cluster, profile.kind, profile.name);
  const previous = new Map<
    string,
    { releaseName: string; releaseNamespace: string; record?: (typeof recorded)[number] }
  >();
  for (const s of prevSummaries)
    previous.set(releaseKey(s.releaseNamespace, s.releaseName), {
      releaseName: s.releaseName,
      releaseNamespace: s.releaseNamespace,
    });
  for (const r of recorded) {
    const ns = r.namespace ?? '';
    previous.set(releaseKey(ns, r.releaseName), {
      releaseName: r.releaseName,
      releaseNamespace: ns,
      record: r,
    });
  }
  const drifted = driftReported
    ? new Set(
        (drift.driftedHelmCharts ?? []).map((d) => releaseKey(d.releaseNamespace ?? '', d.releaseName ?? '')),
      )
    : undefined;
  const postRender = input.patches ? manifestPostRenderer(input.patches) : undefined;
  const res = await deployHelmCharts({
    target: input.target,
    cluster,
    owner,
    charts,
    data: { Cluster: clusterObj as Record<string, unknown>, MgmtResources: input.mgmtResources },
    caches: input.caches,
    valuesFrom,
    sources: input.sources,
    managers,
    previous: [...previous.values()],
    dryRun: gate.type === 'dryRun',
    drifted,
    continueOnError: !!spec.continueOnError,
    now: input.now,
    ...(postRender ? { postRender } : {}),
    readBack: mode === 'ContinuousWithDriftDetection',
  });
  const failures = [...input.sourceErrors.map((e) => `helm values: ${e}`), ...res.failures];
  let requeue = false;
  if (gate.type === 'dryRun') {
    await writeClusterReport(input.mgmt, cluster, profile.kind, profile.name, res.reports, 'releaseReports');
  } else {
    await writeFeature(input.mgmt, cluster, profile.kind, profile.name, {
      featureID: 'Helm',
      charts: res.charts,
    });
    if (mode === 'ContinuousWithDriftDetection') {
      const ok = await writeChartResources(
        input.target,
        { namespace: cs.metadata?.namespace ?? '', name: cs.metadata?.name ?? '' },
        res.chartResources,
        driftReported,
        res.applied,
        (spec.driftExclusions as DriftExclusions | undefined) ?? [],
      );
      requeue = !ok;
    }
  }
  return {
    feature: featureResult('Helm', {
      hash,
      failures,
      conflicts: res.conflicts,
      previous: prevFeature,
      maxConsecutiveFailures: spec.maxConsecutiveFailures,
      now: new Date(input.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
    }),
    summaries: res.summaries,
    retryable: res.retryable,
    conflicts: res.conflicts,
    released: res.released,
    requeue,
  };
}

/** ClusterSummary deletion: uninstall the releases this profile manages (not with LeavePolicies). */
export async function withdrawHelm(
  mgmt: KubeClient,
  target: KubeClient,
  cs: ClusterSummaryObject,
  cluster: ClusterRef,
): Promise<string[]> {
  const profile = profileOf(cs);
  const recorded = await readDeployedCharts(mgmt, cluster, profile.kind, profile.name);
  const releases = [
    ...releaseSummariesOf(cs).filter((s) => s.status === 'Managing'),
    ...recorded.map((r) => ({ releaseName: r.releaseName, releaseNamespace: r.namespace ?? '' })),
  ];
  if (releases.length === 0) return [];
  return withdrawHelmReleases(
    target,
    releaseOwner(profile.kind, profile.name, cs.metadata?.namespace),
    releases,
    helmChartsOf(cs.spec?.clusterProfileSpec ?? {}),
    `cluster ${cluster.namespace}/${cluster.name}`,
  );
}
