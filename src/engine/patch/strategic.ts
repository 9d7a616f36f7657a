import { badRequest } from './errors.js';
import type { PatchSchema } from './schema.js';
import { deepClone, isObject, type JsonObject, setProp } from './json-value.js';
import {
  errBadArgType,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoListOfLists,
  errNoMergeKey,
  goFormat,
  SmpError,
  toPatchError,
} from './smp-errors.js';

/*
 * Strategic merge patch, ported from k8s.io/apimachinery/pkg/util/strategicpatch (patch.go,
 * StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls), including its ordering
 * rules and quirks, with the patch metadata read from PatchSchemas instead of Go struct tags.
 */

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';
const SET_ORDER = '$setElementOrder';

type Kind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'null';

function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return 'bool';
}

interface FieldMeta {
  type: PatchSchema | undefined;
  strategy: string;
  mergeKey: string;
}

function fieldMeta(node: PatchSchema | undefined, key: string): FieldMeta {
  if (!node) return { type: undefined, strategy: '', mergeKey: '' };
  const prop = node.properties?.[key];
  if (prop) {
    return {
      type: prop,
      strategy: nonRetainStrategy(prop.patchStrategy),
      mergeKey: prop.patchMergeKey ?? '',
    };
  }
  const ap = node.additionalProperties;
  return { type: typeof ap === 'object' ? ap : undefined, strategy: '', mergeKey: '' };
}

/** extractRetainKeysPatchStrategy: the strategy other than retainKeys. */
function nonRetainStrategy(s: string | undefined): string {
  if (!s) return '';
  const parts = s.split(',');
  if (parts.length === 1) return parts[0] === 'retainKeys' ? '' : parts[0];
  if (parts.length === 2 && parts.includes('retainKeys'))
    return parts[0] === 'retainKeys' ? parts[1] : parts[0];
  throw new SmpError(`unexpected patch strategy: ${goFormat(parts)}`);
}

function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) {
    if (prefix === DELETE_PRIMITIVE) throw errBadPatchFormatForPrimitiveList();
    throw errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(i + 1);
}

function mergeMap(
  original: JsonObject | undefined,
  patch: JsonObject,
  node: PatchSchema | undefined,
): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch);
  const orig = original ?? {};
  applyRetainKeysDirective(orig, patch);
  mergePatchIntoOriginal(orig, patch, node);
  for (const key of Object.keys(patch)) {
    const patchV = patch[key];
    let k = key;
    let isDeleteList = false;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      k = extractKey(key, DELETE_PRIMITIVE);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete orig[k];
      continue;
    }
    if (!Object.hasOwn(orig, k)) {
      // a deletion list never creates the list it deletes from
      if (!isDeleteList) setProp(orig, k, patchV);
      continue;
    }
    const ok = kindOf(orig[k]);
    if (ok !== kindOf(patchV)) {
      if (!isDeleteList) setProp(orig, k, patchV);
      continue;
    }
    const meta = fieldMeta(node, k);
    if (ok === 'map') {
      orig[k] =
        meta.strategy !== 'replace'
          ? mergeMap(orig[k] as JsonObject, patchV as JsonObject, meta.type)
          : patchV;
    } else if (ok === 'slice') {
      orig[k] =
        meta.strategy === 'merge' || isDeleteList
          ? mergeSlice(
              orig[k] as unknown[],
              patchV as unknown[],
              meta.type?.items,
              meta.mergeKey,
              isDeleteList,
            )
          : patchV;
    } else {
      orig[k] = patchV;
    }
  }
  return orig;
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set<unknown>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function mergePatchIntoOriginal(
  original: JsonObject,
  patch: JsonObject,
  node: PatchSchema | undefined,
): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('slice', order);
    const originalKey = extractKey(key, SET_ORDER);
    const foundOriginal = Object.hasOwn(original, originalKey);
    const foundPatch = Object.hasOwn(patch, originalKey);
    let originalList: unknown[] = [];
    let patchList: unknown[] = [];
    if (foundOriginal) {
      if (!Array.isArray(original[originalKey])) throw errBadArgType('slice', original[originalKey]);
      originalList = original[originalKey] as unknown[];
    }
    if (foundPatch) {
      if (!Array.isArray(patch[originalKey])) throw errBadArgType('slice', patch[originalKey]);
      patchList = patch[originalKey] as unknown[];
    }
    const meta = fieldMeta(node, originalKey);
    validatePatchWithSetOrderList(patchList, order, meta.mergeKey);
    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = patchList;
    else if (foundOriginal && foundPatch) {
      merged =
        meta.strategy === 'merge'
          ? mergeSlice(originalList, patchList, meta.type?.items, meta.mergeKey, false)
          : patchList;
    } else continue;
    const [patchItems, serverOnly] = meta.mergeKey
      ? partitionMaps(merged, order, meta.mergeKey)
      : partitionPrimitives(merged, order);
    const kind = sliceElementKind(originalList, patchList);
    original[originalKey] = normalizeElementOrder(
      patchItems,
      serverOnly,
      order,
      originalList,
      meta.mergeKey,
      kind,
    );
    delete patch[originalKey];
  }
}

