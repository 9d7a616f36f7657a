import type { ClusterReport, ResourceReport } from '../api/index.js';
import {
  type ClusterFilter,
  clusterMatches,
  type ProfileRef,
  profileLabel,
  profileMatches,
} from './filters.js';

/** One row of `show dryrun`: what a DryRun profile would change. */
export interface DryRunRow {
  cluster: string;
  /** `helm release` or `<group>:<Kind>`. */
  resourceType: string;
  namespace: string;
  name: string;
  action: string;
  /** The message (a diff for updates; with `--raw-diff` printed in full). */
  message: string;
  profile: string;
}

export interface DryRunFilter extends ClusterFilter {
  profile?: ProfileRef;
}

/** The profile of a ClusterReport, from its labels or its name `[p--]<profile>--<type>--<cluster>`. */
export function reportProfile(r: ClusterReport): { kind: 'ClusterProfile' | 'Profile'; name: string } {
  const labels = r.metadata?.labels ?? {};
  if (labels['projectsveltos.io/cluster-profile-name'])
    return { kind: 'ClusterProfile', name: labels['projectsveltos.io/cluster-profile-name'] };
  if (labels['projectsveltos.io/profile-name'])
    return { kind: 'Profile', name: labels['projectsveltos.io/profile-name'] };
  const name = r.metadata?.name ?? '';
  const m = /^(p--)?(.+?)--(capi|sveltos)--/.exec(name);
  if (!m) return { kind: 'ClusterProfile', name };
  return { kind: m[1] ? 'Profile' : 'ClusterProfile', name: m[2] };
}

function resourceRow(
  base: Omit<DryRunRow, 'resourceType' | 'namespace' | 'name' | 'action' | 'message'>,
  rr: ResourceReport,
): DryRunRow {
  return {
    ...base,
    resourceType: `${rr.resource.group}:${rr.resource.kind}`,
    namespace: rr.resource.namespace ?? '',
    name: rr.resource.name,
    action: rr.action ?? 'No Action',
    message: rr.message ?? '',
  };
}

/** Rows of `show dryrun` from ClusterReports. */
export function dryRunRows(reports: readonly ClusterReport[], f: DryRunFilter = {}): DryRunRow[] {
  const rows: DryRunRow[] = [];
  for (const r of reports) {
    const ns = r.spec?.clusterNamespace ?? r.metadata?.namespace ?? '';
    const name = r.spec?.clusterName ?? '';
    if (!clusterMatches(f, ns, name)) continue;
    const p = reportProfile(r);
    const pns = r.metadata?.namespace;
    if (!profileMatches(f.profile, p.kind, p.name, pns)) continue;
    const base = { cluster: `${ns}/${name}`, profile: profileLabel(p.kind, p.name, pns) };
    for (const rel of r.status?.releaseReports ?? [])
      rows.push({
        ...base,
        resourceType: 'helm release',
        namespace: rel.releaseNamespace,
        name: rel.chartName,
        action: rel.action ?? 'No Action',
        message: rel.message ?? '',
      });
    for (const list of [
      r.status?.resourceReports,
      r.status?.kustomizeResourceReports,
      r.status?.helmResourceReports,
    ])
      for (const rr of list ?? []) rows.push(resourceRow(base, rr));
  }
  return rows;
}
