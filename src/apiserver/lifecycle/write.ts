import { isDeepStrictEqual } from 'node:util';
import { builtinFacts } from '../catalog/builtin.js';
import { ApiError, type KubeObject, type ManagedFieldsEntry, type ResourceType } from '../contracts.js';
import type { VirtualCluster } from '../registry/cluster.js';
import { gvString, resourceKey } from '../registry/types.js';
import { admit, mutate, tracksGeneration, type WriteOptions } from './admission.js';
import { atVersion, toStorage } from './convert.js';
import { afterCommit, beforeCreate } from './hooks.js';
import { generateName, newUid } from './names.js';

export function qualifiedResource(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

export function notFound(rt: ResourceType, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(rt)} "${name}" not found`, {
    name,
    group: rt.group,
    kind: rt.plural,
  });
}

export function conflict(rt: ResourceType, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: rt.group, kind: rt.plural },
  );
}

export { atVersion };

function checkTypeMeta(rt: ResourceType, obj: KubeObject): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    throw new ApiError(400, 'BadRequest', 'the request body must be a JSON or YAML object');
  const av = gvString(rt.group, rt.version);
  if (obj.kind !== undefined && obj.kind !== rt.kind)
    throw new ApiError(
      400,
      'BadRequest',
      `the kind in the data (${String(obj.kind)}) does not match the expected kind (${rt.kind}) for ${qualifiedResource(rt)}`,
    );
  if (obj.apiVersion !== undefined && obj.apiVersion !== av)
    throw new ApiError(
      400,
      'BadRequest',
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${av})`,
    );
  if (
    obj.metadata !== undefined &&
    (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))
  )
    throw new ApiError(400, 'BadRequest', 'metadata must be an object');
  obj.kind = rt.kind;
  // Defaulting, validation and managedFields work in the requested version (its schema);
  // toStorage converts just before the commit, as kube-apiserver's storage codec does.
  obj.apiVersion = av;
  obj.metadata ??= {};
}

