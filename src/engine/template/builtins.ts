/**
 * Go text/template's builtin functions (funcs.go): and, or, not, len, index, slice, print,
 * printf, println, html, js, urlquery, call, eq, ne, lt, le, gt, ge.
 */

import { isPrint } from './lexer.js';
import { def, type FuncContext, type FuncMap } from './funcs-api.js';
import { sprint, sprintf, sprintln } from './fmt.js';
import { utf8Len } from './nodes.js';
import {
  GO_TYPE,
  GoComplex,
  GoNumber,
  isFloatKind,
  isGoFunc,
  isHostObject,
  isIntKind,
  isTrue,
  isUintKind,
  Missing,
  mkInt,
  mkNumber,
  type NumberMode,
  numberOf,
  type ParamType,
  paramGoName,
  goKindOf,
  typeName,
  withGoType,
} from './value.js';

type BasicKind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'complex' | 'string' | 'other';

function isInvalid(v: unknown): boolean {
  return v === null || v === undefined || v instanceof Missing;
}

function basicKind(v: unknown, mode: NumberMode): BasicKind {
  if (isInvalid(v)) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoComplex) return 'complex';
  const n = numberOf(v, mode);
  if (n !== undefined) {
    if (isIntKind(n.kind)) return 'int';
    if (isUintKind(n.kind)) return 'uint';
    return 'float';
  }
  return 'other';
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';
const errNoComparison = 'missing argument for comparison';

function big(v: unknown, mode: NumberMode): bigint {
  const n = numberOf(v, mode);
  if (n === undefined) return 0n;
  return typeof n.value === 'bigint' ? n.value : BigInt(Math.trunc(n.value));
}
function flt(v: unknown, mode: NumberMode): number {
  return Number(numberOf(v, mode)?.value ?? 0);
}

