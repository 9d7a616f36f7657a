import type { HelmChartRef, ResourceSummarySpec } from '../../api/index.js';
import { resourceId } from '../../engine/drift/index.js';
import type { KubeObject } from '../../kube/index.js';

/** The three lists of a ResourceSummary, each with its own hashes and changed flag. */
export type Section = 'resources' | 'kustomizeResources' | 'helm';

export const SECTIONS: readonly Section[] = ['resources', 'kustomizeResources', 'helm'];

/** One deployed object a ResourceSummary asks the agent to watch. */
export interface TrackedResource {
  section: Section;
  /** `group|version|kind|namespace|name`: matches live objects and status hash entries. */
  id: string;
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  lastAppliedTime?: string;
  chart?: HelmChartRef;
}

export { resourceId };

/** The id of a live object (the same shape as `resourceId`). */
export function objectId(obj: KubeObject): string {
  const av = obj.apiVersion ?? '';
  const i = av.indexOf('/');
  const group = i < 0 ? '' : av.slice(0, i);
  const version = i < 0 ? av : av.slice(i + 1);
  return resourceId({
    group,
    version,
    kind: obj.kind ?? '',
    namespace: obj.metadata?.namespace || undefined,
    name: obj.metadata?.name ?? '',
  });
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/**
 * Every resource of a ResourceSummary spec that drift detection watches: entries with
 * `ignoreForConfigurationDrift` are left out. Duplicates within a section count once.
 */
export function trackedResources(spec: ResourceSummarySpec | undefined): TrackedResource[] {
  const out: TrackedResource[] = [];
  const seen = new Set<string>();
  const push = (
    section: Section,
    r: {
      group: string;
      version: string;
      kind: string;
      namespace?: string;
      name: string;
      ignoreForConfigurationDrift?: boolean;
      lastAppliedTime?: string;
    },
    chart?: HelmChartRef,
  ) => {
    if (r.ignoreForConfigurationDrift) return;
    const id = resourceId(r);
    if (seen.has(`${section}|${id}`)) return;
    seen.add(`${section}|${id}`);
    out.push({
      section,
      id,
      group: r.group ?? '',
      version: r.version,
      kind: r.kind,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      name: r.name,
      ...(r.lastAppliedTime ? { lastAppliedTime: r.lastAppliedTime } : {}),
      ...(chart ? { chart } : {}),
    });
  };
  for (const r of spec?.resources ?? []) push('resources', r);
  for (const r of spec?.kustomizeResources ?? []) push('kustomizeResources', r);
  for (const c of spec?.chartResources ?? []) {
    const chart = {
      chartName: c.chartName,
      releaseName: c.releaseName,
      releaseNamespace: c.releaseNamespace,
    };
    for (const r of c.group ?? []) push('helm', r, chart);
  }
  return out;
}
