/**
 * Helm's `toYaml` (sigs.k8s.io/yaml.Marshal: encoding/json, then go-yaml v2 re-reads the JSON
 * and marshals it) and `toYamlPretty` (yaml.v3 Encoder with SetIndent(2) on the Go value).
 */

import { GoNumber, isGoFunc, isHostObject, isMap, type NumberMode, numberOf } from '../value.js';
import { emitDocument, type YNode } from './emitter.js';
import { formatFloatG } from './go-float.js';
import { JsonEncodeError, jsonNumber } from './go-json.js';
import { canUsePlain } from './resolve.js';

function isLetter(c: string): boolean {
  const x = c.charCodeAt(0);
  if (x < 0x80) return (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a);
  return /\p{L}/u.test(c);
}
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const ASCII = /^[\x00-\x7f]*$/;

const isSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;
const isAsciiDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAsciiLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * yamlKeyLess over UTF-16 code units, or undefined when the first difference is not between two
 * ASCII characters (then code points and Unicode letters matter: the caller takes the full path).
 */
function asciiKeyLess(a: string, b: string): boolean | undefined {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return i > 0 && isSurrogate(a.charCodeAt(i - 1)) ? undefined : a.length < b.length;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (ca >= 0x80 || cb >= 0x80) return undefined;
  const al = isAsciiLetter(ca);
  const bl = isAsciiLetter(cb);
  if (al && bl) return ca < cb;
  if (al || bl) return bl;
  let an = 0;
  let bn = 0;
  if (ca === 0x30 || cb === 0x30) {
    for (let j = i - 1; j >= 0 && isAsciiDigit(a.charCodeAt(j)); j--) {
      if (a.charCodeAt(j) !== 0x30) {
        an = 1;
        bn = 1;
        break;
      }
    }
  }
  let ai = i;
  for (; ai < a.length && isAsciiDigit(a.charCodeAt(ai)); ai++) an = an * 10 + (a.charCodeAt(ai) - 48);
  let bi = i;
  for (; bi < b.length && isAsciiDigit(b.charCodeAt(bi)); bi++) bn = bn * 10 + (b.charCodeAt(bi) - 48);
  if (an !== bn) return an < bn;
  if (ai !== bi) return ai < bi;
  return ca < cb;
}

/** go-yaml's keyList.Less for string keys: digit runs compare numerically, letters after others. */
export function yamlKeyLess(a: string, b: string): boolean {
  // Exact fast path: with ASCII at the first difference (and hence no surrogate there), code-unit
  // positions before it correspond one to one with the code points the full path compares.
  const fast = asciiKeyLess(a, b);
  if (fast !== undefined) return fast;
  return yamlKeyLessFull(a, b);
}

function yamlKeyLessFull(a: string, b: string): boolean {
  const ar: readonly string[] = ASCII.test(a) ? (a as unknown as string[]) : Array.from(a);
  const br: readonly string[] = ASCII.test(b) ? (b as unknown as string[]) : Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai]!.charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

export function yamlSortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
}

const plain = (value: string): YNode => ({ t: 'scalar', value, style: 'plain' });

/** Memo of stringNode for short strings (map keys and repeated values); nodes are immutable. */
const stringNodes = new Map<string, YNode>();
const STRING_NODES_MAX = 8192;

/** go-yaml's stringv: quote strings that would resolve to another type; literal for multi-line. */
export function stringNode(s: string): YNode {
  if (s.length > 64) return makeStringNode(s);
  let node = stringNodes.get(s);
  if (node === undefined) {
    node = makeStringNode(s);
    if (stringNodes.size >= STRING_NODES_MAX) stringNodes.clear();
    stringNodes.set(s, node);
  }
  return node;
}

function makeStringNode(s: string): YNode {
  if (s.includes('\n')) return { t: 'scalar', value: s, style: 'literal' };
  return { t: 'scalar', value: s, style: canUsePlain(s) ? 'plain' : 'double' };
}

/** How go-yaml v2 re-reads a JSON number and prints it back. */
function jsonNumberNode(text: string): YNode {
  if (/^-?\d+$/.test(text)) {
    const v = BigInt(text);
    if (v >= -(2n ** 63n) && v <= 2n ** 64n - 1n) return plain(v.toString());
  }
  return plain(formatFloatG(Number(text)));
}

/** The go-yaml v2 node tree of sigs.k8s.io/yaml's JSON round trip. Throws JsonEncodeError. */
function jsonRoundTripNode(v: unknown, mode: NumberMode): YNode {
  if (v === null || v === undefined) return plain('null');
  switch (typeof v) {
    case 'string':
      return stringNode(v);
    case 'boolean':
      return plain(String(v));
    case 'number':
      // A safe integer prints as its decimal digits in every number mode (-0 as "0", as the
      // BigInt path below does).
      if (Number.isSafeInteger(v)) return plain(String(v));
      return jsonNumberNode(jsonNumber(v, mode));
    case 'bigint':
      return jsonNumberNode(jsonNumber(v, mode));
    case 'function':
      throw new JsonEncodeError('json: unsupported type: func()');
  }
  if (v instanceof GoNumber) return jsonNumberNode(jsonNumber(v, mode));
  if (isGoFunc(v)) throw new JsonEncodeError('json: unsupported type: func()');
  if (Array.isArray(v)) return { t: 'seq', items: v.map((x) => jsonRoundTripNode(x, mode)) };
  if (isMap(v)) {
    const keys = yamlSortKeys(Object.keys(v));
    return { t: 'map', entries: keys.map((k) => [stringNode(k), jsonRoundTripNode(v[k], mode)] as const) };
  }
  if (isHostObject(v)) return { t: 'map', entries: [] };
  return plain('null');
}

/** The yaml.v3 node tree of a Go value encoded directly. */
function directNode(v: unknown, mode: NumberMode): YNode {
  if (v === null || v === undefined) return plain('null');
  switch (typeof v) {
    case 'string':
      return stringNode(v);
    case 'boolean':
      return plain(String(v));
  }
  const n = numberOf(v, mode);
  if (n !== undefined) {
    if (n.kind === 'float64' || n.kind === 'float32') {
      const s = formatFloatG(Number(n.value));
      return plain(s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s);
    }
    return plain(String(n.value));
  }
  if (Array.isArray(v)) return { t: 'seq', items: v.map((x) => directNode(x, mode)) };
  if (isMap(v)) {
    const keys = yamlSortKeys(Object.keys(v));
    return { t: 'map', entries: keys.map((k) => [stringNode(k), directNode(v[k], mode)] as const) };
  }
  if (isHostObject(v)) return { t: 'map', entries: [] };
  return plain('null');
}

/** sigs.k8s.io/yaml.Marshal(v) (with its trailing newline). Throws JsonEncodeError. */
export function marshalYamlV2(v: unknown, mode: NumberMode): string {
  return emitDocument(jsonRoundTripNode(v, mode), { v3: false, width: 80, indent: 2 });
}

/** Helm `toYaml`: Marshal without the trailing newline; "" when the value cannot be encoded. */
export function toYaml(v: unknown, mode: NumberMode): string {
  try {
    const s = marshalYamlV2(v, mode);
    return s.endsWith('\n') ? s.slice(0, -1) : s;
  } catch (e) {
    if (e instanceof JsonEncodeError) return '';
    throw e;
  }
}

/** Helm `toYamlPretty`: yaml.v3 Encoder, indent 2, no line folding, trailing newline trimmed. */
export function toYamlPretty(v: unknown, mode: NumberMode): string {
  const s = emitDocument(directNode(v, mode), { v3: true, width: Number.POSITIVE_INFINITY, indent: 2 });
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}