function checkNamespace(rt: ResourceType, obj: KubeObject, ns: string | undefined): void {
  const meta = obj.metadata!;
  if (!rt.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace && ns && meta.namespace !== ns)
    throw new ApiError(
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  meta.namespace = ns ?? meta.namespace;
  if (!meta.namespace)
    throw new ApiError(400, 'BadRequest', 'a namespace must be specified for a namespaced resource');
}

/**
 * Whether writes to the main resource reset status (kube's ResetFields): custom resources only
 * with the status subresource; built-ins as their schema says (undefined).
 */
export function resetsStatus(rt: ResourceType): { resetStatus?: boolean } {
  return rt.builtin ? {} : { resetStatus: !!rt.subresources.status };
}

function trackManagedFields(
  c: VirtualCluster,
  rt: ResourceType,
  old: KubeObject | undefined,
  obj: KubeObject,
  opts: WriteOptions,
  subresource?: string,
): void {
  const p = c.parts.patcher;
  if (!p) return;
  const managed = p.trackUpdate({
    old,
    updated: obj,
    manager: opts.fieldManager,
    schema: rt.schema,
    apiVersion: gvString(rt.group, rt.version),
    ...(subresource ? { subresource } : {}),
    ...resetsStatus(rt),
    now: opts.now,
  });
  // Empty lists are omitted, as kube's omitempty does.
  if (managed.length > 0) obj.metadata!.managedFields = managed;
  else delete obj.metadata!.managedFields;
}

/**
 * Create: fills metadata, defaults and validates, then commits. `managed` says managedFields were
 * already computed (server-side apply).
 */
export function createObject(
  c: VirtualCluster,
  rt: ResourceType,
  ns: string | undefined,
  obj: KubeObject,
  opts: WriteOptions,
  managed = false,
): KubeObject {
  checkTypeMeta(rt, obj);
  checkNamespace(rt, obj, ns);
  const meta = obj.metadata!;
  if (!meta.name && meta.generateName) meta.name = generateName(String(meta.generateName));
  if (!meta.name)
    throw new ApiError(
      400,
      'BadRequest',
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: name or generateName is required`,
    );
  if (rt.namespaced) {
    const nsObj = c.namespaceObject(meta.namespace!);
    if (!nsObj)
      throw new ApiError(404, 'NotFound', `namespaces "${meta.namespace}" not found`, {
        name: meta.namespace,
        kind: 'namespaces',
      });
    if (nsObj.metadata?.deletionTimestamp)
      throw new ApiError(
        403,
        'Forbidden',
        `${qualifiedResource(rt)} "${meta.name}" is forbidden: unable to create new content in namespace ${meta.namespace} because it is being terminated`,
        {
          name: meta.name,
          group: rt.group,
          kind: rt.plural,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${meta.namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
  }
  meta.uid = newUid();
  meta.creationTimestamp = opts.now;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (tracksGeneration(rt)) meta.generation = 1;
  else delete meta.generation;
  if (rt.subresources.status && !rt.builtin) delete obj.status;
  mutate(c, rt, obj, undefined);
  admit(c, rt, obj, undefined, opts);
  beforeCreate(c, rt, obj);
  if (c.store.get(resourceKey(rt), meta.namespace, meta.name))
    throw new ApiError(409, 'AlreadyExists', `${qualifiedResource(rt)} "${meta.name}" already exists`, {
      name: meta.name,
      group: rt.group,
      kind: rt.plural,
    });
  if (!managed) trackManagedFields(c, rt, undefined, obj, opts);
  const stored = toStorage(rt, obj);
  if (opts.dryRun) return atVersion(rt, stored);
  const entry = c.store.commit('ADDED', resourceKey(rt), stored);
  afterCommit(c, rt, entry.obj, undefined);
  return atVersion(rt, entry.obj);
}

function withoutVolatile(obj: KubeObject): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

function timeless(mf: ManagedFieldsEntry[] | undefined): unknown {
  return (mf ?? []).map(({ time: _t, ...rest }) => rest);
}

/** kube ignores managedFields that are absent, empty, unchanged or sent to a subresource. */
function sendsManagedFields(
  sent: ManagedFieldsEntry[] | undefined,
  live: ManagedFieldsEntry[] | undefined,
  subresource: string | undefined,
): boolean {
  return !subresource && Array.isArray(sent) && sent.length > 0 && !isDeepStrictEqual(sent, live);
}

function specChanged(rt: ResourceType, a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, ...rest } = o;
    if (rt.subresources.status || rt.builtin) delete rest.status;
    return rest;
  };
  return !isDeepStrictEqual(strip(a), strip(b));
}

export interface UpdateArgs {
  subresource?: 'status';
  /** Set when the body came from a patch against `live` (rv check only if the patch set one). */
  managed?: boolean;
}

/** Update (PUT, or the result of a patch): optimistic concurrency, status rules, generation. */
export function updateObject(
  c: VirtualCluster,
  rt: ResourceType,
  ns: string | undefined,
  name: string,
  obj: KubeObject,
  opts: WriteOptions,
  args: UpdateArgs = {},
): { obj: KubeObject; created: boolean } {
  checkTypeMeta(rt, obj);
  checkNamespace(rt, obj, ns);
  const meta = obj.metadata!;
  if (meta.name !== undefined && meta.name !== name)
    throw new ApiError(
      400,
      'BadRequest',
      `the name of the object (${meta.name}) does not match the name on the URL (${name})`,
    );
  meta.name = name;
  const existing = c.store.get(resourceKey(rt), meta.namespace, name);
  if (!existing) {
    if (args.subresource || !(rt.builtin && builtinFacts(rt).createOnUpdate)) throw notFound(rt, name);
    return { obj: createObject(c, rt, ns, obj, opts, args.managed), created: true };
  }
  const old = atVersion(rt, existing.obj);
  if (meta.resourceVersion && meta.resourceVersion !== old.metadata!.resourceVersion)
    throw conflict(rt, name);
  if (!meta.resourceVersion && !rt.builtin && !args.managed)
    throw new ApiError(
      422,
      'Invalid',
      `${rt.kind}.${rt.group} "${name}" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`,
      {
        name,
        group: rt.group,
        kind: rt.kind,
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0x0: must be specified for an update',
            field: 'metadata.resourceVersion',
          },
        ],
      },
    );
  let next: KubeObject = obj;
  if (args.subresource === 'status') {
    next = atVersion(rt, JSON.parse(existing.json) as KubeObject);
    if (obj.status === undefined) delete next.status;
    else next.status = obj.status;
    if (meta.managedFields) next.metadata!.managedFields = meta.managedFields;
  } else if (rt.subresources.status) {
    if (old.status === undefined) delete next.status;
    else next.status = old.status;
  }
  const nm = next.metadata!;
  const om = old.metadata!;
  nm.uid = om.uid;
  nm.creationTimestamp = om.creationTimestamp;
  if (om.deletionTimestamp) {
    nm.deletionTimestamp = om.deletionTimestamp;
    nm.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  } else {
    delete nm.deletionTimestamp;
    delete nm.deletionGracePeriodSeconds;
  }
  if (om.generation !== undefined) nm.generation = om.generation;
  else delete nm.generation;
  delete nm.selfLink;
  if (!args.subresource) mutate(c, rt, next, old);
  admit(c, rt, next, old, opts);
  if (om.generation !== undefined && specChanged(rt, old, next)) nm.generation = om.generation + 1;
  nm.resourceVersion = om.resourceVersion;
  const sameContent = isDeepStrictEqual(withoutVolatile(next), withoutVolatile(old));
  if (!args.managed) {
    // Only an update that sends managedFields of its own (kubectl's client-side → server-side
    // apply migration, the `[{}]` reset) can change them without changing the content.
    if (sameContent && !sendsManagedFields(nm.managedFields, om.managedFields, args.subresource))
      return { obj: atVersion(rt, old), created: false };
    trackManagedFields(c, rt, old, next, opts, args.subresource);
  }
  if (sameContent && isDeepStrictEqual(timeless(nm.managedFields), timeless(om.managedFields)))
    return { obj: atVersion(rt, old), created: false };
  const stored = toStorage(rt, next);
  if (opts.dryRun) return { obj: atVersion(rt, stored), created: false };
  if (nm.deletionTimestamp && (nm.finalizers ?? []).length === 0) {
    const entry = c.store.commit('DELETED', resourceKey(rt), stored);
    afterCommit(c, rt, undefined, entry.obj);
    return { obj: atVersion(rt, entry.obj), created: false };
  }
  const entry = c.store.commit('MODIFIED', resourceKey(rt), stored);
  afterCommit(c, rt, entry.obj, existing.obj);
  return { obj: atVersion(rt, entry.obj), created: false };
}
