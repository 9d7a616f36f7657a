import { badRequest, INVALID_MESSAGE, PatchError } from './errors.js';
import { deepClone, deepEqual, isObject, setProp } from './json-value.js';

/** kube-apiserver's limit on operations in one JSON patch. */
const MAX_OPERATIONS = 10000;

/**
 * A JSON patch that could not be applied. kube-apiserver answers 422 with a generic message (the
 * evanphx/json-patch error is not sent); `patchError` keeps that library's exact wording for logs
 * and tests.
 */
export class JsonPatchError extends PatchError {
  override readonly name = 'JsonPatchError';
  constructor(readonly patchError: string) {
    super(422, 'Invalid', INVALID_MESSAGE, {}, patchError);
  }
}

type Container = { kind: 'object'; obj: Record<string, unknown> } | { kind: 'array'; arr: unknown[] };

function decodeKey(k: string): string {
  return k.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Go's strconv.Atoi: optional sign and decimal digits only. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  return Number.parseInt(s, 10);
}

function atoiError(s: string): string {
  return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

function asContainer(v: unknown): Container | undefined {
  if (Array.isArray(v)) return { kind: 'array', arr: v };
  if (isObject(v)) return { kind: 'object', obj: v };
  return undefined;
}

class OpError extends Error {}

const invalidIndex = (idx: number) =>
  new OpError(`Unable to access invalid index: ${idx}: invalid index referenced`);

function get(c: Container, key: string): { found: boolean; value?: unknown } {
  if (c.kind === 'object') {
    if (!Object.hasOwn(c.obj, key)) return { found: false };
    return { found: true, value: c.obj[key] };
  }
  let idx = atoi(key);
  if (idx === undefined) throw new OpError(atoiError(key));
  if (idx < 0) {
    if (idx < -c.arr.length) throw invalidIndex(idx);
    idx += c.arr.length;
  }
  if (idx >= c.arr.length) throw invalidIndex(idx);
  return { found: true, value: c.arr[idx] };
}

function add(c: Container, key: string, value: unknown): void {
  if (c.kind === 'object') {
    setProp(c.obj, key, value);
    return;
  }
  if (key === '-') {
    c.arr.push(value);
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw new OpError(`value was not a proper array index: '${key}': ${atoiError(key)}`);
  const size = c.arr.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  c.arr.splice(idx, 0, value);
}

function remove(c: Container, key: string): void {
  if (c.kind === 'object') {
    if (!Object.hasOwn(c.obj, key))
      throw new OpError(`unable to remove nonexistent key: ${key}: missing value`);
    delete c.obj[key];
    return;
  }
  let idx = atoi(key);
  if (idx === undefined) throw new OpError(atoiError(key));
  if (idx >= c.arr.length) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -c.arr.length) throw invalidIndex(idx);
    idx += c.arr.length;
  }
  c.arr.splice(idx, 1);
}

function set(c: Container, key: string, value: unknown): void {
  if (c.kind === 'object') {
    setProp(c.obj, key, value);
    return;
  }
  let idx = atoi(key)!;
  if (idx < 0) idx += c.arr.length;
  c.arr[idx] = value;
}

/** evanphx findObject: the container holding the last path segment, or undefined. */
function findObject(doc: unknown, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur = asContainer(doc);
  if (!cur) return undefined;
  for (const part of split.slice(1, -1)) {
    let next: { found: boolean; value?: unknown };
    try {
      next = get(cur, decodeKey(part));
    } catch {
      return undefined;
    }
    if (!next.found) return undefined;
    cur = asContainer(next.value);
    if (!cur) return undefined;
  }
  return { con: cur, key: decodeKey(split[split.length - 1]) };
}

function field(op: Record<string, unknown>, name: 'path' | 'from'): string | undefined {
  const v = op[name];
  return typeof v === 'string' ? v : undefined;
}

