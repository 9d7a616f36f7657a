/** Encodings: base64/base32 (sprig), JSON (sprig), YAML and TOML (Helm/Sveltos). */

import { parseAllDocuments } from 'yaml';
import { def, type FuncDef, type FuncMap } from '../funcs-api.js';
import { mkFloat64 } from '../value.js';
import { goJsonMarshal, JsonEncodeError } from '../yaml/go-json.js';
import { goJsonParse, jsonKindName } from '../yaml/go-json-parse.js';
import { marshalYamlV2, toYaml, toYamlPretty } from '../yaml/to-yaml.js';
import { parseToml, toToml } from './toml.js';
import { setOwn } from '../../../lib/own-props.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function bytesToBase64(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < b.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < b.length ? B64[n & 63]! : '=';
  }
  return out;
}

export function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0)
    throw new Error(`illegal base64 data at input byte ${clean.length - (clean.length % 4)}`);
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    let pad = 0;
    for (let j = 0; j < 4; j++) {
      const ch = clean[i + j]!;
      if (ch === '=') {
        pad++;
        n <<= 6;
        continue;
      }
      const v = B64.indexOf(ch);
      if (v < 0 || pad > 0) throw new Error(`illegal base64 data at input byte ${i + j}`);
      n = (n << 6) | v;
    }
    out.push((n >> 16) & 255);
    if (pad < 2) out.push((n >> 8) & 255);
    if (pad < 1) out.push(n & 255);
  }
  return Uint8Array.from(out);
}

function base32(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = Array.from({ length: 5 }, (_, j) => b[i + j] ?? 0);
    let bits = 0n;
    for (const x of chunk) bits = (bits << 8n) | BigInt(x);
    const used = [2, 4, 5, 7, 8][Math.min(5, b.length - i) - 1]!;
    for (let k = 0; k < 8; k++) out += k < used ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)]! : '=';
  }
  return out;
}

