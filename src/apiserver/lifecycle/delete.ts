import { ApiError, type KubeObject, type ResourceType } from '../contracts.js';
import type { VirtualCluster } from '../registry/cluster.js';
import { resourceKey } from '../registry/types.js';
import type { WriteOptions } from './admission.js';
import { afterCommit } from './hooks.js';
import { copyOf } from './internal.js';
import { atVersion, notFound, qualifiedResource } from './write.js';

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
}

export const FOREGROUND = 'foregroundDeletion';
/** Namespaces kube's NamespaceLifecycle admission never lets go. */
const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);
export const ORPHAN = 'orphan';

/**
 * Delete with kube semantics: preconditions, propagation policy, finalizers (the object stays with
 * a deletionTimestamp until they are gone). Returns the object as it is after the call and whether
 * it is gone.
 */
export function deleteObject(
  c: VirtualCluster,
  rt: ResourceType,
  ns: string | undefined,
  name: string,
  opts: WriteOptions,
  del: DeleteOptions,
): { obj: KubeObject; gone: boolean } {
  const key = resourceKey(rt);
  const entry = c.store.get(key, rt.namespaced ? ns : undefined, name);
  if (!entry) throw notFound(rt, name);
  const meta = entry.obj.metadata!;
  const pre = del.preconditions;
  if (pre?.uid && pre.uid !== meta.uid)
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`,
      { name, group: rt.group, kind: rt.plural },
    );
  if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion)
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
      { name, group: rt.group, kind: rt.plural },
    );
  if (rt.builtin && rt.group === '' && rt.plural === 'namespaces' && IMMORTAL.has(name))
    throw new ApiError(
      403,
      'Forbidden',
      `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      {
        name,
        kind: 'namespaces',
      },
    );
  const obj = copyOf(entry);
  const m = obj.metadata!;
  const finalizers = [...(m.finalizers ?? [])];
  const isNamespace = rt.group === '' && rt.plural === 'namespaces';
  if (del.propagationPolicy === 'Foreground' && !finalizers.includes(FOREGROUND)) finalizers.push(FOREGROUND);
  if (del.propagationPolicy === 'Orphan' && !finalizers.includes(ORPHAN)) finalizers.push(ORPHAN);
  if (opts.dryRun) return { obj: atVersion(rt, obj), gone: false };
  if (finalizers.length > 0 || isNamespace) {
    if (m.deletionTimestamp && finalizers.length === (m.finalizers ?? []).length)
      return { obj: atVersion(rt, entry.obj), gone: false };
    m.finalizers = finalizers;
    if (finalizers.length === 0) delete m.finalizers;
    m.deletionTimestamp ??= opts.now;
    m.deletionGracePeriodSeconds = 0;
    if (isNamespace) obj.status = { ...((obj.status as object) ?? {}), phase: 'Terminating' };
    const e = c.store.commit('MODIFIED', key, obj);
    afterCommit(c, rt, e.obj, entry.obj);
    return { obj: atVersion(rt, e.obj), gone: false };
  }
  const e = c.store.commit('DELETED', key, obj);
  afterCommit(c, rt, undefined, e.obj);
  return { obj: atVersion(rt, e.obj), gone: true };
}
