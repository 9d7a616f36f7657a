import type { ClusterConfiguration, Feature } from '../api/index.js';
import {
  type ClusterFilter,
  clusterMatches,
  type ProfileRef,
  profileLabel,
  profileMatches,
} from './filters.js';

/** One row of `show addons`: a deployed resource or Helm release. */
export interface AddonRow {
  /** `namespace/name` of the cluster. */
  cluster: string;
  /** `helm chart` or `<group>:<Kind>` (e.g. `:Secret`, `apps:Deployment`). */
  resourceType: string;
  namespace: string;
  name: string;
  /** Chart version; `N/A` for resources. */
  version: string;
  time: string;
  deploymentType: string;
  /** `ClusterProfile/<name>` (or `Profile/<ns>/<name>`) that deployed it. */
  profiles: string[];
}

export interface AddonFilter extends ClusterFilter {
  profile?: ProfileRef;
  /** Only Helm releases. */
  helmCharts?: boolean;
  /** Only resources. */
  resources?: boolean;
}

function featureRows(
  cluster: string,
  features: readonly Feature[],
  profile: string,
  f: AddonFilter,
): AddonRow[] {
  const rows: AddonRow[] = [];
  const both = !f.helmCharts && !f.resources;
  for (const feature of features) {
    if (both || f.helmCharts)
      for (const c of feature.charts ?? [])
        rows.push({
          cluster,
          resourceType: 'helm chart',
          namespace: c.namespace ?? '',
          name: c.releaseName,
          version: c.chartVersion,
          time: c.lastAppliedTime ?? '',
          deploymentType: 'Remote',
          profiles: [profile],
        });
    if (both || f.resources)
      for (const r of feature.resources ?? [])
        rows.push({
          cluster,
          resourceType: `${r.group}:${r.kind}`,
          namespace: r.namespace ?? '',
          name: r.name,
          version: 'N/A',
          time: r.lastAppliedTime ?? '',
          deploymentType: r.deploymentType ?? 'Remote',
          profiles: [profile],
        });
  }
  return rows;
}

/**
 * Rows of `show addons` from ClusterConfigurations (the per-cluster inventory of what each
 * profile deployed). The same object deployed by several profiles becomes one row listing them.
 */
export function addonRows(configs: readonly ClusterConfiguration[], f: AddonFilter = {}): AddonRow[] {
  const rows: AddonRow[] = [];
  for (const cc of configs) {
    const ns = cc.metadata?.namespace ?? '';
    const clusterName =
      cc.metadata?.labels?.['projectsveltos.io/cluster-name'] ??
      (cc.metadata?.name ?? '').replace(/^(capi|sveltos)--/, '');
    if (!clusterMatches(f, ns, clusterName)) continue;
    const cluster = `${ns}/${clusterName}`;
    for (const p of cc.status?.clusterProfileResources ?? []) {
      if (!profileMatches(f.profile, 'ClusterProfile', p.clusterProfileName)) continue;
      rows.push(
        ...featureRows(cluster, p.Features ?? [], profileLabel('ClusterProfile', p.clusterProfileName), f),
      );
    }
    for (const p of cc.status?.profileResources ?? []) {
      if (!profileMatches(f.profile, 'Profile', p.profileName, ns)) continue;
      rows.push(...featureRows(cluster, p.Features ?? [], profileLabel('Profile', p.profileName, ns), f));
    }
  }
  const merged = new Map<string, AddonRow>();
  for (const r of rows) {
    const key = [r.cluster, r.resourceType, r.namespace, r.name, r.version].join('\0');
    const seen = merged.get(key);
    if (seen) {
      for (const p of r.profiles) if (!seen.profiles.includes(p)) seen.profiles.push(p);
    } else merged.set(key, { ...r, profiles: [...r.profiles] });
  }
  return [...merged.values()].sort(compareRows);
}

function compareRows(a: AddonRow, b: AddonRow): number {
  for (const k of ['cluster', 'resourceType', 'namespace', 'name'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}
