import type { ClusterType } from './constants.js';

/** The profile kinds that own ClusterSummaries. */
export type ProfileKind = 'ClusterProfile' | 'Profile';

/** `capi` / `sveltos`: the cluster type as it appears in labels and generated names. */
export function clusterTypeLower(type: ClusterType): 'capi' | 'sveltos' {
  return type === 'Capi' ? 'capi' : 'sveltos';
}

/** Cluster type from a cluster reference's kind: SveltosCluster is Sveltos, anything else Capi. */
export function clusterTypeOfKind(kind: string | undefined): ClusterType {
  return kind === 'SveltosCluster' ? 'Sveltos' : 'Capi';
}

function profilePrefix(kind: ProfileKind): string {
  return kind === 'Profile' ? 'p--' : '';
}

/** ClusterSummary name: `<cp>-<capi|sveltos>-<cluster>`, `p--<profile>-<capi|sveltos>-<cluster>` for Profiles. */
export function clusterSummaryName(
  profileKind: ProfileKind,
  profileName: string,
  clusterName: string,
  clusterType: ClusterType,
): string {
  return `${profilePrefix(profileKind)}${profileName}-${clusterTypeLower(clusterType)}-${clusterName}`;
}

/** ClusterConfiguration name: `<capi|sveltos>--<cluster>`. */
export function clusterConfigurationName(clusterName: string, clusterType: ClusterType): string {
  return `${clusterTypeLower(clusterType)}--${clusterName}`;
}

/** ClusterReport name: `[p--]<profile>--<capi|sveltos>--<cluster>`. */
export function clusterReportName(
  profileKind: ProfileKind,
  profileName: string,
  clusterName: string,
  clusterType: ClusterType,
): string {
  return `${profilePrefix(profileKind)}${profileName}--${clusterTypeLower(clusterType)}--${clusterName}`;
}

/** Management-cluster copy of an Event/Classifier/HealthCheck report: `<capi|sveltos>--<source>--<cluster>`. */
export function reportName(sourceName: string, clusterName: string, clusterType: ClusterType): string {
  return `${clusterTypeLower(clusterType)}--${sourceName}--${clusterName}`;
}

/** Reloader instance in a managed cluster: `<profile>--<feature lowercase>`. */
export function reloaderName(profileName: string, featureID: string): string {
  return `${profileName}--${featureID.toLowerCase()}`;
}

/** Kubeconfig Secret of a SveltosCluster (unless `spec.kubeconfigName` is set). */
export function sveltosKubeconfigSecretName(clusterName: string): string {
  return `${clusterName}-sveltos-kubeconfig`;
}

/** Kubeconfig Secret of a CAPI cluster (key `value`). */
export function capiKubeconfigSecretName(clusterName: string): string {
  return `${clusterName}-kubeconfig`;
}

/** Tenant service account in a managed cluster: `<saNamespace>--<saName>` (in `projectsveltos`). */
export function tenantServiceAccountName(saNamespace: string, saName: string): string {
  return `${saNamespace}--${saName}`;
}

/** Identity of a managed cluster: `(namespace, name, type)`. */
export interface ClusterId {
  readonly namespace: string;
  readonly name: string;
  readonly type: ClusterType;
}

/**
 * A stable string for a cluster id, `<capi|sveltos>/<namespace>/<name>`: map keys and the cluster
 * name of its client and informer set. No `:`, so it can prefix work-queue keys (`mappers.inCluster`).
 */
export function clusterIdKey(id: ClusterId): string {
  return `${clusterTypeLower(id.type)}/${id.namespace}/${id.name}`;
}

/** Parses `clusterIdKey` output; undefined when `key` is not one. */
export function parseClusterIdKey(key: string): ClusterId | undefined {
  const m = /^(capi|sveltos)\/([^/]+)\/([^/]+)$/.exec(key);
  if (!m) return undefined;
  return { type: m[1] === 'capi' ? 'Capi' : 'Sveltos', namespace: m[2], name: m[3] };
}