function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  let nonDelete = patchList;
  if (mergeKey) nonDelete = extractToDeleteItems(patchList)[0];
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrder.length) {
    if (isObject(nonDelete[p]) && Object.hasOwn(nonDelete[p] as JsonObject, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], setOrder[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrder.length) {
    throw new SmpError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ORDER} list:\n${goFormat(setOrder)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObject(left)) throw errBadArgType('map', left);
  if (!isObject(right)) throw errBadArgType('map', right);
  if (!Object.hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(by);
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) (inPatch.has(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (!Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

function findByKey(list: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isObject(v)) throw new SmpError(`value for key ${i} is not a map.`);
    if (Object.hasOwn(v, key) && v[key] === value) return i;
  }
  return -1;
}

function sliceElementKind(...slices: unknown[][]): Kind {
  let prev: Kind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const k = kindOf(v);
      if (prev === undefined) {
        prev = k;
        if (k === 'slice') throw errNoListOfLists();
      } else if (prev !== k) {
        throw new SmpError(`list element types are not identical: ${goFormat(slices)}`);
      }
    }
  }
  if (prev === undefined) throw new SmpError('no elements in any of the given slices');
  return prev;
}

/**
 * Merges a list. For lists of maps this emulates Go's slice aliasing exactly: upstream deletes and
 * appends in place in the backing array of `original`, and callers (the `$setElementOrder` path)
 * then read that array as the server order. `original` is mutated the same way here.
 */
function mergeSlice(
  original: unknown[],
  patch: unknown[],
  elem: PatchSchema | undefined,
  mergeKey: string,
  isDeleteList: boolean,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    const merged = deduplicateScalars([...original, ...patch]);
    const [patchItems, serverOnly] = partitionPrimitives(merged, patch);
    return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
  }
  if (!mergeKey) throw new SmpError('cannot merge lists without merge key for type struct');

  // mergeSliceWithSpecialElements
  let len = original.length;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!Object.hasOwn(m, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = m[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      for (;;) {
        const i = findByKey(original.slice(0, len), mergeKey, m[mergeKey]);
        if (i < 0) break;
        // append(original[:i], original[i+1:]...) shifts in place
        original.copyWithin(i, i + 1, len);
        len--;
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new SmpError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, m);
    }
  }
  let arr: unknown[];
  let cap: number;
  let items: unknown[];
  let serverOrderOf: () => unknown[];
  if (replace) {
    arr = plain;
    len = plain.length;
    cap = plain.length;
    items = [];
    serverOrderOf = () => plain.slice(0, plain.length);
  } else {
    arr = original;
    cap = original.length;
    items = plain;
    const n = len;
    serverOrderOf = () => original.slice(0, n);
  }
  // mergeSliceWithoutSpecialElements
  for (const v of items) {
    const m = v as JsonObject;
    if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const i = findByKey(arr.slice(0, len), mergeKey, m[mergeKey]);
    if (i >= 0) {
      arr[i] = mergeMap(arr[i] as JsonObject, m, elem);
    } else if (len < cap) {
      arr[len++] = v;
    } else {
      arr = [...arr.slice(0, len), v];
      len++;
      cap = Math.max(2 * cap, len);
    }
  }
  const merged = arr.slice(0, len);
  const [patchItems, serverOnly] = partitionMaps(merged, items, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, items, serverOrderOf(), mergeKey, kind);
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const del = new Set(toDelete);
  return current.filter((v) => !del.has(v));
}

