import { type SveltosKind, sveltosResources } from './generated/resources.js';

export const CONFIG_GROUP = 'config.projectsveltos.io';
export const LIB_GROUP = 'lib.projectsveltos.io';
export const VERSION = 'v1beta1';
export const CONFIG_API_VERSION = `${CONFIG_GROUP}/${VERSION}` as const;
export const LIB_API_VERSION = `${LIB_GROUP}/${VERSION}` as const;
export const CAPI_API_VERSION = 'cluster.x-k8s.io/v1beta2';

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** What the kube client and the informers address: `{ apiVersion, kind }`. */
export interface TypeMeta {
  readonly apiVersion: string;
  readonly kind: string;
}

function typeOf(kind: SveltosKind): TypeMeta {
  const r = sveltosResources[kind];
  return { apiVersion: `${r.group}/${r.version}`, kind: r.kind };
}

/** `{ apiVersion, kind }` of every Sveltos kind, e.g. `sveltosTypes.SveltosCluster`. */
export const sveltosTypes = Object.fromEntries(
  Object.keys(sveltosResources).map((k) => [k, typeOf(k as SveltosKind)]),
) as { readonly [K in SveltosKind]: TypeMeta };

export const secretType: TypeMeta = { apiVersion: 'v1', kind: 'Secret' };
export const configMapType: TypeMeta = { apiVersion: 'v1', kind: 'ConfigMap' };
export const namespaceType: TypeMeta = { apiVersion: 'v1', kind: 'Namespace' };
export const capiClusterType: TypeMeta = { apiVersion: CAPI_API_VERSION, kind: 'Cluster' };

/** Parses `group/version` (or `version` for the core group). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** `Kind.version.group` as Sveltos writes deployed GVKs (`deployedGroupVersionKind`). */
export function gvkString(gvk: Gvk): string {
  return `${gvk.kind}.${gvk.version}.${gvk.group}`;
}

export { type SveltosKind, sveltosResources };
