/**
 * Go encoding/json Marshal of template values: map keys sorted, `<`, `>`, `&` escaped as
 * `\u003c` etc. unless escapeHTML is off (sprig toRawJson), U+2028/U+2029 always escaped,
 * floats in Go's json form, NaN/Inf rejected.
 */

import { GoNumber, isGoFunc, isHostObject, isMap, type NumberMode, numberOf } from '../value.js';
import { formatJsonFloat } from './go-float.js';

export class JsonEncodeError extends Error {
  override readonly name = 'JsonEncodeError';
}

export interface JsonOptions {
  readonly escapeHTML: boolean;
  /** MarshalIndent's indent unit; empty for compact output. */
  readonly indent: string;
}

const HEX = '0123456789abcdef';

/** A Go-quoted JSON string. */
export function jsonQuote(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (
        c >= 0x20 &&
        c !== 0x22 &&
        c !== 0x5c &&
        !(escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))
      ) {
        out += s[i];
        continue;
      }
      switch (c) {
        case 0x22:
          out += '\\"';
          break;
        case 0x5c:
          out += '\\\\';
          break;
        case 0x08:
          out += '\\b';
          break;
        case 0x0c:
          out += '\\f';
          break;
        case 0x0a:
          out += '\\n';
          break;
        case 0x0d:
          out += '\\r';
          break;
        case 0x09:
          out += '\\t';
          break;
        default:
          out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
      }
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16)}`;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
      out += '\\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    out += s[i];
  }
  return `${out}"`;
}

/** The JSON text of a Go number value. */
export function jsonNumber(v: unknown, mode: NumberMode): string {
  const n = numberOf(v, mode)!;
  if (n.kind === 'float64' || n.kind === 'float32') {
    const f = formatJsonFloat(Number(n.value));
    if (f === undefined) throw new JsonEncodeError(`json: unsupported value: ${String(n.value)}`);
    return f;
  }
  return typeof n.value === 'bigint' ? n.value.toString() : String(n.value);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** json.Marshal / MarshalIndent of a template value. Throws JsonEncodeError as Go returns an error. */
export function goJsonMarshal(v: unknown, mode: NumberMode, opts: JsonOptions): string {
  const enc = (x: unknown, prefix: string): string => {
    if (x === null || x === undefined) return 'null';
    switch (typeof x) {
      case 'string':
        return jsonQuote(x, opts.escapeHTML);
      case 'boolean':
        return x ? 'true' : 'false';
      case 'number':
      case 'bigint':
        return jsonNumber(x, mode);
      case 'function':
        throw new JsonEncodeError('json: unsupported type: func()');
    }
    if (x instanceof GoNumber) return jsonNumber(x, mode);
    if (isGoFunc(x)) throw new JsonEncodeError('json: unsupported type: func()');
    const inner = prefix + opts.indent;
    const nl = opts.indent === '' ? '' : '\n';
    const sep = opts.indent === '' ? ':' : ': ';
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${nl}${x.map((e) => inner + enc(e, inner)).join(`,${nl}`)}${nl}${prefix}]`;
    }
    if (isMap(x)) {
      const keys = Object.keys(x).sort(byteOrder);
      if (keys.length === 0) return '{}';
      const parts = keys.map((k) => `${inner}${jsonQuote(k, opts.escapeHTML)}${sep}${enc(x[k], inner)}`);
      return `{${nl}${parts.join(`,${nl}`)}${nl}${prefix}}`;
    }
    if (isHostObject(x)) return '{}';
    // MISSING and anything else without a JSON form.
    return 'null';
  };
  return enc(v, '');
}
