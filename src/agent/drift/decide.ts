import type {
  HelmChartRef,
  HelmResourceHash,
  ResourceSummary,
  ResourceSummaryStatus,
} from '../../api/index.js';
import { canonicalJson } from '../../engine/drift/index.js';
import { resourceId, SECTIONS, type Section, type TrackedResource, trackedResources } from './tracked.js';

/** What the agent knows of a watched object. */
export type LiveState =
  | { readonly type: 'present'; readonly hash: string; readonly ignored: boolean }
  | { readonly type: 'absent' };

export interface DriftPlan {
  /** The status the ResourceSummary should have. */
  status: ResourceSummaryStatus;
  /** Objects whose observation decided something (a new baseline or a drift): confirm them live. */
  decisive: TrackedResource[];
  /** Objects found drifted. */
  drifted: TrackedResource[];
}

const FLAG: Record<Section, 'resourcesChanged' | 'kustomizeResourcesChanged' | 'helmResourcesChanged'> = {
  resources: 'resourcesChanged',
  kustomizeResources: 'kustomizeResourcesChanged',
  helm: 'helmResourcesChanged',
};
const HASHES: Record<Section, 'resourceHashes' | 'kustomizeResourceHashes' | 'helmResourceHashes'> = {
  resources: 'resourceHashes',
  kustomizeResources: 'kustomizeResourceHashes',
  helm: 'helmResourceHashes',
};

function chartKey(c: HelmChartRef): string {
  return `${c.releaseNamespace}/${c.releaseName}/${c.chartName}`;
}

function entryOf(t: TrackedResource, hash: string): HelmResourceHash {
  return {
    group: t.group,
    version: t.version,
    kind: t.kind,
    ...(t.namespace ? { namespace: t.namespace } : {}),
    name: t.name,
    ...(t.lastAppliedTime ? { lastAppliedTime: t.lastAppliedTime } : {}),
    hash,
    ...(t.chart ? { helmChartRef: t.chart } : {}),
  };
}

/**
 * Drift detection for one ResourceSummary, pure. Per section:
 * - a resource with a baseline hash drifts when its object is gone or hashes differently (unless
 *   it carries `projectsveltos.io/driftDetectionIgnore`): the flag is set and its baseline removed;
 * - a resource without a baseline gets one from its live object while the section's flag is
 *   false (the management plane reset it after re-applying); while the flag is true it waits;
 *   a missing object there is a drift too;
 * - baselines of resources no longer listed are dropped. Flags are never cleared here.
 */
export function decideDrift(rs: ResourceSummary, observe: (t: TrackedResource) => LiveState): DriftPlan {
  const cur = rs.status ?? {};
  const tracked = trackedResources(rs.spec);
  const status: ResourceSummaryStatus = {};
  const decisive: TrackedResource[] = [];
  const drifted: TrackedResource[] = [];
  const charts = new Map<string, HelmChartRef>();
  for (const c of cur.driftedHelmCharts ?? []) charts.set(chartKey(c), c);
  for (const section of SECTIONS) {
    let flag = cur[FLAG[section]] === true;
    const baseline = new Map<string, HelmResourceHash>();
    for (const e of cur[HASHES[section]] ?? []) if (e.hash) baseline.set(resourceId(e), e);
    const next: HelmResourceHash[] = [];
    for (const t of tracked) {
      if (t.section !== section) continue;
      const entry = baseline.get(t.id);
      const live = observe(t);
      if (entry) {
        const changed = live.type === 'absent' || (!live.ignored && live.hash !== entry.hash);
        if (!changed) {
          next.push(entry);
          continue;
        }
        decisive.push(t);
        drifted.push(t);
        flag = true;
        if (t.chart) charts.set(chartKey(t.chart), t.chart);
      } else if (!flag) {
        decisive.push(t);
        if (live.type === 'present') next.push(entryOf(t, live.hash));
        else {
          drifted.push(t);
          flag = true;
          if (t.chart) charts.set(chartKey(t.chart), t.chart);
        }
      }
    }
    status[FLAG[section]] = flag;
    if (next.length > 0) status[HASHES[section]] = next;
  }
  if (charts.size > 0) status.driftedHelmCharts = [...charts.values()];
  return { status, decisive, drifted };
}

/** Whether two statuses say the same (absent flags are false, absent lists empty). */
export function sameDriftStatus(a: ResourceSummaryStatus | undefined, b: ResourceSummaryStatus): boolean {
  return canonicalJson(normalizeStatus(a ?? {})) === canonicalJson(normalizeStatus(b));
}

function normalizeStatus(s: ResourceSummaryStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    out[FLAG[section]] = s[FLAG[section]] === true;
    out[HASHES[section]] = s[HASHES[section]] ?? [];
  }
  out.driftedHelmCharts = s.driftedHelmCharts ?? [];
  return out;
}

/** The status as a merge patch: every drift field stated, absent ones deleted (null). */
export function statusPatch(s: ResourceSummaryStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    out[FLAG[section]] = s[FLAG[section]] === true;
    out[HASHES[section]] = s[HASHES[section]] ?? null;
  }
  out.driftedHelmCharts = s.driftedHelmCharts ?? null;
  return out;
}
