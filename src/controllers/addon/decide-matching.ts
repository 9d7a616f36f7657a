/**
 * Pure decisions of the ClusterProfile/Profile controller: which clusters a profile matches,
 * which clusters it reaches through profiles that depend on it, and the ClusterSummaries to
 * create, update and delete.
 */
import { cachedLabelSelector } from '../../engine/selector/index.js';
import type { KubeObject } from '../../kube/index.js';
import { deepEqual } from './object-hash.js';
import {
  type ClusterType,
  clusterSummaryName,
  clusterTypeOfKind,
  CONFIG_API,
  FINALIZER,
  LABEL,
  type ProfileKind,
  profileNameLabel,
} from './names.js';
import type { ClusterSummaryObject, ObjectReference, ProfileObject, SveltosClusterObject } from './types.js';

/** A candidate cluster as the matcher sees it. */
export interface ClusterCandidate {
  namespace: string;
  name: string;
  type: ClusterType;
  labels: Readonly<Record<string, string>>;
  ready: boolean;
  deleting: boolean;
}

export function clusterKey(c: { namespace: string; name: string; type: ClusterType }): string {
  return `${c.type}:${c.namespace}/${c.name}`;
}

export function candidateOf(obj: SveltosClusterObject): ClusterCandidate {
  return {
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
    type: 'Sveltos',
    labels: obj.metadata?.labels ?? {},
    ready: obj.status?.ready === true,
    deleting: !!obj.metadata?.deletionTimestamp,
  };
}

/**
 * Ready, not-deleting clusters matching `clusterSelector` (an empty selector matches nothing)
 * plus those named by `clusterRefs`. A Profile only sees clusters of its own namespace.
 */
export function matchingClusters(
  profile: ProfileObject,
  clusters: readonly ClusterCandidate[],
): ClusterCandidate[] {
  const spec = profile.spec ?? {};
  const ns = profile.kind === 'Profile' ? profile.metadata?.namespace : undefined;
  const selector = cachedLabelSelector(spec.clusterSelector, { emptyMatches: 'nothing' });
  const refs = new Set(
    (spec.clusterRefs ?? [])
      .filter((r) => r.name && (ns === undefined || (r.namespace ?? ns) === ns))
      .map((r) =>
        clusterKey({
          namespace: r.namespace ?? ns ?? '',
          name: r.name ?? '',
          type: clusterTypeOfKind(r.kind),
        }),
      ),
  );
  const out: { key: string; c: ClusterCandidate }[] = [];
  for (const c of clusters) {
    if (!c.ready || c.deleting) continue;
    if (ns !== undefined && c.namespace !== ns) continue;
    const key = clusterKey(c);
    if (refs.has(key) || selector.matches(c.labels)) out.push({ key, c });
  }
  return sortedByKey(out);
}

/** Candidates in `clusterKey` order (keys built once, not in the comparator). */
function sortedByKey(list: { key: string; c: ClusterCandidate }[]): ClusterCandidate[] {
  return list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.c);
}

/** `start` and every name reached through `next` (depth first, cycles cut). */
function closure(start: string, next: (name: string) => readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of next(n) ?? []) stack.push(m);
  }
  return [...seen];
}

/** Profile name → the names of the profiles that list it in `dependsOn`. */
function dependentsIndex(dependsOn: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const [name, deps] of dependsOn) {
    for (const d of deps) {
      const l = dependents.get(d) ?? [];
      l.push(name);
      dependents.set(d, l);
    }
  }
  return dependents;
}

/**
 * The profiles whose targets a change of profile `name` can move: itself and, transitively,
 * its prerequisites (`dependsOnOf` answers a profile's `spec.dependsOn`; cycles are cut).
 */
export function withPrerequisites(
  name: string,
  dependsOnOf: (name: string) => readonly string[] | undefined,
): string[] {
  return closure(name, dependsOnOf);
}

/**
 * Clusters profile `name` must be deployed to: its own matches plus those of every profile of
 * `scope` that depends on it, directly or through others. Matching runs only for those profiles.
 */
