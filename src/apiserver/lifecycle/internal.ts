import type { KubeObject, ResourceType } from '../contracts.js';
import type { VirtualCluster } from '../registry/cluster.js';
import { resourceKey } from '../registry/types.js';
import type { Entry } from '../storage/object-store.js';

/** A mutable copy of a stored object. */
export function copyOf(e: Entry): KubeObject {
  return JSON.parse(e.json) as KubeObject;
}

/** Finds the stored object an ownerReference points at, by uid. */
export function findOwner(
  c: VirtualCluster,
  ref: { apiVersion: string; kind: string; name: string; uid: string },
  dependentNs: string | undefined,
): { rt: ResourceType; entry: Entry } | undefined {
  const rt = c.typeForKind(ref.apiVersion, ref.kind);
  if (!rt) return undefined;
  const entry = c.store.get(resourceKey(rt), rt.namespaced ? dependentNs : undefined, ref.name);
  if (!entry || entry.obj.metadata?.uid !== ref.uid) return undefined;
  return { rt, entry };
}

/** The ResourceType an internal write should use for a storage key. */
export function typeForResource(c: VirtualCluster, resource: string): ResourceType | undefined {
  const slash = resource.indexOf('/');
  const group = resource.slice(0, slash);
  const plural = resource.slice(slash + 1);
  const versions = c.types.versionsOf(group, plural);
  return versions.find((t) => t.version === t.storageVersion) ?? versions[0];
}
