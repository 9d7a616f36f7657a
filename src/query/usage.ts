import type { ClusterProfile, ClusterSummary, ObjectReference, Profile } from '../api/index.js';

/** One row of `show usage`: a profile, ConfigMap or Secret and the clusters using it. */
export interface UsageRow {
  kind: string;
  namespace: string;
  name: string;
  /** `namespace/name` of each cluster, sorted. */
  clusters: string[];
}

export interface UsageFilter {
  kind?: string;
  namespace?: string;
  name?: string;
}

const KINDS = ['ClusterProfile', 'Profile', 'ConfigMap', 'Secret'];

/** Kinds `show usage` reports on. */
export function usageKinds(): readonly string[] {
  return KINDS;
}

function refName(r: ObjectReference): string {
  return `${r.namespace ?? ''}/${r.name ?? ''}`;
}

/**
 * Rows of `show usage`: profiles with the clusters they match (`status.matchingClusters`);
 * ConfigMaps and Secrets with the clusters whose ClusterSummary references them (policyRefs,
 * kustomizationRefs, Helm valuesFrom). An empty reference namespace means the cluster's own.
 */
export function usageRows(
  profiles: readonly (ClusterProfile | Profile)[],
  summaries: readonly ClusterSummary[],
  f: UsageFilter = {},
): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  const add = (kind: string, namespace: string, name: string, cluster?: string) => {
    const key = `${kind}\0${namespace}\0${name}`;
    let row = rows.get(key);
    if (!row) {
      row = { kind, namespace, name, clusters: [] };
      rows.set(key, row);
    }
    if (cluster && !row.clusters.includes(cluster)) row.clusters.push(cluster);
  };
  for (const p of profiles) {
    const kind = p.kind ?? 'ClusterProfile';
    const ns = kind === 'Profile' ? (p.metadata?.namespace ?? '') : '';
    const matching = p.status?.matchingClusters ?? [];
    if (matching.length === 0) add(kind, ns, p.metadata?.name ?? '');
    for (const c of matching) add(kind, ns, p.metadata?.name ?? '', refName(c));
  }
  for (const s of summaries) {
    const spec = s.spec?.clusterProfileSpec;
    const cns = s.spec?.clusterNamespace ?? '';
    const cluster = `${cns}/${s.spec?.clusterName ?? ''}`;
    const refs: { kind?: string; namespace?: string; name?: string }[] = [
      ...(spec?.policyRefs ?? []),
      ...(spec?.kustomizationRefs ?? []),
      ...(spec?.helmCharts ?? []).flatMap((h) => h.valuesFrom ?? []),
    ];
    for (const r of refs) {
      if ((r.kind !== 'ConfigMap' && r.kind !== 'Secret') || !r.name) continue;
      add(r.kind, r.namespace || cns, r.name, cluster);
    }
  }
  return [...rows.values()]
    .filter(
      (r) =>
        (!f.kind || r.kind === f.kind) &&
        (!f.namespace || r.namespace === f.namespace) &&
        (!f.name || r.name === f.name),
    )
    .map((r) => ({ ...r, clusters: [...r.clusters].sort() }))
    .sort((a, b) => (a.kind + a.namespace + a.name < b.kind + b.namespace + b.name ? -1 : 1));
}
