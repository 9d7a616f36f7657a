/**
 * The content-hash name suffix of generated ConfigMaps and Secrets, as sigs.k8s.io/kustomize
 * api/hasher computes it: sha256 of Go's json.Marshal of {kind, name, data[, binaryData]} (Secret:
 * {kind, name, type, data[, stringData]}) with sorted keys, then the first 10 hex digits with 0,1,3,a,e mapped to
 * g,h,k,m,t (so the suffix never looks like a number or a word).
 */
import { hexDigest } from '../template/funcs/hash.js';

/** Go encoding/json string escaping (HTML-safe: <, >, & and U+2028/2029 escaped). */
function goString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Go json.Marshal of a JSON value with map keys sorted. */
export function goJson(v: unknown): string {
  if (typeof v === 'string') return goString(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${goString(k)}:${goJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  let out = '';
  for (const c of hex.slice(0, 10)) out += map[c] ?? c;
  return out;
}

/** The value kustomize's getNodeValues reads: a map as JSON, a missing field as "". */
function field(v: unknown): unknown {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object' && !Array.isArray(v)) return v;
  return String(v);
}

/**
 * The kustomize hash of a ConfigMap or Secret object (other kinds: of their JSON). The name is
 * always "": kustomize looks it up as the single field "metadata/name", which never exists.
 */
export function kustomizeHash(obj: Record<string, unknown>): string {
  let encoded: string;
  if (obj.kind === 'ConfigMap') {
    const m: Record<string, unknown> = { kind: 'ConfigMap', name: '', data: field(obj.data) };
    if (typeof obj.binaryData === 'object' && obj.binaryData !== null) m.binaryData = obj.binaryData;
    encoded = goJson(m);
  } else if (obj.kind === 'Secret') {
    const m: Record<string, unknown> = {
      kind: 'Secret',
      type: field(obj.type),
      name: '',
      data: field(obj.data),
    };
    if (typeof obj.stringData === 'object' && obj.stringData !== null) m.stringData = obj.stringData;
    encoded = goJson(m);
  } else encoded = goJson(obj);
  return encodeHash(hexDigest.sha256(encoded));
}
