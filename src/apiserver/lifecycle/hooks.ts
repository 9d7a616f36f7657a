import type { KubeObject, OwnerReference, ResourceType } from '../contracts.js';
import type { VirtualCluster } from '../registry/cluster.js';
import { resourceKey } from '../registry/types.js';
import { registerCrd, unregisterCrd, crdStatus, CRD_CLEANUP } from './crd.js';
import { copyOf, findOwner, typeForResource } from './internal.js';
import { newUid } from './names.js';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

function isCrd(rt: ResourceType): boolean {
  return rt.builtin && rt.group === 'apiextensions.k8s.io' && rt.plural === 'customresourcedefinitions';
}

function isNamespace(rt: ResourceType): boolean {
  return rt.builtin && rt.group === '' && rt.plural === 'namespaces';
}

/** Kind-specific state set on create, before admission has accepted the object. */
export function beforeCreate(c: VirtualCluster, rt: ResourceType, obj: KubeObject): void {
  if (isCrd(rt)) {
    const f = (obj.metadata!.finalizers ??= []);
    if (!f.includes(CRD_CLEANUP)) f.push(CRD_CLEANUP);
    obj.status = crdStatus(obj, c.now());
  } else if (isNamespace(rt)) {
    obj.status = { phase: 'Active' };
  }
}

/**
 * Runs after every committed write (`now` undefined: the object is gone). Registers CRD types at
 * once; schedules the controllers kube runs asynchronously (garbage collector, namespace and CRD
 * finalizers, default service account).
 */
export function afterCommit(
  c: VirtualCluster,
  rt: ResourceType,
  now: KubeObject | undefined,
  before: KubeObject | undefined,
): void {
  const nowMeta = now?.metadata;
  if (isCrd(rt)) {
    if (now && !nowMeta!.deletionTimestamp) {
      registerCrd(c, now);
      c.defer(() => refreshCrdStatus(c, rt, now.metadata!.name!));
    } else if (now) {
      const name = nowMeta!.name!;
      c.defer(() => cleanupCrd(c, rt, name));
    } else if (before) {
      unregisterCrd(c, before);
    }
  }
  if (isNamespace(rt) && now) {
    const name = nowMeta!.name!;
    if (!before) c.defer(() => ensureDefaultServiceAccount(c, name));
    if (nowMeta!.deletionTimestamp) c.defer(() => finishNamespace(c, name));
  }
  if (now && nowMeta!.deletionTimestamp) {
    const f = nowMeta!.finalizers ?? [];
    const key = resourceKey(rt);
    const ns = nowMeta!.namespace;
    const name = nowMeta!.name!;
    if (f.includes(FOREGROUND)) c.defer(() => foreground(c, key, ns, name));
    if (f.includes(ORPHAN)) c.defer(() => orphan(c, key, ns, name));
  }
  const gone = now === undefined ? before : undefined;
  if (gone) {
    const gm = gone.metadata!;
    const uid = gm.uid!;
    if (c.store.dependents(uid).length > 0) c.defer(() => collectDependents(c, uid));
    for (const ref of gm.ownerReferences ?? []) c.defer(() => recheckOwner(c, ref, gm.namespace));
    if (gm.namespace && c.namespaceObject(gm.namespace)?.metadata?.deletionTimestamp) {
      const ns = gm.namespace;
      c.defer(() => finishNamespace(c, ns));
    }
  }
}

/** Deletes an object on behalf of a controller: finalizers still hold it. */
function internalDelete(c: VirtualCluster, resource: string, obj: KubeObject): void {
  const rt = typeForResource(c, resource);
  if (!rt) return;
  const meta = obj.metadata!;
  if ((meta.finalizers ?? []).length > 0 || isNamespace(rt)) {
    if (meta.deletionTimestamp) return;
    meta.deletionTimestamp = c.now();
    meta.deletionGracePeriodSeconds = 0;
    const before = c.store.get(resource, meta.namespace, meta.name!)?.obj;
    const e = c.store.commit('MODIFIED', resource, obj);
    afterCommit(c, rt, e.obj, before);
    return;
  }
  const e = c.store.commit('DELETED', resource, obj);
  afterCommit(c, rt, undefined, e.obj);
}