function eq(mode: NumberMode, arg1: unknown, ...arg2: unknown[]): boolean {
  if (arg2.length === 0) throw new Error(errNoComparison);
  const k1 = basicKind(arg1, mode);
  for (const arg of arg2) {
    const k2 = basicKind(arg, mode);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = big(arg1, mode) >= 0n && big(arg1, mode) === big(arg, mode);
      else if (k1 === 'uint' && k2 === 'int')
        truth = big(arg, mode) >= 0n && big(arg1, mode) === big(arg, mode);
      else if (!isInvalid(arg1) && !isInvalid(arg)) throw new Error(errBadComparison);
    } else {
      switch (k1) {
        case 'bool':
        case 'string':
          truth = arg1 === arg;
          break;
        case 'float':
          truth = flt(arg1, mode) === flt(arg, mode);
          break;
        case 'complex':
          truth =
            (arg1 as GoComplex).re === (arg as GoComplex).re &&
            (arg1 as GoComplex).im === (arg as GoComplex).im;
          break;
        case 'int':
        case 'uint':
          truth = big(arg1, mode) === big(arg, mode);
          break;
        default:
          if (isInvalid(arg1) || isInvalid(arg)) {
            truth = isInvalid(arg1) === isInvalid(arg);
          } else {
            if (Array.isArray(arg) || (typeof arg === 'object' && !isHostObject(arg))) {
              const t1 = typeName(arg1, mode);
              const t2 = typeName(arg, mode);
              if (t1 !== t2) {
                throw new Error(sprintf('non-comparable types %s: %v, %s: %v', [arg1, t1, t2, arg], mode));
              }
              throw new Error(sprintf('non-comparable type %s: %v', [arg, t2], mode));
            }
            truth = arg1 === arg;
          }
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(mode: NumberMode, arg1: unknown, arg2: unknown): boolean {
  const k1 = basicKind(arg1, mode);
  if (k1 === 'invalid' || k1 === 'other') throw new Error(errBadComparisonType);
  const k2 = basicKind(arg2, mode);
  if (k2 === 'invalid' || k2 === 'other') throw new Error(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return big(arg1, mode) < 0n || big(arg1, mode) < big(arg2, mode);
    if (k1 === 'uint' && k2 === 'int') return big(arg2, mode) >= 0n && big(arg1, mode) < big(arg2, mode);
    throw new Error(errBadComparison);
  }
  switch (k1) {
    case 'bool':
    case 'complex':
      throw new Error(errBadComparisonType);
    case 'float':
      return flt(arg1, mode) < flt(arg2, mode);
    case 'int':
    case 'uint':
      return big(arg1, mode) < big(arg2, mode);
    default:
      return (arg1 as string) < (arg2 as string);
  }
}

function indexArg(index: unknown, cap: number, mode: NumberMode): number {
  if (isInvalid(index)) throw new Error('cannot index slice/array with nil');
  const n = numberOf(index, mode);
  if (n === undefined || isFloatKind(n.kind))
    throw new Error(`cannot index slice/array with type ${typeName(index, mode)}`);
  const x = Number(n.value);
  if (x < 0 || x > cap) throw new Error(`index out of range: ${n.value}`);
  return x;
}

function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function index(ctx: FuncContext, item0: unknown, ...indexes: unknown[]): unknown {
  const mode = ctx.numbers;
  let item = item0;
  if (isInvalid(item)) throw new Error('index of untyped nil');
  for (const ix of indexes) {
    if (isInvalid(item)) throw new Error('index of nil pointer');
    if (typeof item === 'string') {
      const b = utf8Bytes(item);
      const x = indexArg(ix, b.length, mode);
      if (x >= b.length) throw new Error('reflect: string index out of range');
      item = mkNumber('uint8', b[x] as number);
    } else if (Array.isArray(item)) {
      const x = indexArg(ix, item.length, mode);
      if (x >= item.length) throw new Error('reflect: slice index out of range');
      const v = item[x];
      item = v === undefined ? null : v;
    } else if (
      typeof item === 'object' &&
      item !== null &&
      !(item instanceof GoNumber) &&
      !isHostObject(item) &&
      !isGoFunc(item)
    ) {
      if (isInvalid(ix)) throw new Error('value is nil; should be of type string');
      if (typeof ix !== 'string') throw new Error(`value has type ${typeName(ix, mode)}; should be string`);
      const m = item as Record<string, unknown>;
      item = Object.hasOwn(m, ix) ? (m[ix] ?? null) : null;
    } else {
      throw new Error(`can't index item of type ${typeName(item, mode)}`);
    }
  }
  return item;
}

function slice(ctx: FuncContext, item: unknown, ...indexes: unknown[]): unknown {
  const mode = ctx.numbers;
  if (isInvalid(item)) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    cap = len = utf8Bytes(item).length;
  } else if (Array.isArray(item)) {
    len = item.length;
    cap = jsonSliceCap(len);
  } else {
    throw new Error(`can't slice item of type ${typeName(item, mode)}`);
  }
  const idx = [0, len, 0];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, cap, mode);
  });
  const [i, j, k] = idx as [number, number, number];
  if (i > j) throw new Error(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > k) throw new Error(`invalid slice index: ${j} > ${k}`);
  if (typeof item === 'string') return new TextDecoder().decode(utf8Bytes(item).slice(i, j));
  // Slicing up to the capacity exposes Go's zeroed spare elements (nil).
  const out = (item as unknown[]).slice(i, j);
  while (out.length < j - i) out.push(null);
  const tag = (item as { [GO_TYPE]?: string })[GO_TYPE];
  return tag === undefined ? out : withGoType(out, tag);
}

/**
 * Capacity Go's encoding/json gives a decoded array of `len` elements (append growth from an
 * empty slice: powers of two up to 256). Go bounds `slice` indexes by capacity, not length.
 */
function jsonSliceCap(len: number): number {
  if (len === 0 || len > 256) return len;
  let c = 1;
  while (c < len) c *= 2;
  return c;
}

function length(ctx: FuncContext, item: unknown): GoNumber {
  if (item === null || item === undefined) throw new Error('len of nil pointer');
  if (item instanceof Missing) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return mkInt(utf8Len(item));
  if (Array.isArray(item)) return mkInt(item.length);
  if (
    typeof item === 'object' &&
    item !== null &&
    !(item instanceof GoNumber) &&
    !isHostObject(item) &&
    !isGoFunc(item)
  ) {
    return mkInt(Object.keys(item).length);
  }
  throw new Error(`len of type ${typeName(item, ctx.numbers)}`);
}

function call(ctx: FuncContext, name: string, fn: unknown, ...args: unknown[]): unknown {
  if (isInvalid(fn)) throw new Error('call of nil');
  if (!isGoFunc(fn)) throw new Error(`non-function ${name} of type ${typeName(fn, ctx.numbers)}`);
  const n = fn.params.length;
  if (fn.variadic !== undefined ? args.length < n : args.length !== n) {
    throw new Error(`wrong number of args for ${name}: got ${args.length} want ${n}`);
  }
  const argv = args.map((a, i) => {
    const t = (i < n ? fn.params[i] : fn.variadic) as ParamType;
    const v = prepareArg(a, t, ctx.numbers);
    if (v instanceof Error) throw new Error(`arg ${i}: ${v.message}`);
    return v;
  });
  return fn.fn(...argv);
}

