import {
  ApiError,
  badRequest,
  type KubeObject,
  type ManagedFieldsEntry,
  type Patcher,
  type SchemaNode,
} from '../../contracts.js';
import { deepClone, deepEqual, isObject } from '../../../engine/patch/index.js';
import { FieldSet, pathString } from './fieldset.js';
import { allowedConflictsFromLastApplied, syncLastApplied } from './last-applied.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  type ManagerState,
  type Managers,
  capUpdateManagers,
  managerId,
  stripIgnored,
} from './managers.js';
import { compare, ensureNamedFieldsAreMembers, merge, removeItems, SsaError, toFieldSet } from './typed.js';
import { setOwn } from '../../../lib/own-props.js';

export { FieldSet, pathString } from './fieldset.js';
export { compare, merge, toFieldSet } from './typed.js';

type ApplyArgs = Parameters<Patcher['apply']>[0];
type UpdateArgs = Parameters<Patcher['trackUpdate']>[0];

/** The object without metadata.managedFields, sharing everything else (for read-only use). */
function viewWithoutManagedFields(obj: KubeObject | undefined): KubeObject {
  if (!obj) return {};
  if (!obj.metadata || obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The object without metadata.managedFields (a copy). */
function withoutManagedFields(obj: KubeObject | undefined): KubeObject {
  if (!obj) return {};
  const out = deepClone(obj);
  if (out.metadata) delete out.metadata.managedFields;
  return out;
}

function hasStatus(schema: SchemaNode | undefined, resetStatus: boolean | undefined): boolean {
  if (resetStatus !== undefined) return resetStatus;
  return !schema || !!schema.properties?.status;
}

/** Typed decoding drops null fields; the applied configuration may carry them. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, dropNulls(x));
  return out;
}

function printManager(m: ManagerState): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/** Conflicts found by one apply attempt (turned into a 409 by serverSideApply). */
class Conflicts extends Error {
  constructor(readonly list: { m: ManagerState; set: FieldSet }[]) {
    super('conflicts');
  }
}

/** 409 Conflict worded as kube-apiserver's NewConflictError. */
function conflictError(conflicts: { m: ManagerState; set: FieldSet }[]): ApiError {
  const items: { manager: string; path: string }[] = [];
  const sorted = [...conflicts].sort((a, b) => (printManager(a.m) < printManager(b.m) ? -1 : 1));
  for (const { m, set } of sorted)
    for (const p of set.paths()) items.push({ manager: printManager(m), path: pathString(p) });
  let message: string;
  if (items.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${items[0].manager}: ${items[0].path}`;
  } else {
    const lines: string[] = [];
    for (const { m } of sorted) {
      const who = printManager(m);
      lines.push(`conflicts with ${who}:`);
      for (const i of items) if (i.manager === who) lines.push(`- ${i.path}`);
    }
    message = `Apply failed with ${items.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: items.map((i) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${i.manager}`,
      field: i.path,
    })),
  });
}

function typedError(e: unknown): unknown {
  if (e instanceof SsaError) {
    return new ApiError(
      500,
      'InternalError',
      `Internal error occurred: failed to create typed object: ${e.message}`,
      {
        causes: [{ reason: '', message: e.message }],
      },
    );
  }
  return e;
}

/**
 * Removes what the applier applied last time but no longer applies, unless another manager owns it
 * (structured-merge-diff's prune, addBackOwnedItems and addBackDanglingItems).
 */
function prune(
  merged: unknown,
  managers: Managers,
  lastSet: FieldSet,
  schema: SchemaNode | undefined,
): unknown {
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, schema);
  const last = named(lastSet);
  const mergedSet = named(toFieldSet(merged, schema));
  const pruned1 = removeItems(merged, last, schema) ?? {};
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(named(m.set));
  const pruned2 =
    removeItems(merged, mergedSet.difference(named(toFieldSet(pruned1, schema)).union(owned)), schema) ?? {};
  const pruned2Set = named(toFieldSet(pruned2, schema));
  return removeItems(merged, mergedSet.difference(pruned2Set).intersection(last), schema) ?? {};
}

/**
 * Server-side apply (structured-merge-diff Updater.Apply with kube-apiserver's managers), with
 * kube's client-side-apply upgrade for the `kubectl` manager: conflicts on fields the
 * last-applied annotation shows kubectl set are taken over, and the annotation is kept in sync.
 */
export function serverSideApply(args: ApplyArgs): KubeObject {
  try {
    let out: KubeObject;
    try {
      out = applyOnce(args, args.force);
    } catch (e) {
      if (!(e instanceof Conflicts) || args.manager !== 'kubectl') throw e;
      const allowed = allowedConflictsFromLastApplied(args.live, args.schema);
      if (!allowed) throw e;
      const remaining = e.list
        .map(({ m, set }) => ({ m, set: set.difference(allowed) }))
        .filter((c) => !c.set.empty());
      if (remaining.length > 0) throw new Conflicts(remaining);
      out = applyOnce(args, true);
    }
    if (args.manager === 'kubectl') syncLastApplied(out, args.applied);
    return out;
  } catch (e) {
    if (e instanceof Conflicts) throw conflictError(e.list);
    throw typedError(e);
  }
}

function applyOnce(args: ApplyArgs, force: boolean): KubeObject {
  const { live, applied, manager, schema, apiVersion, subresource, now } = args;
  if (!isObject(applied))
    throw badRequest('error decoding YAML: the applied configuration must be an object');
  const appliedMF = applied.metadata?.managedFields;
  if (appliedMF !== undefined && appliedMF !== null && (!Array.isArray(appliedMF) || appliedMF.length > 0)) {
    throw badRequest('metadata.managedFields must be nil');
  }
  const status = hasStatus(schema, args.resetStatus);
  const liveObj = withoutManagedFields(live);
  const config = withoutManagedFields(applied);
  const managers = decodeManagedFields(live?.metadata?.managedFields);
  try {
    if (live && managers.size === 0) {
      // kube gives an object that was never tracked to `before-first-apply` before the first apply
      const set = stripIgnored(toFieldSet(liveObj, schema), subresource, status);
      if (!set.empty()) {
        const m: ManagerState = {
          manager: 'before-first-apply',
          operation: 'Update',
          apiVersion,
          time: now,
          set,
        };
        managers.set(managerId(m), m);
      }
    }
    let merged = merge(liveObj, config, schema);
    const id = managerId({ manager, operation: 'Apply', subresource });
    const last = managers.get(id);
    const set = stripIgnored(toFieldSet(config, schema), subresource, status);
    managers.set(id, {
      manager,
      operation: 'Apply',
      apiVersion,
      ...(subresource ? { subresource } : {}),
      ...(last?.time ? { time: last.time } : {}),
      set,
    });
    // nothing to prune when the applier still applies everything it applied before
    if (last && !last.set.difference(set).empty()) merged = prune(merged, managers, last.set, schema);
    merged = dropNulls(merged);

    const cmp = compare(liveObj, merged, schema);
    const changed = stripIgnored(cmp.modified.union(cmp.added), subresource, status);
    const removed = stripIgnored(cmp.removed, subresource, status);
    const conflicts: { m: ManagerState; set: FieldSet }[] = [];
    for (const [mid, m] of managers) {
      if (mid === id) continue;
      const c = m.set.intersection(changed);
      if (!c.empty()) conflicts.push({ m, set: c });
    }
    if (!force && conflicts.length > 0) throw new Conflicts(conflicts);
    for (const { m, set: c } of conflicts) m.set = m.set.difference(c);
    if (!removed.empty()) for (const [mid, m] of managers) if (mid !== id) m.set = m.set.difference(removed);
    for (const [mid, m] of managers) if (m.set.empty()) managers.delete(mid);

    const objectChanged = !deepEqual(liveObj, merged);
    const applier = managers.get(id);
    if (applier && (objectChanged || !last || !last.time || !last.set.equals(applier.set)))
      applier.time = now;
    capUpdateManagers(managers);
    const encoded = encodeManagedFields(managers);
    const out = merged as KubeObject;
    if (!objectChanged && live && sameEntries(live.metadata?.managedFields, encoded)) return deepClone(live);
    out.metadata = { ...(out.metadata ?? {}) };
    if (encoded.length > 0) out.metadata.managedFields = encoded;
    else delete out.metadata.managedFields;
    return out;
  } catch (e) {
    throw typedError(e);
  }
}

function sameEntries(a: ManagedFieldsEntry[] | undefined, b: ManagedFieldsEntry[]): boolean {
  const strip = (l: ManagedFieldsEntry[]) => l.map(({ time: _t, ...rest }) => rest);
  return deepEqual(strip(a ?? []), strip(b));
}

/** Ownership after a create, update or patch by `manager` (Update operation). */
export function trackUpdate(args: UpdateArgs): ManagedFieldsEntry[] {
  const { old, updated, manager, schema, apiVersion, subresource, now } = args;
  const status = hasStatus(schema, args.resetStatus);
  const sent = updated.metadata?.managedFields;
  const userProvided =
    Array.isArray(sent) && sent.length > 0 && !subresource && !deepEqual(sent, old?.metadata?.managedFields);
  const base = userProvided ? sent : old?.metadata?.managedFields;
  const managers = decodeManagedFields(base);
  try {
    const cmp = compare(viewWithoutManagedFields(old), viewWithoutManagedFields(updated), schema);
    const changed = stripIgnored(cmp.modified.union(cmp.added), subresource, status);
    const removed = stripIgnored(cmp.removed, subresource, status);
    if (changed.empty() && removed.empty() && !userProvided)
      return deepClone(old?.metadata?.managedFields ?? []);
    for (const [mid, m] of managers) {
      m.set = m.set.difference(changed).difference(removed);
      if (m.set.empty()) managers.delete(mid);
    }
    if (!changed.empty()) {
      const id = managerId({ manager, operation: 'Update', apiVersion, subresource });
      const prev = managers.get(id);
      managers.set(id, {
        manager,
        operation: 'Update',
        apiVersion,
        ...(subresource ? { subresource } : {}),
        time: now,
        set: prev ? changed.union(prev.set) : changed,
      });
    }
    capUpdateManagers(managers);
    return encodeManagedFields(managers);
  } catch (e) {
    throw typedError(e);
  }
}
