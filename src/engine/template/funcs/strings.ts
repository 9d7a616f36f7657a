/** sprig's string functions (strings.go, and the goutils/xstrings helpers they call). */

import { def, type FuncMap } from '../funcs-api.js';
import { isNil, mkInt } from '../value.js';
import { formatV, strSlice, strval } from './util.js';

function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '' || maxWidth < 4) return str;
  if (str.length <= maxWidth) return str;
  if (offset > str.length) offset = str.length;
  if (str.length - offset < maxWidth - 3) offset = str.length - (maxWidth - 3);
  if (offset <= 4) return `${str.slice(0, maxWidth - 3)}...`;
  if (maxWidth < 7) return str;
  if (offset + maxWidth - 3 < str.length) return `...${abbreviateFull(str.slice(offset), 0, maxWidth - 3)}`;
  return `...${str.slice(str.length - (maxWidth - 3))}`;
}

/** goutils.WrapCustom. */
export function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const n = str.length;
  let offset = 0;
  let out = '';
  while (n - offset > wrapLength) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const space = str.slice(offset, end).lastIndexOf(' ') + offset;
    if (space >= offset) {
      out += str.slice(offset, space) + newLine;
      offset = space + 1;
    } else if (wrapLongWords) {
      out += str.slice(offset, wrapLength + offset) + newLine;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const idx = str.slice(e).indexOf(' ');
      if (idx === -1) {
        out += str.slice(offset);
        offset = n;
      } else {
        out += str.slice(offset, idx + e) + newLine;
        offset = idx + e + 1;
      }
    }
  }
  return out + str.slice(offset);
}

/** Go's isSeparator (strings.Title): ASCII non-alphanumerics (not '_') and Unicode spaces. */
function isSeparator(c: string): boolean {
  const x = c.charCodeAt(0);
  if (x < 0x80) return !/[0-9A-Za-z_]/.test(c);
  if (/[\p{L}\p{N}]/u.test(c)) return false;
  return /\s/u.test(c);
}

/** Go's deprecated strings.Title: upper-cases letters that start a word. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSeparator(prev) ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder();

/** Go's s[a:b] on the UTF-8 bytes of s (a cut inside a character becomes U+FFFD, Go keeps the raw byte). */
function byteSlice(s: string, a: number, b?: number): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.slice(a, b);
  return utf8dec.decode(utf8enc.encode(s).subarray(a, b));
}

/** UTF-8 length of `s` as TextEncoder encodes it (a lone surrogate becomes U+FFFD: 3 bytes). */
function byteLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

function uncapitalize(s: string): string {
  let prevWs = true;
  let out = '';
  for (const c of s) {
    out += prevWs ? c.toLowerCase() : c;
    prevWs = /\s/u.test(c);
  }
  return out;
}

function initials(s: string): string {
  let prevWs = true;
  let out = '';
  for (const c of s) {
    if (/\s/u.test(c)) prevWs = true;
    else if (prevWs) {
      out += c;
      prevWs = false;
    }
  }
  return out;
}

function swapCase(s: string): string {
  let out = '';
  for (const c of s) {
    const up = c.toUpperCase();
    const low = c.toLowerCase();
    out += c === up && c !== low ? low : c === low && c !== up ? up : c;
  }
  return out;
}

