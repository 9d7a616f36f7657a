import type { ObjectMeta as ApiObjectMeta, OwnerReference } from '../api/meta.js';

/** A Kubernetes object as decoded JSON. Typed views are casts of this shape. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** Object metadata: the API layer's, with managedFields typed. */
export type ObjectMeta = ApiObjectMeta & { managedFields?: ManagedFieldsEntry[] };

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export type { OwnerReference };

/** A kind, optionally narrowed to one namespace: what list and watch address. */
export interface TypeRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

/** One object: what get, delete and patch address. `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectRef extends TypeRef {
  name: string;
}

/** A served resource, resolved from a group/version/kind through discovery. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: string[];
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  /** The list's resourceVersion: start a watch here to see every later change. */
  resourceVersion: string;
}

export interface Selectors {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListOptions extends Selectors {
  /** Page size; the client follows `continue` tokens until the list is complete. */
  limit?: number;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  signal?: AbortSignal;
}

export interface WatchOptions extends Selectors {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions extends WriteOptions {
  subresource?: string;
}

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  subresource?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  [key: string]: unknown;
}

/** Splits `group/version` (or `v1` for core) into its parts. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** `namespace/name`, or `name` for cluster-scoped objects: the cache and queue key of an object. */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

/** Human-readable description of an object for messages: `apps/v1 Deployment default/web`. */
export function describeRef(ref: Partial<ObjectRef>): string {
  const where = ref.namespace ? `${ref.namespace}/${ref.name ?? ''}` : (ref.name ?? '');
  return `${ref.apiVersion ?? '?'} ${ref.kind ?? '?'}${where ? ` ${where}` : ''}`;
}
