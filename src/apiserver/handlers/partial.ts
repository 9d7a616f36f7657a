import type { KubeObject } from '../contracts.js';

/**
 * `Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1`: metadata-only
 * responses, as client-go's metadata client (and informers built on it) request them.
 */
export function wantsPartial(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .some(
      (p) => /;\s*as=PartialObjectMetadata(List)?\b/.test(p) && /g=meta\.k8s\.io/.test(p) && /json/.test(p),
    );
}

export function partialObject(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function partialList(items: KubeObject[], meta: Record<string, unknown>): object {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    items: items.map(partialObject),
  };
}
