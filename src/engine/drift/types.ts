import type { ObjectMeta, Patch } from '../../api/index.js';

/** A Kubernetes object as decoded JSON (the kube layer's `KubeObject` is assignable to it). */
export interface DriftObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/**
 * Hashes what drift detection compares of an object: sha256 (hex) of `driftText(obj, patches)`.
 * `patchesKey` is `canonicalJson(patches)`, for callers that memoise per exclusion set.
 */
export type DriftHasher = (obj: DriftObject, patches: readonly Patch[], patchesKey: string) => string;

/** What identifies a listed resource and a status hash entry. */
export interface ResourceRef {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** `group|version|kind|namespace|name`: matches live objects, listed resources and hash entries. */
export function resourceId(r: ResourceRef): string {
  return `${r.group}|${r.version}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
}
