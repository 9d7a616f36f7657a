import type { BuiltinSchemas } from '../contracts.js';
import { loadBuiltinSchemas } from '../schema/index.js';

/**
 * Access to the built-in Kubernetes swagger (OpenAPI v2) shared by every virtual cluster, plus the
 * few lookups the publisher needs: descriptions for printer columns and the standard property
 * descriptions kube-apiserver injects into CRD schemas.
 */
let source: BuiltinSchemas | undefined;

export function swagger(): Record<string, any> {
  source ??= loadBuiltinSchemas();
  return source.swagger;
}

export const DEF_PREFIX_V2 = '#/definitions/';
export const DEF_PREFIX_V3 = '#/components/schemas/';

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
export const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

/** The description of `property` in swagger definition `def`, or '' when absent. */
export function describe(def: string, property: string): string {
  const d = swagger().definitions?.[def];
  return (d?.properties?.[property]?.description as string | undefined) ?? '';
}

/** Standard `apiVersion`, `kind` and `metadata` property schemas as kube-apiserver publishes them. */
export function standardProperties(): { apiVersion: any; kind: any; metadata: any } {
  const cm = swagger().definitions['io.k8s.api.core.v1.ConfigMap'].properties;
  return { apiVersion: cm.apiVersion, kind: cm.kind, metadata: cm.metadata };
}

/** `group/version` path segment as used in URLs and the v3 index: `api/v1` or `apis/<g>/<v>`. */
export function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}