/** Splits an identifier into words the way xstrings' case converters do. */
function words(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  const cs = Array.from(s);
  const isUpper = (c: string | undefined): boolean => c !== undefined && /\p{Lu}/u.test(c);
  const isLower = (c: string | undefined): boolean => c !== undefined && /[\p{Ll}\p{N}]/u.test(c);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (!/[\p{L}\p{N}]/u.test(c)) {
      if (cur !== '') out.push(cur);
      cur = '';
      continue;
    }
    if (cur !== '' && isUpper(c) && (isLower(cs[i - 1]) || (isUpper(cs[i - 1]) && isLower(cs[i + 1])))) {
      out.push(cur);
      cur = '';
    }
    cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** xstrings.ToCamelCase (v1.3): underscores delimit words; leading/doubled underscores stay. */
function camelCase(s: string): string {
  const cs = Array.from(s);
  let i = 0;
  let out = '';
  while (i < cs.length && cs[i] === '_') out += cs[i++];
  if (i >= cs.length) return out;
  let r0 = cs[i++]!.toUpperCase();
  while (i < cs.length) {
    const r1 = r0;
    r0 = cs[i++]!;
    if (r1 === '_' && r0 === '_') {
      out += r1;
      continue;
    }
    if (r1 === '_') r0 = r0.toUpperCase();
    else out += r1;
  }
  return out + r0;
}

/** Go's strconv.Quote (what `%q` prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch) && c !== 0xa0 && (c < 0x2000 || c > 0x200f))
      out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** sprig's strslice: the strings of a list, nils dropped; a non-list becomes a one-element list. */
export function strslice(v: unknown, mode: 'int64' | 'float64'): string[] {
  if (Array.isArray(v)) return v.filter((x) => !isNil(x)).map((x) => strval(x, mode));
  if (isNil(v)) return [];
  return [strval(v, mode)];
}

function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

export function intList(xs: number[]): unknown[] {
  return xs.map((x) => mkInt(x));
}

export { untilStep };

function seq(params: number[]): string {
  let xs: number[];
  switch (params.length) {
    case 1: {
      const end = params[0]!;
      const inc = end < 1 ? -1 : 1;
      xs = untilStep(1, end + inc, inc);
      break;
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      xs = untilStep(start, end + step, step);
      break;
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      xs = untilStep(start, end + inc, step);
      break;
    }
    default:
      return '';
  }
  return xs.join(' ');
}

export function stringFuncs(): FuncMap {
  const fns = [
    def('abbrev', ['int', 'string'], (_c, w: number, s: string) => (w < 4 ? s : abbreviateFull(s, 0, w))),
    def('abbrevboth', ['int', 'int', 'string'], (_c, l: number, r: number, s: string) =>
      r < 4 || (l > 0 && r < 7) ? s : abbreviateFull(s, l, r),
    ),
    def('trunc', ['int', 'string'], (_c, n: number, s: string) => {
      const len = byteLen(s);
      if (n < 0 && len + n > 0) return byteSlice(s, len + n);
      if (n >= 0 && len > n) return byteSlice(s, 0, n);
      return s;
    }),
    def('trim', ['string'], (_c, s: string) => s.trim()),
    def('upper', ['string'], (_c, s: string) => s.toUpperCase()),
    def('lower', ['string'], (_c, s: string) => s.toLowerCase()),
    def('title', ['string'], (_c, s: string) => title(s)),
    def('untitle', ['string'], (_c, s: string) => uncapitalize(s)),
    def('substr', ['int', 'int', 'string'], (_c, start: number, end: number, s: string) => {
      const len = byteLen(s);
      if (start < 0) return byteSlice(s, 0, end);
      if (end < 0 || end > len) return byteSlice(s, start);
      if (start > end) throw new Error(`runtime error: slice bounds out of range [${start}:${end}]`);
      return byteSlice(s, start, end);
    }),
    def('repeat', ['int', 'string'], (_c, n: number, s: string) => {
      if (n < 0) throw new Error('strings: negative Repeat count');
      return s.repeat(n);
    }),
    def('trimAll', ['string', 'string'], (_c, cut: string, s: string) => trimCutset(s, cut)),
    def('trimall', ['string', 'string'], (_c, cut: string, s: string) => trimCutset(s, cut)),
    def('trimSuffix', ['string', 'string'], (_c, a: string, s: string) =>
      a !== '' && s.endsWith(a) ? s.slice(0, s.length - a.length) : s,
    ),
    def('trimPrefix', ['string', 'string'], (_c, a: string, s: string) =>
      s.startsWith(a) ? s.slice(a.length) : s,
    ),
    def('nospace', ['string'], (_c, s: string) => s.replace(/\s/gu, '')),
    def('initials', ['string'], (_c, s: string) => initials(s)),
    def('swapcase', ['string'], (_c, s: string) => swapCase(s)),
    def('snakecase', ['string'], (_c, s: string) =>
      words(s)
        .map((w) => w.toLowerCase())
        .join('_'),
    ),
    def('kebabcase', ['string'], (_c, s: string) =>
      words(s)
        .map((w) => w.toLowerCase())
        .join('-'),
    ),
    def('camelcase', ['string'], (_c, s: string) => camelCase(s)),
    def('wrap', ['int', 'string'], (_c, n: number, s: string) => wrapCustom(s, n, '\n', false)),
    def('wrapWith', ['int', 'string', 'string'], (_c, n: number, sep: string, s: string) =>
      wrapCustom(s, n, sep, true),
    ),
    def('contains', ['string', 'string'], (_c, sub: string, s: string) => s.includes(sub)),
    def('hasPrefix', ['string', 'string'], (_c, p: string, s: string) => s.startsWith(p)),
    def('hasSuffix', ['string', 'string'], (_c, p: string, s: string) => s.endsWith(p)),
    def('quote', ['...any'], (c, ...xs: unknown[]) =>
      xs
        .filter((x) => !isNil(x))
        .map((x) => goQuote(strval(x, c.numbers)))
        .join(' '),
    ),
    def('squote', ['...any'], (c, ...xs: unknown[]) =>
      xs
        .filter((x) => !isNil(x))
        .map((x) => `'${strval(x, c.numbers)}'`)
        .join(' '),
    ),
    def('cat', ['...any'], (c, ...xs: unknown[]) =>
      xs
        .filter((x) => !isNil(x))
        .map((x) => formatV(x, c.numbers))
        .join(' '),
    ),
    def('indent', ['int', 'string'], (_c, n: number, s: string) => indent(n, s)),
    def('nindent', ['int', 'string'], (_c, n: number, s: string) => `\n${indent(n, s)}`),
    def('replace', ['string', 'string', 'string'], (_c, o: string, n: string, s: string) =>
      s.replaceAll(o, n),
    ),
    def('plural', ['string', 'string', 'int'], (_c, one: string, many: string, n: number) =>
      n === 1 ? one : many,
    ),
    def('toString', ['any'], (c, v: unknown) => strval(v, c.numbers)),
    def('split', ['string', 'string'], (_c, sep: string, s: string) => splitMap(goSplit(s, sep, -1))),
    def('splitn', ['string', 'int', 'string'], (_c, sep: string, n: number, s: string) =>
      splitMap(goSplit(s, sep, n)),
    ),
    def('splitList', ['string', 'string'], (_c, sep: string, s: string) => strSlice(goSplit(s, sep, -1))),
    def('toStrings', ['any'], (c, v: unknown) => strSlice(strslice(v, c.numbers))),
    def('join', ['string', 'any'], (c, sep: string, v: unknown) => strslice(v, c.numbers).join(sep)),
    def('sortAlpha', ['any'], (c, v: unknown) => {
      if (!Array.isArray(v)) return strSlice([strval(v, c.numbers)]);
      return strSlice(strslice(v, c.numbers).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }),
    def('seq', ['...int'], (_c, ...ps: number[]) => seq(ps)),
    def('until', ['int'], (_c, n: number) => intList(untilStep(0, n, n < 0 ? -1 : 1))),
    def('untilStep', ['int', 'int', 'int'], (_c, a: number, b: number, s: number) =>
      intList(untilStep(a, b, s)),
    ),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(n, 0));
  return pad + s.replaceAll('\n', `\n${pad}`);
}

function trimCutset(s: string, cut: string): string {
  const set = new Set(Array.from(cut));
  const cs = Array.from(s);
  let a = 0;
  let b = cs.length;
  while (a < b && set.has(cs[a]!)) a++;
  while (b > a && set.has(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
}

/** Go strings.SplitN (n < 0: all). */
export function goSplit(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const cs = Array.from(s);
    if (n < 0 || n >= cs.length) return cs;
    return [...cs.slice(0, n - 1), cs.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function splitMap(parts: string[]): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  parts.forEach((p, i) => {
    m[`_${i}`] = p;
  });
  return m;
}
