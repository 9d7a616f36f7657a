import { parse } from 'yaml';
import type { Patch } from '../../api/index.js';
import { getOwn, setOwn } from '../../lib/own-props.js';
import { targetMatches } from './patch-target.js';
import type { DriftObject } from './types.js';

/** Annotations written by servers and tools, not by whoever deployed the object. */
const SERVER_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
]);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * What drift detection compares of a live object: everything its deployer states, without
 * status and server-managed metadata (uid, resourceVersion, generation, timestamps, managed
 * fields, owner references, finalizers), and with the exclusion patches of the ResourceSummary
 * (`spec.patches`, from driftExclusions) applied. Pure; the input is not modified.
 */
export function driftContent(obj: DriftObject, patches: readonly Patch[] = []): Json {
  const { status: _status, metadata, ...rest } = obj;
  const meta: Record<string, unknown> = {};
  if (metadata?.name !== undefined) meta.name = metadata.name;
  if (metadata?.namespace) meta.namespace = metadata.namespace;
  if (metadata?.labels && Object.keys(metadata.labels).length > 0) meta.labels = metadata.labels;
  const annotations = Object.entries(metadata?.annotations ?? {}).filter(([k]) => !SERVER_ANNOTATIONS.has(k));
  if (annotations.length > 0) meta.annotations = Object.fromEntries(annotations);
  let doc = structuredClone({ ...rest, metadata: meta }) as Json;
  for (const p of patches) {
    if (!targetMatches(p.target, obj)) continue;
    doc = applyExclusionPatch(doc, p.patch);
  }
  return doc;
}

/**
 * Applies one patch document: a JSON6902 operation list (the form driftExclusions take: `remove`
 * operations; a missing path is not an error here) or a merge patch (null deletes a field).
 */
export function applyExclusionPatch(doc: Json, patch: string): Json {
  let parsed: unknown;
  try {
    parsed = parse(patch);
  } catch (err) {
    throw new Error(
      `ResourceSummary spec.patches: patch is not valid YAML/JSON (${String(err)}): fix the driftExclusions or patches of the profile`,
    );
  }
  if (Array.isArray(parsed)) {
    for (const op of parsed as { op?: string; path?: string; value?: Json }[]) {
      if (typeof op?.path !== 'string') continue;
      if (op.op === 'remove') doc = removePointer(doc, op.path);
      else if (op.op === 'add' || op.op === 'replace') doc = setPointer(doc, op.path, op.value ?? null);
    }
    return doc;
  }
  if (parsed && typeof parsed === 'object') return mergePatch(doc, parsed as Json);
  return doc;
}

function tokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isObj(v: Json | undefined): v is { [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function removePointer(doc: Json, pointer: string): Json {
  const path = tokens(pointer);
  if (path.length === 0) return doc;
  let cur: Json | undefined = doc;
  for (const t of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObj(cur)) cur = getOwn(cur, t);
    else return doc;
  }
  const last = path[path.length - 1] as string;
  if (Array.isArray(cur)) {
    const i = Number(last);
    if (Number.isInteger(i) && i >= 0 && i < cur.length) cur.splice(i, 1);
  } else if (isObj(cur) && Object.hasOwn(cur, last)) delete cur[last];
  return doc;
}

function setPointer(doc: Json, pointer: string, value: Json): Json {
  const path = tokens(pointer);
  if (path.length === 0) return value;
  let cur: Json | undefined = doc;
  for (const t of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObj(cur)) {
      if (getOwn(cur, t) == null) setOwn(cur, t, {});
      cur = cur[t];
    } else return doc;
  }
  const last = path[path.length - 1] as string;
  if (Array.isArray(cur)) {
    if (last === '-') cur.push(value);
    else cur[Number(last)] = value;
  } else if (isObj(cur)) setOwn(cur, last, value);
  return doc;
}

function mergePatch(doc: Json, patch: Json): Json {
  if (!isObj(patch)) return patch;
  const out: { [k: string]: Json } = isObj(doc) ? doc : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, mergePatch(getOwn(out, k) ?? null, v));
  }
  return out;
}

/** JSON with object keys sorted at every level: equal content, equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * The text drift hashes are taken over: the canonical JSON of `driftContent`. Hash it with
 * sha256 (hex) in the caller's layer (the engine does not import node:crypto).
 */
export function driftText(obj: DriftObject, patches: readonly Patch[] = []): string {
  return canonicalJson(driftContent(obj, patches));
}
