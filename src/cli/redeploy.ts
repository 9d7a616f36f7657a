import { type ClusterSummary, sveltosTypes } from '../api/index.js';
import type { KubeClient } from '../kube/index.js';
import { FlotillaError } from '../lib/errors.js';

function profileOf(s: ClusterSummary): string {
  const l = s.metadata?.labels ?? {};
  return (
    l['projectsveltos.io/cluster-profile-name'] ??
    l['projectsveltos.io/profile-name'] ??
    s.metadata?.name ??
    ''
  );
}

/** Orders summaries so that each comes after the summaries of the profiles it depends on. */
export function dependencyOrder(summaries: readonly ClusterSummary[]): ClusterSummary[] {
  const byProfile = new Map(summaries.map((s) => [profileOf(s), s]));
  const out: ClusterSummary[] = [];
  const seen = new Set<string>();
  const visit = (s: ClusterSummary, path: Set<string>) => {
    const p = profileOf(s);
    if (seen.has(p) || path.has(p)) return;
    path.add(p);
    for (const d of s.spec?.clusterProfileSpec?.dependsOn ?? []) {
      const dep = byProfile.get(d);
      if (dep) visit(dep, path);
    }
    seen.add(p);
    out.push(s);
  };
  for (const s of [...summaries].sort((a, b) => (profileOf(a) < profileOf(b) ? -1 : 1))) visit(s, new Set());
  return out;
}

/**
 * Forces a full re-apply on one cluster: clears the status of every ClusterSummary of the
 * cluster, in dependsOn order, as `sveltosctl redeploy cluster`. Returns the summaries' names.
 */
export async function redeployCluster(
  mgmt: KubeClient,
  namespace: string,
  name: string,
  clusterType: 'Capi' | 'Sveltos',
): Promise<string[]> {
  const all = (await mgmt.list<ClusterSummary>({ ...sveltosTypes.ClusterSummary, namespace })).items;
  const mine = all.filter(
    (s) => s.spec?.clusterName === name && (s.spec?.clusterType ?? 'Sveltos') === clusterType,
  );
  if (mine.length === 0)
    throw new FlotillaError(
      'nothing-to-redeploy',
      `no ClusterSummary for ${clusterType} cluster ${namespace}/${name}: no profile matches it (check --namespace, --cluster and --cluster-type)`,
    );
  const done: string[] = [];
  for (const s of dependencyOrder(mine)) {
    const sname = s.metadata?.name ?? '';
    await mgmt.patch({ ...sveltosTypes.ClusterSummary, namespace, name: sname }, { status: null }, 'merge', {
      subresource: 'status',
    });
    done.push(sname);
  }
  return done;
}
