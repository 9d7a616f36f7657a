import {
  CAPI_API_VERSION,
  type ClusterProfile,
  type ClusterSet,
  type ClusterSummary,
  type Profile,
  type SveltosCluster,
  sveltosTypes,
} from '../api/index.js';
import { type KubeClient, type KubeObject, NotFoundError } from '../kube/index.js';
import { FlotillaError } from '../lib/errors.js';
import { explainProfile } from './explain.js';
import type { ClusterFacts, ProfileExplanation, ProfileFacts } from './explain-types.js';
import { listAll } from './fetch.js';

export interface ExplainRequest {
  kind: 'ClusterProfile' | 'Profile';
  name: string;
  /** Namespace of a Profile. */
  namespace?: string;
  /** `namespace/name` of one cluster; all clusters when unset. */
  cluster?: string;
}

/** The profile asked about does not exist. */
export class ProfileNotFoundError extends FlotillaError {
  override readonly name = 'ProfileNotFoundError';
  constructor(what: string) {
    super(
      'profile-not-found',
      `${what} not found in the management cluster: check the name (kubectl get ${what.split(' ')[0].toLowerCase()}s)`,
    );
  }
}

function profileFacts(p: ClusterProfile | Profile, kind: 'ClusterProfile' | 'Profile'): ProfileFacts {
  const spec = p.spec ?? {};
  return {
    kind,
    name: p.metadata?.name ?? '',
    ...(kind === 'Profile' ? { namespace: p.metadata?.namespace ?? '' } : {}),
    ...(spec.clusterSelector ? { clusterSelector: spec.clusterSelector } : {}),
    clusterRefs: spec.clusterRefs ?? [],
    setRefs: spec.setRefs ?? [],
    setClusters: {},
    dependsOn: spec.dependsOn ?? [],
    syncMode: spec.syncMode ?? 'Continuous',
    tier: spec.tier ?? 100,
    paused: p.metadata?.annotations?.['profile.projectsveltos.io/paused'] !== undefined,
    matchingClusters: (p.status?.matchingClusters ?? []).map((r) => `${r.namespace}/${r.name}`),
  };
}

function sveltosFacts(c: SveltosCluster): ClusterFacts {
  return {
    namespace: c.metadata?.namespace ?? '',
    name: c.metadata?.name ?? '',
    type: 'Sveltos',
    labels: c.metadata?.labels ?? {},
    ready: c.status?.ready === true,
    paused: c.spec?.paused === true,
    deleting: Boolean(c.metadata?.deletionTimestamp),
    ...(c.status?.connectionStatus ? { connectionStatus: c.status.connectionStatus } : {}),
    ...(c.status?.failureMessage ? { failureMessage: c.status.failureMessage } : {}),
  };
}

type CapiCluster = KubeObject & {
  spec?: { paused?: boolean };
  status?: { controlPlaneReady?: boolean; initialization?: { controlPlaneInitialized?: boolean } };
};

function capiFacts(c: CapiCluster): ClusterFacts {
  return {
    namespace: c.metadata?.namespace ?? '',
    name: c.metadata?.name ?? '',
    type: 'Capi',
    labels: c.metadata?.labels ?? {},
    ready: c.status?.controlPlaneReady === true || c.status?.initialization?.controlPlaneInitialized === true,
    paused: c.spec?.paused === true,
    deleting: Boolean(c.metadata?.deletionTimestamp),
  };
}

async function getProfile(client: KubeClient, req: ExplainRequest): Promise<ClusterProfile | Profile> {
  const type = req.kind === 'Profile' ? sveltosTypes.Profile : sveltosTypes.ClusterProfile;
  const what = req.kind === 'Profile' ? `Profile ${req.namespace}/${req.name}` : `ClusterProfile ${req.name}`;
  try {
    return await client.get<ClusterProfile>({
      ...type,
      name: req.name,
      ...(req.namespace ? { namespace: req.namespace } : {}),
    });
  } catch (err) {
    if (err instanceof NotFoundError) throw new ProfileNotFoundError(what);
    throw err;
  }
}

/** Clusters a ClusterSet (for a ClusterProfile) or Set (for a Profile) selected; none when missing. */
async function setClusters(client: KubeClient, kind: string, name: string, ns?: string): Promise<string[]> {
  const type = kind === 'Profile' ? sveltosTypes.Set : sveltosTypes.ClusterSet;
  try {
    const set = await client.get<ClusterSet>({ ...type, name, ...(ns ? { namespace: ns } : {}) });
    return (set.status?.selectedClusterRefs ?? []).map((r) => `${r.namespace ?? ns ?? ''}/${r.name ?? ''}`);
  } catch (err) {
    if (err instanceof NotFoundError) return [];
    throw err;
  }
}

/** Reads what `explainProfile` needs from the management cluster and explains. */
export async function fetchExplanation(client: KubeClient, req: ExplainRequest): Promise<ProfileExplanation> {
  const profile = await getProfile(client, req);
  const facts = profileFacts(profile, req.kind);
  const ns = req.kind === 'Profile' ? req.namespace : undefined;
  for (const set of facts.setRefs) facts.setClusters[set] = await setClusters(client, req.kind, set, ns);
  const [sveltos, capi, summaries] = await Promise.all([
    listAll<SveltosCluster>(client, sveltosTypes.SveltosCluster, ns),
    listAll<CapiCluster>(client, { apiVersion: CAPI_API_VERSION, kind: 'Cluster' }, ns),
    listAll<ClusterSummary>(client, sveltosTypes.ClusterSummary, ns),
  ]);
  let clusters = [...sveltos.map(sveltosFacts), ...capi.map(capiFacts)];
  let missingCluster: string | undefined;
  if (req.cluster) {
    clusters = clusters.filter((c) => `${c.namespace}/${c.name}` === req.cluster);
    if (clusters.length === 0) missingCluster = req.cluster;
  }
  const label =
    req.kind === 'Profile' ? 'projectsveltos.io/profile-name' : 'projectsveltos.io/cluster-profile-name';
  const ofProfile = (name: string) =>
    summaries.filter(
      (s) =>
        s.metadata?.labels?.[label] === name ||
        s.metadata?.ownerReferences?.some((o) => o.kind === req.kind && o.name === name),
    );
  const dependencySummaries: Record<string, ClusterSummary[]> = {};
  const missingDependencies: string[] = [];
  for (const dep of facts.dependsOn) {
    try {
      await getProfile(client, { kind: req.kind, name: dep, ...(ns ? { namespace: ns } : {}) });
      dependencySummaries[dep] = ofProfile(dep);
    } catch (err) {
      if (!(err instanceof ProfileNotFoundError)) throw err;
      missingDependencies.push(dep);
    }
  }
  return explainProfile({
    profile: facts,
    clusters,
    ...(missingCluster ? { missingCluster } : {}),
    summaries: ofProfile(facts.name),
    dependencySummaries,
    missingDependencies,
  });
}