/** Go's in-place deduplication (it moves the last element into each duplicate's slot). */
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

function extractToDeleteItems(l: unknown[]): [unknown[], unknown[]] {
  const nonDelete: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const v of l) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (v[DIRECTIVE] === 'delete') toDelete.push(v);
    else nonDelete.push(v);
  }
  return [nonDelete, toDelete];
}

function indexIn(l: unknown[], val: unknown, mergeKey: string, kind: Kind): number {
  const get = kind === 'map' ? (x: unknown) => (isObject(x) ? x[mergeKey] : undefined) : (x: unknown) => x;
  const target = get(val);
  for (let i = 0; i < l.length; i++) if (get(l[i]) === target) return i;
  return -1;
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: Kind): unknown[] {
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isObject(item)) throw errBadArgType('map', item);
        if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      }
    }
    [toSort, toDelete] = extractToDeleteItems(toSort);
  }
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexIn(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  // Go's sort.SliceStable is an insertion sort for short slices; its result with this (not strictly
  // consistent) comparator is what clients observe, so replicate the algorithm.
  const s = [...toSort];
  for (let i = 1; i < s.length; i++) {
    for (let j = i; j > 0 && less(s[j], s[j - 1]); j--) [s[j], s[j - 1]] = [s[j - 1], s[j]];
  }
  return [...s, ...toDelete];
}

function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: Kind,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const so = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(so, p, serverOrder, mergeKey, kind);
}

function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: Kind,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/**
 * kube decodes the patched map into the Go type, which drops directive keys left in parts of the
 * patch that were copied as they were (e.g. a list added under a field the object did not have)
 * and null fields; do the same on the JSON.
 */
function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = stripDirectives(v[i]);
    return v;
  }
  if (!isObject(v)) return v;
  for (const k of Object.keys(v)) {
    if (
      v[k] === null ||
      k === DIRECTIVE ||
      k === RETAIN_KEYS ||
      k.startsWith(`${SET_ORDER}/`) ||
      k.startsWith(`${DELETE_PRIMITIVE}/`)
    ) {
      delete v[k];
    } else {
      v[k] = stripDirectives(v[k]);
    }
  }
  return v;
}

/**
 * Applies a strategic merge patch to `obj` using the patch metadata in `schema` (the kind's
 * schema; lists without metadata are replaced). Returns a new object; inputs are not modified.
 * Throws PatchError classified as kube-apiserver does (400 for malformed directives, 422, 500 otherwise).
 */
export function applyStrategicMergePatch<T extends object>(
  obj: T,
  patch: unknown,
  schema: PatchSchema | undefined,
): T {
  if (patch === null) return deepClone(obj);
  if (!isObject(patch)) {
    const what = Array.isArray(patch) ? 'array' : typeof patch === 'string' ? 'string' : typeof patch;
    throw badRequest(`json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  try {
    const out = mergeMap(deepClone(obj) as JsonObject, deepClone(patch), schema);
    return stripDirectives(out) as T;
  } catch (e) {
    if (e instanceof SmpError) throw toPatchError(e);
    throw e;
  }
}
