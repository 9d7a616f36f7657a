import { badRequest } from './errors.js';
import { deepClone, deepEqual, isObject, setProp } from './json-value.js';

/**
 * RFC 7386 JSON merge patch: objects merge recursively, `null` deletes, anything else replaces.
 * kube-apiserver (evanphx/json-patch MergePatch) rejects a patch that is not an object.
 */
export function applyMergePatch<T>(doc: T, patch: unknown): T {
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  return mergeValue(doc, patch) as T;
}

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return deepClone(patch);
  return mergeInto(isObject(target) ? deepClone(target) : {}, patch);
}

function mergeInto(out: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObject(v))
      setProp(
        out,
        k,
        mergeInto(Object.hasOwn(out, k) && isObject(out[k]) ? (out[k] as Record<string, unknown>) : {}, v),
      );
    else setProp(out, k, deepClone(v));
  }
  return out;
}

/**
 * The merge patch that turns `from` into `to` (null for removed keys; arrays and scalars whole),
 * as `jsonpatch.CreateMergePatch` does.
 */
export function createMergePatch(from: unknown, to: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const a = isObject(from) ? from : {};
  const b = isObject(to) ? to : {};
  for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) setProp(out, k, null);
  for (const [k, v] of Object.entries(b)) {
    const old = Object.hasOwn(a, k) ? a[k] : undefined;
    if (isObject(v) && isObject(old)) {
      const sub = createMergePatch(old, v);
      if (Object.keys(sub).length > 0) setProp(out, k, sub);
    } else if (!Object.hasOwn(a, k) || !deepEqual(old, v)) {
      setProp(out, k, deepClone(v));
    }
  }
  return out;
}