/** Commits `obj` as an update on behalf of a controller; deletes it when its last finalizer went. */
function internalUpdate(c: VirtualCluster, resource: string, obj: KubeObject): void {
  const rt = typeForResource(c, resource);
  if (!rt) return;
  const meta = obj.metadata!;
  const before = c.store.get(resource, meta.namespace, meta.name!)?.obj;
  if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0) {
    delete meta.finalizers;
    const e = c.store.commit('DELETED', resource, obj);
    afterCommit(c, rt, undefined, e.obj);
    return;
  }
  const e = c.store.commit('MODIFIED', resource, obj);
  afterCommit(c, rt, e.obj, before);
}

function withoutFinalizer(obj: KubeObject, f: string): KubeObject {
  obj.metadata!.finalizers = (obj.metadata!.finalizers ?? []).filter((x) => x !== f);
  return obj;
}

function collectDependents(c: VirtualCluster, ownerUid: string): void {
  for (const dep of c.store.dependents(ownerUid)) {
    const entry = c.store.getByKey(dep.resource, dep.key);
    if (!entry) continue;
    const obj = copyOf(entry);
    const refs = obj.metadata!.ownerReferences ?? [];
    const others = refs.filter((r) => r.uid !== ownerUid);
    const alive = others.filter((r) => findOwner(c, r, obj.metadata!.namespace));
    if (alive.length === 0) {
      internalDelete(c, dep.resource, obj);
    } else {
      obj.metadata!.ownerReferences = others;
      internalUpdate(c, dep.resource, obj);
    }
  }
}

function foreground(c: VirtualCluster, resource: string, ns: string | undefined, name: string): void {
  const entry = c.store.get(resource, ns, name);
  if (!entry?.obj.metadata?.deletionTimestamp) return;
  const uid = entry.obj.metadata.uid!;
  let blocking = 0;
  for (const dep of c.store.dependents(uid)) {
    const d = c.store.getByKey(dep.resource, dep.key);
    if (!d) continue;
    const ref = d.obj.metadata!.ownerReferences!.find((r) => r.uid === uid);
    if (ref?.blockOwnerDeletion) blocking++;
    if (!d.obj.metadata!.deletionTimestamp) internalDelete(c, dep.resource, copyOf(d));
  }
  if (blocking > 0) {
    // Dependents still exist: re-evaluated when each of them goes (recheckOwner).
    const still = c.store
      .dependents(uid)
      .some((dep) =>
        c.store
          .getByKey(dep.resource, dep.key)
          ?.obj.metadata?.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion),
      );
    if (still) return;
  }
  const fresh = c.store.get(resource, ns, name);
  if (fresh) internalUpdate(c, resource, withoutFinalizer(copyOf(fresh), FOREGROUND));
}

function orphan(c: VirtualCluster, resource: string, ns: string | undefined, name: string): void {
  const entry = c.store.get(resource, ns, name);
  if (!entry?.obj.metadata?.deletionTimestamp) return;
  const uid = entry.obj.metadata.uid!;
  for (const dep of c.store.dependents(uid)) {
    const d = c.store.getByKey(dep.resource, dep.key);
    if (!d) continue;
    const obj = copyOf(d);
    obj.metadata!.ownerReferences = obj.metadata!.ownerReferences!.filter((r) => r.uid !== uid);
    if (obj.metadata!.ownerReferences.length === 0) delete obj.metadata!.ownerReferences;
    internalUpdate(c, dep.resource, obj);
  }
  const fresh = c.store.get(resource, ns, name);
  if (fresh) internalUpdate(c, resource, withoutFinalizer(copyOf(fresh), ORPHAN));
}