const INT_LIKE = /^u?int(8|16|32|64|ptr)?$/;

/** Go's prepareArg for `call`: assignable values pass; integers convert between integer kinds. */
function prepareArg(v: unknown, t: ParamType, mode: NumberMode): unknown {
  const want = paramGoName(t);
  if (isInvalid(v)) {
    if (t === 'any' || t === 'value' || t === 'func' || t === 'map' || t === '[]any' || t === '[]string')
      return null;
    return new Error(`value is nil; should be of type ${want}`);
  }
  if (t === 'any' || t === 'value') return v;
  const kind = goKindOf(v, mode);
  if (t === 'string' && kind === 'string') return v;
  if (t === 'bool' && kind === 'bool') return v;
  if ((t === 'map' && kind === 'map') || ((t === '[]any' || t === '[]string') && kind === 'slice')) return v;
  if (t === 'func' && kind === 'func') return v;
  const num = numberOf(v, mode);
  if (num !== undefined && (num.kind === t || (INT_LIKE.test(num.kind) && INT_LIKE.test(t)))) {
    return typeof num.value === 'bigint' ? num.value : Number(num.value);
  }
  return new Error(`value has type ${typeName(v, mode)}; should be ${want}`);
}

/** Arguments of html/js/urlquery as Go's evalArgs: a single string as is, else fmt.Sprint. */
function evalArgs(args: unknown[], mode: NumberMode): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(
    args.map((a) => (isInvalid(a) ? '<no value>' : a)),
    mode,
  );
}

export function htmlEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\0':
        out += '\uFFFD';
        break;
      case '"':
        out += '&#34;';
        break;
      case "'":
        out += '&#39;';
        break;
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0) as number;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x20) out += `\\u00${r.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (r < 0x80 || isPrint(r)) out += ch;
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The builtin function map. `and`, `or` and `call` get special evaluation in the executor. */
export const BUILTINS: FuncMap = {
  and: def('and', ['value', '...value'], () => null),
  or: def('or', ['value', '...value'], () => null),
  not: def('not', ['value'], (_c, v: unknown) => !isTrue(v)),
  len: def('len', ['value'], length),
  index: def('index', ['value', '...value'], index),
  slice: def('slice', ['value', '...value'], slice),
  print: def('print', ['...any'], (c: FuncContext, ...a: unknown[]) => sprint(a, c.numbers)),
  printf: def('printf', ['string', '...any'], (c: FuncContext, f: string, ...a: unknown[]) =>
    sprintf(f, a, c.numbers),
  ),
  println: def('println', ['...any'], (c: FuncContext, ...a: unknown[]) => sprintln(a, c.numbers)),
  html: def('html', ['...any'], (c: FuncContext, ...a: unknown[]) => htmlEscape(evalArgs(a, c.numbers))),
  js: def('js', ['...any'], (c: FuncContext, ...a: unknown[]) => jsEscape(evalArgs(a, c.numbers))),
  urlquery: def('urlquery', ['...any'], (c: FuncContext, ...a: unknown[]) =>
    queryEscape(evalArgs(a, c.numbers)),
  ),
  call: def('call', ['value', '...value'], call),
  eq: def('eq', ['value', '...value'], (c: FuncContext, a: unknown, ...b: unknown[]) =>
    eq(c.numbers, a, ...b),
  ),
  ne: def('ne', ['value', 'value'], (c: FuncContext, a: unknown, b: unknown) => !eq(c.numbers, a, b)),
  lt: def('lt', ['value', 'value'], (c: FuncContext, a: unknown, b: unknown) => lt(c.numbers, a, b)),
  le: def(
    'le',
    ['value', 'value'],
    (c: FuncContext, a: unknown, b: unknown) => lt(c.numbers, a, b) || eq(c.numbers, a, b),
  ),
  gt: def(
    'gt',
    ['value', 'value'],
    (c: FuncContext, a: unknown, b: unknown) => !(lt(c.numbers, a, b) || eq(c.numbers, a, b)),
  ),
  ge: def('ge', ['value', 'value'], (c: FuncContext, a: unknown, b: unknown) => !lt(c.numbers, a, b)),
};
