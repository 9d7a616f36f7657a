/**
 * Sveltos' labels, annotations, finalizers, kinds and generated names used by add-on deployment
 * (API.md §13). Kept here until `src/api/` provides them; values are the upstream strings so that
 * flotilla and real Sveltos read each other's objects.
 */

export const CONFIG_API = 'config.projectsveltos.io/v1beta1';
export const LIB_API = 'lib.projectsveltos.io/v1beta1';

export const GVK = {
  clusterProfile: { apiVersion: CONFIG_API, kind: 'ClusterProfile' },
  profile: { apiVersion: CONFIG_API, kind: 'Profile' },
  clusterSummary: { apiVersion: CONFIG_API, kind: 'ClusterSummary' },
  clusterConfiguration: { apiVersion: CONFIG_API, kind: 'ClusterConfiguration' },
  clusterReport: { apiVersion: CONFIG_API, kind: 'ClusterReport' },
  sveltosCluster: { apiVersion: LIB_API, kind: 'SveltosCluster' },
  resourceSummary: { apiVersion: LIB_API, kind: 'ResourceSummary' },
  configMap: { apiVersion: 'v1', kind: 'ConfigMap' },
  secret: { apiVersion: 'v1', kind: 'Secret' },
  namespace: { apiVersion: 'v1', kind: 'Namespace' },
} as const;

export const LABEL = {
  clusterProfileName: 'projectsveltos.io/cluster-profile-name',
  profileName: 'projectsveltos.io/profile-name',
  clusterName: 'projectsveltos.io/cluster-name',
  clusterType: 'projectsveltos.io/cluster-type',
  reason: 'projectsveltos.io/reason',
  deployedBySveltos: 'projectsveltos.io/deployed-by-sveltos',
} as const;

export const ANNOTATION = {
  template: 'projectsveltos.io/template',
  lua: 'projectsveltos.io/lua',
  paused: 'profile.projectsveltos.io/paused',
  retrigger: 'projectsveltos.io/retrigger',
  referenceKind: 'projectsveltos.io/reference-kind',
  referenceName: 'projectsveltos.io/reference-name',
  referenceNamespace: 'projectsveltos.io/reference-namespace',
  referenceTier: 'projectsveltos.io/reference-tier',
  ownerKind: 'projectsveltos.io/owner-kind',
  ownerName: 'projectsveltos.io/owner-name',
  ownerTier: 'projectsveltos.io/owner-tier',
  hash: 'projectsveltos.io/hash',
  clusterSummaryName: 'projectsveltos.io/cluster-summary-name',
  clusterSummaryNamespace: 'projectsveltos.io/cluster-summary-namespace',
} as const;

export const FINALIZER = {
  clusterProfile: 'clusterprofilefinalizer.projectsveltos.io',
  profile: 'profilefinalizer.projectsveltos.io',
  clusterSummary: 'clustersummaryfinalizer.projectsveltos.io',
} as const;

/** Secrets consumed as content must have this type ("unsupported secret type" otherwise). */
export const CLUSTER_PROFILE_SECRET_TYPE = 'addons.projectsveltos.io/cluster-profile';
/** Field manager of every server-side apply, as Sveltos. */
export const FIELD_MANAGER = 'application/apply-patch';
/** Namespace of ResourceSummaries in managed clusters. */
export const SVELTOS_NAMESPACE = 'projectsveltos';

export type ProfileKind = 'ClusterProfile' | 'Profile';
export type ClusterType = 'Sveltos' | 'Capi';

/** ClusterSummary name: `<cp>-<capi|sveltos>-<cluster>` or `p--<profile>-<capi|sveltos>-<cluster>`. */
export function clusterSummaryName(
  kind: ProfileKind,
  profile: string,
  clusterType: ClusterType,
  cluster: string,
): string {
  const base = `${profile}-${clusterType.toLowerCase()}-${cluster}`;
  return kind === 'Profile' ? `p--${base}` : base;
}

/** ClusterConfiguration name: `<capi|sveltos>--<cluster>`. */
export function clusterConfigurationName(clusterType: ClusterType, cluster: string): string {
  return `${clusterType.toLowerCase()}--${cluster}`;
}

/** ClusterReport name: `[p--]<profile>--<capi|sveltos>--<cluster>`. */
export function clusterReportName(
  kind: ProfileKind,
  profile: string,
  clusterType: ClusterType,
  cluster: string,
): string {
  const base = `${profile}--${clusterType.toLowerCase()}--${cluster}`;
  return kind === 'Profile' ? `p--${base}` : base;
}

/** The label on a ClusterSummary naming its profile. */
export function profileNameLabel(kind: ProfileKind): string {
  return kind === 'Profile' ? LABEL.profileName : LABEL.clusterProfileName;
}

/** Derives the cluster type from a cluster reference kind (API.md §2.2). */
export function clusterTypeOfKind(kind: string | undefined): ClusterType {
  return kind === 'SveltosCluster' || kind === undefined || kind === '' ? 'Sveltos' : 'Capi';
}
