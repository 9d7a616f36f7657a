import type { SchemaNode } from '../../contracts.js';
import { deepEqual, isObject, stableStringify } from '../../../engine/patch/index.js';
import { FieldSet } from './fieldset.js';
import { getOwn, setOwn } from '../../../lib/own-props.js';

/*
 * Schema-aware walks over JSON values, after structured-merge-diff v4's typed package: field sets
 * (ToFieldSet), merge (apply's keep-RHS merge with its list ordering), compare (added / removed /
 * modified) and item removal. The schema graph may be cyclic; every walk is driven by the data.
 */

export class SsaError extends Error {}

type Resolved =
  | { kind: 'scalar' }
  | { kind: 'list'; rel: 'atomic' | 'set' | 'map'; keys: string[]; items: SchemaNode | undefined }
  | {
      kind: 'map';
      atomic: boolean;
      /** A struct with named fields (properties), not a free-form map. */
      props: Record<string, SchemaNode> | undefined;
      elem: SchemaNode | undefined;
      required: string[];
    };

const DEDUCED_MAP: Extract<Resolved, { kind: 'map' }> = {
  kind: 'map',
  atomic: false,
  props: undefined,
  elem: undefined,
  required: [],
};
const ATOMIC_LIST: Resolved = { kind: 'list', rel: 'atomic', keys: [], items: undefined };
const SCALAR: Resolved = { kind: 'scalar' };

/** The shape of a schema node, ignoring the value. Undefined: deduced from the value. */
export function resolveSchema(node: SchemaNode | undefined): Resolved | undefined {
  if (!node) return undefined;
  if (node.intOrString) return SCALAR;
  if (node.type === 'array' || (!node.type && node.items)) {
    let rel = node.listType;
    let keys = node.listMapKeys ?? [];
    if (!rel) {
      const merge = (node.patchStrategy ?? '').split(',').includes('merge');
      if (merge && node.patchMergeKey) {
        rel = 'map';
        keys = [node.patchMergeKey];
      } else rel = merge ? 'set' : 'atomic';
    } else if (rel === 'map' && keys.length === 0 && node.patchMergeKey) keys = [node.patchMergeKey];
    return { kind: 'list', rel, keys, items: node.items };
  }
  if (node.type === 'object' || (!node.type && (node.properties || node.additionalProperties))) {
    const ap = node.additionalProperties;
    const props = node.properties && Object.keys(node.properties).length > 0 ? node.properties : undefined;
    if (!props && typeof ap !== 'object') return { ...DEDUCED_MAP, atomic: node.mapType === 'atomic' };
    return {
      kind: 'map',
      atomic: node.mapType === 'atomic',
      props,
      elem: typeof ap === 'object' ? ap : undefined,
      required: node.required ?? [],
    };
  }
  if (node.type) return SCALAR;
  if (node.anyOf || node.oneOf) return SCALAR;
  return undefined;
}

/** The shape used for a value: the schema's when the value fits it, else deduced from the value. */
function resolve(node: SchemaNode | undefined, value: unknown): Resolved {
  const r = resolveSchema(node);
  if (r?.kind === 'list' && Array.isArray(value)) return r;
  if (r?.kind === 'map' && isObject(value)) return r;
  if (r?.kind === 'scalar') return r;
  if (isObject(value)) return r?.kind === 'map' ? r : DEDUCED_MAP;
  if (Array.isArray(value)) return ATOMIC_LIST;
  return SCALAR;
}

function childNode(r: Extract<Resolved, { kind: 'map' }>, key: string): SchemaNode | undefined {
  if (r.props && Object.hasOwn(r.props, key)) return r.props[key];
  return r.elem;
}

function isNamedField(r: Extract<Resolved, { kind: 'map' }>, key: string): boolean {
  return !!r.props && Object.hasOwn(r.props, key);
}

