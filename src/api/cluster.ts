import type { ClusterType } from './constants.js';
import { CAPI_API_VERSION, LIB_API_VERSION } from './gvk.js';
import type { ObjectReference, SveltosCluster } from './generated/index.js';
import type { ClusterId } from './names.js';

/**
 * Whether a SveltosCluster may be selected (API.md 2.1): `status.ready` and not being deleted.
 * Paused clusters still match; deployers skip them (`isClusterPaused`).
 */
export function isSveltosClusterReady(cluster: SveltosCluster): boolean {
  return cluster.status?.ready === true && !cluster.metadata?.deletionTimestamp;
}

/** `spec.paused`: no controller touches the cluster. */
export function isClusterPaused(cluster: SveltosCluster): boolean {
  return cluster.spec?.paused === true;
}

/** The ObjectReference Sveltos writes for a cluster (status lists, ClusterSet refs). */
export function clusterObjectReference(id: ClusterId): ObjectReference {
  return id.type === 'Sveltos'
    ? { apiVersion: LIB_API_VERSION, kind: 'SveltosCluster', namespace: id.namespace, name: id.name }
    : { apiVersion: CAPI_API_VERSION, kind: 'Cluster', namespace: id.namespace, name: id.name };
}

/** The cluster id of an ObjectReference (`SveltosCluster` → Sveltos, anything else → Capi). */
export function clusterIdOfReference(ref: ObjectReference): ClusterId {
  const type: ClusterType = ref.kind === 'SveltosCluster' ? 'Sveltos' : 'Capi';
  return { namespace: ref.namespace ?? '', name: ref.name ?? '', type };
}