function unbase32(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  let bits = 0;
  let acc = 0;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const v = B32.indexOf(clean[i]!);
    if (v < 0) throw new Error(`illegal base32 data at input byte ${i}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A float64 from decoded JSON/YAML (integral values must not turn into int64). */
export const jsonFloat = (n: number): unknown => (Number.isInteger(n) ? mkFloat64(n) : n);

/** Parses a JSON document as Go's json.Unmarshal into interface{} does. */
export function decodeJson(s: string): unknown {
  return goJsonParse(s, jsonFloat);
}

function marshal(v: unknown, mode: 'int64' | 'float64', escapeHTML: boolean, indent: string): string {
  return goJsonMarshal(v, mode, { escapeHTML, indent });
}

function orEmpty(f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof JsonEncodeError) return '';
    throw e;
  }
}

export function sprigEncodingFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('b64enc', ['string'], (_c, s: string) => bytesToBase64(enc.encode(s))),
    def('b64dec', ['string'], (_c, s: string) => {
      try {
        return dec.decode(base64ToBytes(s));
      } catch (e) {
        return (e as Error).message;
      }
    }),
    def('b32enc', ['string'], (_c, s: string) => base32(enc.encode(s))),
    def('b32dec', ['string'], (_c, s: string) => {
      try {
        return dec.decode(unbase32(s));
      } catch (e) {
        return (e as Error).message;
      }
    }),
    def('toJson', ['any'], (c, v: unknown) => orEmpty(() => marshal(v, c.numbers, true, ''))),
    def('mustToJson', ['any'], (c, v: unknown) => marshal(v, c.numbers, true, '')),
    def('toPrettyJson', ['any'], (c, v: unknown) => orEmpty(() => marshal(v, c.numbers, true, '  '))),
    def('mustToPrettyJson', ['any'], (c, v: unknown) => marshal(v, c.numbers, true, '  ')),
    def('toRawJson', ['any'], (c, v: unknown) => marshal(v, c.numbers, false, '')),
    def('mustToRawJson', ['any'], (c, v: unknown) => marshal(v, c.numbers, false, '')),
    def('fromJson', ['string'], (_c, s: string) => {
      try {
        return decodeJson(s);
      } catch {
        return null;
      }
    }),
    def('mustFromJson', ['string'], (_c, s: string) => decodeJson(s)),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}

/** sigs.k8s.io/yaml.Unmarshal: YAML → JSON → encoding/json (numbers become float64). */
function yamlToJsonValue(s: string): unknown {
  // go-yaml v2 reads only the first document, and hands timestamps to interface{} as their text.
  const docs = parseAllDocuments(s, {
    version: '1.1',
    schema: 'yaml-1.1',
    merge: true,
    uniqueKeys: false,
    customTags: (tags) =>
      tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const first = Array.isArray(docs) ? docs[0] : undefined;
  if (first !== undefined && first.errors.length > 0) {
    const msg = first.errors[0]!.message.split('\n')[0];
    throw new Error(`error converting YAML to JSON: yaml: ${msg}`);
  }
  const doc: unknown = first === undefined ? null : first.toJS({ maxAliasCount: 1000 });
  const conv = (v: unknown): unknown => {
    if (v === undefined || v === null) return null;
    if (typeof v === 'number') return jsonFloat(v);
    if (typeof v === 'bigint') return mkFloat64(Number(v));
    if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
    if (Array.isArray(v)) return v.map(conv);
    if (v instanceof Map) {
      const m: Record<string, unknown> = {};
      for (const [k, x] of v) setOwn(m, String(k), conv(x));
      return m;
    }
    if (typeof v === 'object') {
      const m: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) setOwn(m, k, conv(x));
      return m;
    }
    return v;
  };
  return conv(doc);
}

const MAP_T = 'map[string]interface {}';
const SLICE_T = '[]interface {}';

function unmarshalInto(v: unknown, want: 'map' | 'slice', prefix: string): unknown {
  if (v === null) return want === 'map' ? {} : [];
  const isArr = Array.isArray(v);
  const ok = want === 'map' ? !isArr && typeof v === 'object' && jsonKindName(v) === 'object' : isArr;
  if (!ok) {
    throw new Error(
      `${prefix}json: cannot unmarshal ${jsonKindName(v)} into Go value of type ${want === 'map' ? MAP_T : SLICE_T}`,
    );
  }
  return v;
}

/** Helm/Sveltos fromYaml, fromYamlArray, fromJson, fromJsonArray, toYaml, toToml, fromToml. */
export function helmEncodingFuncs(): FuncMap {
  const yamlPrefix = 'error unmarshaling JSON: while decoding JSON: ';
  const fns: FuncDef[] = [
    def('toYaml', ['any'], (c, v: unknown) => toYaml(v, c.numbers)),
    def('mustToYaml', ['any'], (c, v: unknown) => {
      const s = marshalYamlV2(v, c.numbers);
      return s.endsWith('\n') ? s.slice(0, -1) : s;
    }),
    def('toYamlPretty', ['any'], (c, v: unknown) => toYamlPretty(v, c.numbers)),
    def('fromYaml', ['string'], (_c, s: string) => {
      try {
        return unmarshalInto(yamlToJsonValue(s), 'map', yamlPrefix);
      } catch (e) {
        return { Error: (e as Error).message };
      }
    }),
    def('fromYamlArray', ['string'], (_c, s: string) => {
      try {
        return unmarshalInto(yamlToJsonValue(s), 'slice', yamlPrefix);
      } catch (e) {
        return [(e as Error).message];
      }
    }),
    def('toJson', ['any'], (c, v: unknown) => orEmpty(() => marshal(v, c.numbers, true, ''))),
    def('fromJson', ['string'], (_c, s: string) => {
      try {
        return unmarshalInto(decodeJson(s), 'map', '');
      } catch (e) {
        return { Error: (e as Error).message };
      }
    }),
    def('fromJsonArray', ['string'], (_c, s: string) => {
      try {
        return unmarshalInto(decodeJson(s), 'slice', '');
      } catch (e) {
        return [(e as Error).message];
      }
    }),
    def('mustToToml', ['any'], (c, v: unknown) => toToml(v, c.numbers)),
    def('toToml', ['any'], (c, v: unknown) => {
      try {
        return toToml(v, c.numbers);
      } catch (e) {
        return (e as Error).message;
      }
    }),
    def('fromToml', ['string'], (_c, s: string) => {
      try {
        return parseToml(s);
      } catch (e) {
        return { Error: (e as Error).message };
      }
    }),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}
