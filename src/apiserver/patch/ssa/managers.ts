import type { ManagedFieldsEntry } from '../../contracts.js';
import { FieldSet } from './fieldset.js';

/** One manager's field set, keyed as kube keys managers (BuildManagerIdentifier). */
export interface ManagerState {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

export type Managers = Map<string, ManagerState>;

/** Apply managers are one per manager+subresource; Update managers also per apiVersion. */
export function managerId(m: {
  manager: string;
  operation: string;
  apiVersion?: string;
  subresource?: string;
}): string {
  const id: Record<string, string> = { manager: m.manager, operation: m.operation };
  if (m.operation !== 'Apply' && m.apiVersion) id.apiVersion = m.apiVersion;
  if (m.subresource) id.subresource = m.subresource;
  return JSON.stringify(id);
}

/** Decodes metadata.managedFields; entries that are not FieldsV1 are dropped, duplicates merged. */
export function decodeManagedFields(entries: unknown): Managers {
  const out: Managers = new Map();
  if (!Array.isArray(entries)) return out;
  for (const e of entries as ManagedFieldsEntry[]) {
    if (typeof e !== 'object' || e === null) continue;
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') continue;
    if (e.operation !== 'Apply' && e.operation !== 'Update') continue;
    const id = managerId(e);
    const set = FieldSet.fromFieldsV1(e.fieldsV1);
    const prev = out.get(id);
    if (prev) {
      prev.set = prev.set.union(set);
      if (e.time && (!prev.time || e.time > prev.time)) prev.time = e.time;
      continue;
    }
    out.set(id, {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion ?? '',
      ...(e.subresource ? { subresource: e.subresource } : {}),
      ...(e.time ? { time: e.time } : {}),
      set,
    });
  }
  return out;
}

function seconds(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Encodes managers as kube does: empty sets dropped; sorted by operation, time, manager, version. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const list = [...managers.values()].filter((m) => !m.set.empty());
  list.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const ps = seconds(p.time);
    const qs = seconds(q.time);
    if (ps !== qs) return ps - qs;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    const a = p.subresource ?? '';
    const b = q.subresource ?? '';
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return list.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time ? { time: m.time } : {}),
    fieldsType: 'FieldsV1' as const,
    fieldsV1: m.set.toFieldsV1(),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

/**
 * Paths the server owns, removed from every manager's set (kube's StripMetaManager: an exact
 * Difference, so `metadata` itself goes but what is below it stays).
 */
const STRIPPED: string[][] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:clusterName'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:resourceVersion'],
];

/**
 * Removes the server-owned paths and the fields the endpoint resets (status on the main resource,
 * spec on the status subresource; those with everything below them, as RecursiveDifference).
 */
export function stripIgnored(set: FieldSet, subresource: string | undefined, hasStatus: boolean): FieldSet {
  const out = set.clone();
  const reset: string[] = [];
  if (subresource === 'status') reset.push('f:spec');
  else if (!subresource && hasStatus) reset.push('f:status');
  for (const pe of reset) {
    out.members.delete(pe);
    out.children.delete(pe);
  }
  for (const p of STRIPPED) {
    let node: FieldSet | undefined = out;
    for (let i = 0; i < p.length - 1 && node; i++) node = node.children.get(p[i]);
    node?.members.delete(p[p.length - 1]);
  }
  pruneEmpty(out);
  return out;
}

function pruneEmpty(set: FieldSet): void {
  for (const [k, c] of set.children) {
    pruneEmpty(c);
    if (c.empty()) set.children.delete(k);
  }
}

/** kube-apiserver keeps at most this many Update managers (DefaultMaxUpdateManagers). */
export const MAX_UPDATE_MANAGERS = 10;

/**
 * Merges the oldest Update managers into `ancient-changes` buckets (one per apiVersion) until at
 * most MAX_UPDATE_MANAGERS remain, as kube's capManagersManager does.
 */
export function capUpdateManagers(managers: Managers, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update').map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((i, j) => {
    const a = seconds(managers.get(i)!.time);
    const b = seconds(managers.get(j)!.time);
    if (a !== b) return a - b;
    return i < j ? -1 : i > j ? 1 : 0;
  });
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const id = updaters[i];
    const m = managers.get(id)!;
    const bucket = managerId({ manager: 'ancient-changes', operation: 'Update', apiVersion: m.apiVersion });
    const first = firstByVersion.get(m.apiVersion);
    if (first === undefined) {
      firstByVersion.set(m.apiVersion, id);
      continue;
    }
    if (!managers.has(bucket)) {
      const f = managers.get(first)!;
      managers.delete(first);
      managers.set(bucket, { ...f, manager: 'ancient-changes', operation: 'Update' });
    }
    const b = managers.get(bucket)!;
    b.set = m.set.union(b.set);
    if (m.time) b.time = m.time;
    managers.delete(id);
    length--;
  }
}