function applyOne(doc: unknown, op: Record<string, unknown>): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const path = field(op, 'path');
  switch (kind) {
    case 'add': {
      if (path === undefined) throw new OpError('add operation failed to decode path: missing value');
      const t = findObject(doc, path);
      if (!t)
        throw new OpError(`add operation does not apply: doc is missing path: "${path}": missing value`);
      try {
        add(t.con, t.key, deepClone(op.value ?? null));
      } catch (e) {
        throw new OpError(`error in add for path: '${path}': ${(e as Error).message}`);
      }
      return doc;
    }
    case 'remove': {
      if (path === undefined) throw new OpError('remove operation failed to decode path: missing value');
      const t = findObject(doc, path);
      if (!t)
        throw new OpError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      try {
        remove(t.con, t.key);
      } catch (e) {
        throw new OpError(`error in remove for path: '${path}': ${(e as Error).message}`);
      }
      return doc;
    }
    case 'replace': {
      if (path === undefined) throw new OpError('replace operation failed to decode path: missing value');
      if (path === '') {
        if (typeof op.value !== 'object' || op.value === null)
          throw new OpError('replace operation value must be object or array');
        return deepClone(op.value);
      }
      const t = findObject(doc, path);
      if (!t)
        throw new OpError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      let found = false;
      try {
        found = get(t.con, t.key).found;
      } catch {
        found = false;
      }
      if (!found)
        throw new OpError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
      set(t.con, t.key, deepClone(op.value ?? null));
      return doc;
    }
    case 'move': {
      const from = field(op, 'from');
      if (from === undefined)
        throw new OpError(
          'move operation failed to decode from: operation, missing from field: missing value',
        );
      const s = findObject(doc, from);
      if (!s)
        throw new OpError(`move operation does not apply: doc is missing from path: ${from}: missing value`);
      let val: unknown;
      try {
        const g = get(s.con, s.key);
        if (!g.found) throw new OpError(`unable to get nonexistent key: ${s.key}: missing value`);
        val = g.value;
        remove(s.con, s.key);
      } catch (e) {
        throw new OpError(`error in move for path: '${s.key}': ${(e as Error).message}`);
      }
      if (path === undefined)
        throw new OpError(
          'move operation failed to decode path: operation missing path field: missing value',
        );
      const t = findObject(doc, path);
      if (!t)
        throw new OpError(
          `move operation does not apply: doc is missing destination path: ${path}: missing value`,
        );
      try {
        add(t.con, t.key, val);
      } catch (e) {
        throw new OpError(`error in move for path: '${path}': ${(e as Error).message}`);
      }
      return doc;
    }
    case 'copy': {
      const from = field(op, 'from');
      if (from === undefined)
        throw new OpError(
          'copy operation failed to decode from: operation, missing from field: missing value',
        );
      const s = findObject(doc, from);
      if (!s)
        throw new OpError(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
      let val: unknown;
      try {
        const g = get(s.con, s.key);
        if (!g.found) throw new OpError(`unable to get nonexistent key: ${s.key}: missing value`);
        val = g.value;
      } catch (e) {
        throw new OpError(`error in copy for from: '${from}': ${(e as Error).message}`);
      }
      if (path === undefined) throw new OpError('copy operation failed to decode path: missing value');
      const t = findObject(doc, path);
      if (!t)
        throw new OpError(
          `copy operation does not apply: doc is missing destination path: ${path}: missing value`,
        );
      try {
        add(t.con, t.key, deepClone(val));
      } catch (e) {
        throw new OpError(`error while adding value during copy: ${(e as Error).message}`);
      }
      return doc;
    }
    case 'test': {
      if (path === undefined)
        throw new OpError(
          'test operation failed to decode path: operation missing path field: missing value',
        );
      const expected = Object.hasOwn(op, 'value') ? op.value : undefined;
      if (path === '') {
        if (deepEqual(doc, expected)) return doc;
        throw new OpError(`testing value ${path} failed: test failed`);
      }
      const t = findObject(doc, path);
      if (!t) throw new OpError(`test operation does not apply: is missing path: ${path}: missing value`);
      let g: { found: boolean; value?: unknown };
      try {
        g = get(t.con, t.key);
      } catch (e) {
        throw new OpError(`error in test for path: '${path}': ${(e as Error).message}`);
      }
      if (!g.found) {
        // evanphx: a missing key matches only a missing (or null) value
        if (expected === undefined || expected === null) return doc;
        throw new OpError(`testing value ${path} failed: test failed`);
      }
      if (expected === undefined) throw new OpError(`testing value ${path} failed: test failed`);
      if (deepEqual(g.value, expected)) return doc;
      throw new OpError(`testing value ${path} failed: test failed`);
    }
    default:
      throw new OpError(`Unexpected kind: ${kind}`);
  }
}

/**
 * RFC 6902 JSON patch with the behaviour of gopkg.in/evanphx/json-patch.v4 as kube-apiserver uses
 * it (negative array indices allowed, missing-path errors, `-` appends). Returns a new document;
 * the input is not modified.
 */
export function applyJsonPatch<T>(doc: T, patch: unknown): T {
  if (!Array.isArray(patch)) {
    const what = patch === null ? 'null' : isObject(patch) ? 'object' : typeof patch;
    if (patch === null) return deepClone(doc);
    throw badRequest(`json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`);
  }
  if (patch.length > MAX_OPERATIONS) {
    throw new PatchError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${patch.length}`,
    );
  }
  for (const op of patch) {
    if (!isObject(op)) {
      throw badRequest(
        `json: cannot unmarshal ${Array.isArray(op) ? 'array' : typeof op} into Go value of type jsonpatch.Operation`,
      );
    }
  }
  let out: unknown = deepClone(doc);
  for (const op of patch as Record<string, unknown>[]) {
    try {
      out = applyOne(out, op);
    } catch (e) {
      if (e instanceof OpError) throw new JsonPatchError(e.message);
      throw e;
    }
  }
  return out as T;
}
