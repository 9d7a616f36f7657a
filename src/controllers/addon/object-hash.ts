import { createHash } from 'node:crypto';
import { ANNOTATION } from './names.js';

/** JSON with object keys sorted at every level: equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`).join(',')}}`;
}

// Informer-cache objects are replaced, never mutated: their text can be remembered per object.
const memo = new WeakMap<object, string>();

function memoStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return stableStringify(v);
  let t = memo.get(v);
  if (t === undefined) {
    t = stableStringify(v);
    memo.set(v, t);
  }
  return t;
}

/**
 * Structural equality. Only pass objects that are not mutated afterwards (cache objects, fresh
 * plans): their text is remembered.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  return memoStringify(a) === memoStringify(b);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of many parts, base64 (the CRDs' `format: byte` hash fields). */
export function hashParts(parts: readonly unknown[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(stableStringify(p)).update('\n');
  return h.digest('base64');
}

/**
 * `projectsveltos.io/hash` of a deployed object: `sha256:<hex>` of its normalised form (keys
 * sorted, server-managed metadata and the hash annotation itself left out).
 */
export function objectHash(obj: Record<string, unknown>): string {
  const copy = structuredClone(obj) as Record<string, unknown> & {
    metadata?: Record<string, unknown> & { annotations?: Record<string, string> };
  };
  delete copy.status;
  const md = copy.metadata;
  if (md) {
    for (const k of ['resourceVersion', 'uid', 'generation', 'creationTimestamp', 'managedFields'])
      delete md[k];
    if (md.annotations) {
      delete md.annotations[ANNOTATION.hash];
      if (Object.keys(md.annotations).length === 0) delete md.annotations;
    }
  }
  return `sha256:${sha256Hex(stableStringify(copy))}`;
}