/** Defaults kube-apiserver's OpenAPI carries for list-map key fields (the swagger v2 does not). */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The path element of a list item: `k:{...}` for list-maps, `v:<json>` for sets. */
export function itemPathElement(r: Extract<Resolved, { kind: 'list' }>, item: unknown): string {
  if (r.rel === 'map') {
    const key: Record<string, unknown> = {};
    for (const k of [...r.keys].sort()) {
      let v = isObject(item) ? getOwn(item, k) : undefined;
      if (v === undefined || v === null) v = r.items?.properties?.[k]?.default ?? KEY_DEFAULTS[k];
      if (v === undefined) {
        throw new SsaError(
          `associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
        );
      }
      setOwn(key, k, v);
    }
    return `k:${JSON.stringify(key)}`;
  }
  return `v:${stableStringify(item)}`;
}

function isEmptyContainer(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return false;
}

/** ToFieldSet: every leaf, list item and map entry of a value, as structured-merge-diff lists them. */
export function toFieldSet(value: unknown, node: SchemaNode | undefined): FieldSet {
  const out = new FieldSet();
  walkSet(value, node, out);
  return out;
}

function walkSet(value: unknown, node: SchemaNode | undefined, set: FieldSet): boolean {
  const r = resolve(node, value);
  if (r.kind === 'scalar') return true;
  if (r.kind === 'list') {
    if (r.rel === 'atomic') return true;
    for (const item of value as unknown[]) {
      const pe = itemPathElement(r, item);
      const c = set.child(pe);
      walkSet(item, r.items, c);
      if (c.empty()) set.children.delete(pe);
      set.members.add(pe);
    }
    return false;
  }
  if (r.atomic) return true;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const pe = `f:${k}`;
    const c = set.child(pe);
    const leaf = walkSet(v, childNode(r, k), c);
    if (c.empty()) set.children.delete(pe);
    if (leaf || v === null || (isObject(v) && Object.keys(v).length === 0) || !isNamedField(r, k))
      set.members.add(pe);
  }
  return false;
}

/** Merges `rhs` (an applied configuration) into `lhs` (the live object), keeping RHS values. */
export function merge(lhs: unknown, rhs: unknown, node: SchemaNode | undefined): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const r = resolve(node, rhs);
  const l = resolve(node, lhs);
  if (r.kind !== l.kind || r.kind === 'scalar') return rhs;
  if (isEmptyContainer(lhs) && isEmptyContainer(rhs)) return rhs;
  if (r.kind === 'list') return r.rel === 'atomic' ? rhs : mergeList(lhs as unknown[], rhs as unknown[], r);
  if (r.atomic) return rhs;
  const a = lhs as Record<string, unknown>;
  const b = rhs as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a)) {
    const m = merge(a[k], getOwn(b, k), childNode(r, k));
    if (m !== undefined) setOwn(out, k, m);
  }
  for (const k of Object.keys(b)) {
    if (Object.hasOwn(a, k)) continue;
    const m = merge(undefined, b[k], childNode(r, k));
    if (m !== undefined) setOwn(out, k, m);
  }
  return out;
}

function index(list: unknown[], r: Extract<Resolved, { kind: 'list' }>): [string[], Map<string, unknown>] {
  const pes: string[] = [];
  const seen = new Map<string, unknown>();
  for (const item of list) {
    const pe = itemPathElement(r, item);
    pes.push(pe);
    if (!seen.has(pe)) seen.set(pe, item);
  }
  return [pes, seen];
}

/** structured-merge-diff's list merge order: LHS order, with RHS items placed by their shared items. */
function mergeList(lhs: unknown[], rhs: unknown[], r: Extract<Resolved, { kind: 'list' }>): unknown[] {
  const [rPEs, observedR] = index(rhs, r);
  const [lPEs, observedL] = index(lhs, r);
  const sharedOrder = rPEs.filter((pe) => observedL.has(pe));
  let nextShared = sharedOrder.shift();
  const mergedR = new Set<string>();
  const out: unknown[] = [];
  let lI = 0;
  let rI = 0;
  const push = (v: unknown) => {
    if (v !== undefined) out.push(v);
  };
  while (lI < lPEs.length || rI < rPEs.length) {
    if (lI < lPEs.length && rI < rPEs.length) {
      const pe = lPEs[lI];
      if (pe === rPEs[rI]) {
        mergedR.add(pe);
        push(merge(observedL.get(pe), observedR.get(pe), r.items));
        lI++;
        rI++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (observedR.has(pe) && nextShared !== undefined && nextShared !== pe) {
        lI++;
        continue;
      }
    }
    if (lI < lPEs.length) {
      const pe = lPEs[lI];
      if (!observedR.has(pe)) {
        push(lhs[lI]);
        lI++;
        continue;
      }
      if (mergedR.has(pe)) {
        lI++;
        continue;
      }
    }
    if (rI < rPEs.length) {
      const pe = rPEs[rI];
      mergedR.add(pe);
      push(merge(observedL.get(pe), observedR.get(pe), r.items));
      rI++;
      if (nextShared !== undefined && nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

/**
 * Fields that are non-pointer structs in the Go types of built-in kinds (most optional structs are
 * pointers, by API convention); swagger does not say which, so the common ones are listed.
 */
const VALUE_STRUCT_FIELDS = new Set([
  'metadata',
  'spec',
  'status',
  'template',
  'strategy',
  'updateStrategy',
  'resources',
  'jobTemplate',
]);

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** Compare: which paths `rhs` adds, removes and modifies relative to `lhs`. */
export function compare(lhs: unknown, rhs: unknown, node: SchemaNode | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  walkCompare(lhs, rhs, node, [], c, false);
  return c;
}

function walkCompare(
  lhs: unknown,
  rhs: unknown,
  node: SchemaNode | undefined,
  path: string[],
  c: Comparison,
  alwaysPresent: boolean,
): void {
  const v = rhs !== undefined ? rhs : lhs;
  const r = resolve(node, v);
  const other = rhs !== undefined && lhs !== undefined ? resolve(node, lhs) : r;
  const leaf =
    r.kind === 'scalar' ||
    other.kind !== r.kind ||
    (r.kind === 'list' && r.rel === 'atomic') ||
    (r.kind === 'map' && r.atomic) ||
    (isEmptyContainer(lhs) && isEmptyContainer(rhs));
  if (leaf) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
    return;
  }
  if (r.kind === 'list') {
    const [lPEs, observedL] = index(Array.isArray(lhs) ? lhs : [], r);
    const [rPEs, observedR] = index(Array.isArray(rhs) ? rhs : [], r);
    for (const pe of new Set([...lPEs, ...rPEs])) {
      walkCompare(observedL.get(pe), observedR.get(pe), r.items, [...path, pe], c, false);
    }
  } else if (r.kind === 'map') {
    const a = isObject(lhs) ? lhs : {};
    const b = isObject(rhs) ? rhs : {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      // Go's zero value of a built-in kind has its value-struct and required fields present, so
      // kube never records them as added or removed themselves (CRDs are unstructured: nothing is).
      const child = childNode(r, k);
      const cr = resolveSchema(child);
      const present =
        !!node?.ref &&
        ((cr?.kind === 'map' && !!cr.props && VALUE_STRUCT_FIELDS.has(k)) || r.required.includes(k));
      walkCompare(getOwn(a, k), getOwn(b, k), child, [...path, `f:${k}`], c, present);
    }
  }
  if (path.length === 0 || alwaysPresent) return;
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

/** RemoveItems: the value without the paths in `set` (and what is under them); undefined if emptied. */
export function removeItems(value: unknown, set: FieldSet, node: SchemaNode | undefined): unknown {
  const r = resolve(node, value);
  if (r.kind === 'scalar') return value;
  if (r.kind === 'list') {
    const list = value as unknown[];
    if (list.length === 0 || r.rel === 'atomic') return undefined;
    const out: unknown[] = [];
    for (const item of list) {
      const pe = itemPathElement(r, item);
      if (set.members.has(pe)) continue;
      const sub = set.withPrefix(pe);
      const kept = sub.empty() ? item : removeItems(item, sub, r.items);
      if (kept !== undefined) out.push(kept);
    }
    return out.length > 0 ? out : undefined;
  }
  const m = value as Record<string, unknown>;
  if (Object.keys(m).length === 0 || r.atomic) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    const pe = `f:${k}`;
    if (set.members.has(pe)) continue;
    const sub = set.withPrefix(pe);
    const kept = sub.empty() ? v : removeItems(v, sub, childNode(r, k));
    if (kept !== undefined) setOwn(out, k, kept);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The set plus every named struct field that has members below it (EnsureNamedFieldsAreMembers). */
export function ensureNamedFieldsAreMembers(set: FieldSet, node: SchemaNode | undefined): FieldSet {
  const out = new FieldSet();
  for (const m of set.members) out.members.add(m);
  const r = resolveSchema(node);
  for (const [pe, c] of set.children) {
    let child: SchemaNode | undefined;
    if (r?.kind === 'map') {
      if (pe.startsWith('f:')) {
        const name = pe.slice(2);
        child = childNode(r, name);
        if (isNamedField(r, name)) out.members.add(pe);
      }
    } else if (r?.kind === 'list') {
      child = r.items;
    }
    out.children.set(pe, ensureNamedFieldsAreMembers(c, child));
  }
  return out;
}