function recheckOwner(c: VirtualCluster, ref: OwnerReference, ns: string | undefined): void {
  const owner = findOwner(c, ref, ns);
  if (!owner) return;
  const m = owner.entry.obj.metadata!;
  if (m.deletionTimestamp && m.finalizers?.includes(FOREGROUND))
    foreground(c, resourceKey(owner.rt), m.namespace, m.name!);
}

function finishNamespace(c: VirtualCluster, ns: string): void {
  const nsEntry = c.store.get('/namespaces', undefined, ns);
  if (!nsEntry?.obj.metadata?.deletionTimestamp) return;
  let remaining = 0;
  for (const resource of c.store.resources()) {
    const rt = typeForResource(c, resource);
    if (!rt?.namespaced) continue;
    for (const e of c.store.list(resource, ns)) {
      remaining++;
      if (!e.obj.metadata?.deletionTimestamp) internalDelete(c, resource, copyOf(e));
    }
  }
  if (remaining > 0) {
    const left = c.store
      .resources()
      .some((r) => typeForResource(c, r)?.namespaced && c.store.list(r, ns).length > 0);
    if (left) return;
  }
  const obj = copyOf(c.store.get('/namespaces', undefined, ns)!);
  const spec = (obj.spec ?? {}) as { finalizers?: string[] };
  spec.finalizers = (spec.finalizers ?? []).filter((f) => f !== 'kubernetes');
  if (spec.finalizers.length === 0) delete spec.finalizers;
  obj.spec = spec;
  if ((spec.finalizers ?? []).length > 0) return;
  internalUpdate(c, '/namespaces', obj);
}

function ensureDefaultServiceAccount(c: VirtualCluster, ns: string): void {
  const nsObj = c.namespaceObject(ns);
  if (!nsObj || nsObj.metadata?.deletionTimestamp) return;
  if (c.store.get('/serviceaccounts', ns, 'default')) return;
  c.store.commit('ADDED', '/serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'default',
      namespace: ns,
      uid: newUid(),
      creationTimestamp: c.now(),
    },
  });
}

function refreshCrdStatus(c: VirtualCluster, rt: ResourceType, name: string): void {
  const entry = c.store.get(resourceKey(rt), undefined, name);
  if (!entry || entry.obj.metadata?.deletionTimestamp) return;
  const obj = copyOf(entry);
  const status = crdStatus(obj, c.now(), obj.status as Record<string, unknown>);
  if (JSON.stringify(status) === JSON.stringify(entry.obj.status)) return;
  obj.status = status;
  internalUpdate(c, resourceKey(rt), obj);
}

function cleanupCrd(c: VirtualCluster, rt: ResourceType, name: string): void {
  const entry = c.store.get(resourceKey(rt), undefined, name);
  if (!entry?.obj.metadata?.deletionTimestamp) return;
  unregisterCrd(c, entry.obj);
  internalUpdate(c, resourceKey(rt), withoutFinalizer(copyOf(entry), CRD_CLEANUP));
}

/**
 * After a restart, re-schedules the work a stop may have interrupted: objects being deleted
 * (finalizers, terminating namespaces, CRD cleanup) and dependents whose owners are gone.
 */
export function resumeLifecycle(c: VirtualCluster): void {
  const uids = new Set<string>();
  const missingOwners = new Set<string>();
  const resources = c.store.resources();
  for (const resource of resources) for (const e of c.store.list(resource)) uids.add(e.obj.metadata!.uid!);
  for (const resource of resources) {
    const rt = typeForResource(c, resource);
    if (!rt) continue;
    for (const e of c.store.list(resource)) {
      const m = e.obj.metadata!;
      if (m.deletionTimestamp) afterCommit(c, rt, e.obj, e.obj);
      for (const ref of m.ownerReferences ?? [])
        if (ref?.uid && !uids.has(ref.uid) && c.typeForKind(ref.apiVersion, ref.kind))
          missingOwners.add(ref.uid);
    }
  }
  for (const uid of missingOwners) c.defer(() => collectDependents(c, uid));
}