export function targetsOf(
  name: string,
  scope: readonly ProfileObject[],
  clusters: readonly ClusterCandidate[],
): ClusterCandidate[] {
  const byName = new Map(scope.map((q) => [q.metadata?.name ?? '', q]));
  const dependents = dependentsIndex(
    new Map(scope.map((q) => [q.metadata?.name ?? '', q.spec?.dependsOn ?? []])),
  );
  const acc = new Map<string, ClusterCandidate>();
  for (const n of closure(name, (x) => dependents.get(x))) {
    const q = byName.get(n);
    if (!q) continue;
    for (const c of matchingClusters(q, clusters)) acc.set(clusterKey(c), c);
  }
  return sortedByKey([...acc].map(([key, c]) => ({ key, c })));
}

export interface SummaryPlan {
  create: ClusterSummaryObject[];
  update: ClusterSummaryObject[];
  /** Names (in their namespaces) of summaries whose cluster no longer matches. */
  remove: { namespace: string; name: string }[];
}

/** The ClusterSummary a profile wants for one cluster (name, labels, owner, spec copy). */
export function desiredSummary(profile: ProfileObject, cluster: ClusterCandidate): ClusterSummaryObject {
  const kind: ProfileKind = profile.kind === 'Profile' ? 'Profile' : 'ClusterProfile';
  const pname = profile.metadata?.name ?? '';
  return {
    apiVersion: CONFIG_API,
    kind: 'ClusterSummary',
    metadata: {
      name: clusterSummaryName(kind, pname, cluster.type, cluster.name),
      namespace: cluster.namespace,
      labels: {
        [profileNameLabel(kind)]: pname,
        [LABEL.clusterName]: cluster.name,
        [LABEL.clusterType]: cluster.type.toLowerCase(),
      },
      // Created with the summary controller's finalizer: its first deploy needs no extra write.
      finalizers: [FINALIZER.clusterSummary],
      ownerReferences: [
        {
          apiVersion: CONFIG_API,
          kind,
          name: pname,
          uid: profile.metadata?.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      clusterNamespace: cluster.namespace,
      clusterName: cluster.name,
      clusterType: cluster.type,
      clusterProfileSpec: structuredClone(profile.spec ?? {}),
    },
  };
}

/** Creates for new clusters, updates where the spec copy or labels drifted, deletes the rest. */
export function planSummaries(
  profile: ProfileObject,
  targets: readonly ClusterCandidate[],
  existing: readonly ClusterSummaryObject[],
): SummaryPlan {
  const byName = new Map(existing.map((s) => [`${s.metadata?.namespace}/${s.metadata?.name}`, s]));
  const plan: SummaryPlan = { create: [], update: [], remove: [] };
  const wanted = new Set<string>();
  for (const c of targets) {
    const want = desiredSummary(profile, c);
    const key = `${want.metadata?.namespace}/${want.metadata?.name}`;
    wanted.add(key);
    const have = byName.get(key);
    if (!have) {
      plan.create.push(want);
      continue;
    }
    if (have.metadata?.deletionTimestamp) continue; // recreated once the old one is gone
    const labelsOk = Object.entries(want.metadata?.labels ?? {}).every(
      ([k, v]) => have.metadata?.labels?.[k] === v,
    );
    if (!labelsOk || !deepEqual(have.spec, want.spec)) {
      const upd = structuredClone(have) as ClusterSummaryObject;
      upd.metadata = { ...upd.metadata, labels: { ...upd.metadata?.labels, ...want.metadata?.labels } };
      upd.spec = want.spec;
      delete upd.status;
      plan.update.push(upd);
    }
  }
  for (const [key, s] of byName) {
    if (wanted.has(key) || s.metadata?.deletionTimestamp) continue;
    plan.remove.push({ namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' });
  }
  return plan;
}

/** Cluster references for `status.matchingClusters`. */
export function clusterRefs(clusters: readonly ClusterCandidate[]): ObjectReference[] {
  return clusters.map((c) => ({
    apiVersion: c.type === 'Sveltos' ? 'lib.projectsveltos.io/v1beta1' : 'cluster.x-k8s.io/v1beta1',
    kind: c.type === 'Sveltos' ? 'SveltosCluster' : 'Cluster',
    namespace: c.namespace,
    name: c.name,
  }));
}

/** True when `obj` is owned (by label) by the profile. */
export function summaryBelongsTo(obj: KubeObject, kind: ProfileKind, name: string): boolean {
  return obj.metadata?.labels?.[profileNameLabel(kind)] === name;
}
