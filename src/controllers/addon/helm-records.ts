/**
 * What the Helm feature records beside a ClusterSummary: the ResourceSummary's
 * `spec.chartResources` in the managed cluster (the drift agent's Helm section, applied under
 * its own field manager so the Resources feature's `spec.resources` is kept), and the objects of
 * a release manifest in that form.
 */
import type { HelmChartRef } from '../../api/index.js';
import { parseObjects } from '../../helm/action/index.js';
import type { Release } from '../../helm/release/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import {
  appliedBaselines,
  applyResourceSummary,
  type DriftExclusions,
  HELM_FIELD_MANAGER,
} from './summary-records.js';

export interface ChartResource {
  chartName: string;
  releaseName: string;
  releaseNamespace: string;
  /** The resource list (JSON name `group`, as Sveltos). */
  group: {
    name: string;
    namespace?: string;
    group: string;
    kind: string;
    version: string;
    ignoreForConfigurationDrift: boolean;
  }[];
}

/** The objects a release deployed (its manifest; namespaces defaulted to the release namespace). */
export async function chartResourcesOf(client: KubeClient, rel: Release): Promise<ChartResource> {
  const group: ChartResource['group'] = [];
  for (const o of parseObjects(rel.manifest)) {
    const av = o.apiVersion ?? '';
    const i = av.indexOf('/');
    let namespaced = true;
    try {
      namespaced = (await client.resource(av, o.kind ?? '')).namespaced;
    } catch {
      // A kind the cluster no longer serves: listed as written.
      namespaced = o.metadata?.namespace !== undefined;
    }
    const ns = namespaced ? o.metadata?.namespace || rel.namespace : undefined;
    group.push({
      name: o.metadata?.name ?? '',
      ...(ns ? { namespace: ns } : {}),
      group: i < 0 ? '' : av.slice(0, i),
      kind: o.kind ?? '',
      version: i < 0 ? av : av.slice(i + 1),
      ignoreForConfigurationDrift: false,
    });
  }
  return {
    chartName: rel.chart.metadata.name,
    releaseName: rel.name,
    releaseNamespace: rel.namespace,
    group,
  };
}

/** An object of a release as read back after its install or upgrade, with its release. */
export interface AppliedChartObject {
  object: KubeObject;
  chart: HelmChartRef;
}

/**
 * Reads a release's objects back right after its install or upgrade, for drift baselines (the
 * Helm actions do not return what the server answered to their applies). An object that cannot
 * be read is left out: the agent then takes its baseline from the live object itself.
 */
export async function readBackRelease(client: KubeClient, cr: ChartResource): Promise<AppliedChartObject[]> {
  const chart = {
    chartName: cr.chartName,
    releaseName: cr.releaseName,
    releaseNamespace: cr.releaseNamespace,
  };
  const out: AppliedChartObject[] = [];
  for (const r of cr.group) {
    if (r.ignoreForConfigurationDrift) continue;
    try {
      const object = await client.get({
        apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
        kind: r.kind,
        ...(r.namespace ? { namespace: r.namespace } : {}),
        name: r.name,
      });
      out.push({ object, chart });
    } catch {
      // Best effort (see above): a missing baseline is the agent's to take, never a failed deploy.
    }
  }
  return out;
}

interface HelmDriftStatus {
  helmResourcesChanged?: boolean;
  driftedHelmCharts?: { chartName?: string; releaseName?: string; releaseNamespace?: string }[];
}

export function helmDriftOf(status: unknown): HelmDriftStatus {
  return (status ?? {}) as HelmDriftStatus;
}

/**
 * Applies `spec.chartResources` of the summary's ResourceSummary (the CRD and namespace exist:
 * ensureDriftPrerequisites) and resets the Helm section of its status with the baselines of the
 * objects of the releases this deploy installed or upgraded (`applied`, read back), unless the
 * agent raised the flag after this deploy read it (then false: reconcile again).
 */
export async function writeChartResources(
  client: KubeClient,
  summary: { namespace: string; name: string },
  chartResources: readonly ChartResource[],
  driftSeen: boolean,
  applied: readonly AppliedChartObject[] = [],
  /** The profile's driftExclusions (the ResourceSummary's `spec.patches`). */
  driftExclusions: DriftExclusions = [],
): Promise<boolean> {
  return applyResourceSummary(
    client,
    summary,
    { chartResources },
    {
      fieldManager: HELM_FIELD_MANAGER,
      section: 'helm',
      fresh: appliedBaselines(applied, driftExclusions),
      listed: chartResources.flatMap((c) => c.group.filter((r) => !r.ignoreForConfigurationDrift)),
      driftSeen,
    },
  );
}
