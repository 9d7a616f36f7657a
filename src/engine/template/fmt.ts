/**
 * A port of the parts of Go's fmt package templates use (`print`, `printf`, `println` and value
 * printing), over the value model of value.ts.
 */

import { digitsE, fixedAbs, formatHexFloat } from './fmt-float.js';
import { goQuote } from './lexer.js';
import {
  GoComplex,
  GoNumber,
  type HostObject,
  isFloatKind,
  isGoFunc,
  isHostObject,
  isUintKind,
  Missing,
  type NumberMode,
  numberOf,
  sortedKeys,
  typeName,
} from './value.js';

interface Flags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

const NO_FLAGS: Flags = {
  minus: false,
  plus: false,
  sharp: false,
  space: false,
  zero: false,
  width: undefined,
  prec: undefined,
};

/** Go's %v of a value (what `{{.}}` prints, apart from `<no value>` handling). */
export function formatValue(v: unknown, mode: NumberMode): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return mode === 'float64' || !Number.isSafeInteger(v) ? formatFloatG(v, -1, false) : String(v);
    case 'bigint':
      return v.toString();
    default:
      if (v instanceof GoNumber && typeof v.value === 'number' && !isFloatKind(v.kind))
        return String(v.value);
      return fmtArg(v, 'v', NO_FLAGS, mode, 0);
  }
}

/** fmt.Sprint. */
export function sprint(args: readonly unknown[], mode: NumberMode): string {
  let out = '';
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatValue(a, mode);
    prevString = isString;
  }
  return out;
}

/** fmt.Sprintln. */
export function sprintln(args: readonly unknown[], mode: NumberMode): string {
  return `${args.map((a) => formatValue(a, mode)).join(' ')}\n`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[], mode: NumberMode): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const end = format.length;
  let i = 0;
  while (i < end) {
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const f: Flags = { ...NO_FLAGS };
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = true;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    // Argument index [n].
    const argIndex = (): void => {
      if (format[i] !== '[') return;
      reordered = true;
      const close = format.indexOf(']', i);
      const n = Number(format.slice(i + 1, close));
      if (close < 0 || !Number.isInteger(n) || n < 1 || n > args.length) {
        badIndex = true;
        i = close < 0 ? end : close + 1;
        return;
      }
      argNum = n - 1;
      i = close + 1;
    };
    let badIndex = false;
    argIndex();
    if (format[i] === '*') {
      i++;
      const w = intArg(args, argNum, mode);
      argNum++;
      if (w === undefined) out += '%!(BADWIDTH)';
      else {
        f.width = Math.abs(w);
        if (w < 0) f.minus = true;
      }
      argIndex();
    } else {
      const s = i;
      while (i < end && format[i] >= '0' && format[i] <= '9') i++;
      if (i > s) f.width = Number(format.slice(s, i));
    }
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = intArg(args, argNum, mode);
        argNum++;
        if (p === undefined || p < 0) out += '%!(BADPREC)';
        else f.prec = p;
        argIndex();
      } else {
        const s = i;
        while (i < end && format[i] >= '0' && format[i] <= '9') i++;
        f.prec = Number(format.slice(s, i) || '0');
      }
    }
    if (f.minus) f.zero = false;
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) as number);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (badIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++];
    // Go: for %v the + and # flags mean "+v"/"#v" forms, not a sign or alternate number format.
    if (verb === 'v' && f.plus) f.plus = false;
    out += fmtArg(arg, verb, f, mode, 0);
  }
  if (!reordered && argNum < args.length) {
    out += '%!(EXTRA ';
    out += args
      .slice(argNum)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a, mode)}=${formatValue(a, mode)}`))
      .join(', ');
    out += ')';
  }
  return out;
}

function intArg(args: readonly unknown[], n: number, mode: NumberMode): number | undefined {
  if (n >= args.length) return undefined;
  const num = numberOf(args[n], mode);
  if (num === undefined || isFloatKind(num.kind)) return undefined;
  const v = Number(num.value);
  if (Math.abs(v) > 1e6) return undefined;
  return v;
}

/** Go's badVerb: `%!d(string=x)`, the value printed with %v under the same flags (width, precision). */
function badVerb(v: unknown, verb: string, mode: NumberMode, f: Flags = NO_FLAGS): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v, mode)}=${fmtArg(v, 'v', { ...f, plus: false, sharp: false }, mode, 0)})`;
}

function pad(s: string, f: Flags, zeroOK = true): string {
  if (f.width === undefined) return s;
  const n = f.width - [...s].length;
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  if (f.zero && zeroOK) {
    const sign = s[0] === '-' || s[0] === '+' || s[0] === ' ' ? (s[0] as string) : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function fmtArg(v: unknown, verb: string, f: Flags, mode: NumberMode, depth: number): string {
  if (verb === 'T') return pad(v === null || v === undefined ? '<nil>' : typeName(v, mode), f, false);
  if (v === null || v === undefined) {
    if (depth > 0) return '<nil>';
    return verb === 'v' ? pad('<nil>', f, false) : badVerb(v, verb, mode, f);
  }
  if (v instanceof Missing)
    return verb === 'v' || verb === 's' ? pad('<no value>', f, false) : badVerb(v, verb, mode, f);
  if (typeof v === 'string') return fmtString(v, verb, f, mode);
  if (typeof v === 'boolean') {
    if (verb === 'v' || verb === 't') return pad(v ? 'true' : 'false', f);
    return badVerb(v, verb, mode, f);
  }
  if (v instanceof GoComplex) {
    if ('vgGeEfF'.includes(verb)) {
      const re = fmtFloat(v.re, verb, { ...f, width: undefined }, v, mode);
      const im = fmtFloat(v.im, verb, { ...f, width: undefined, plus: true }, v, mode);
      return pad(`(${re}${im}i)`, f, false);
    }
    return badVerb(v, verb, mode, f);
  }
  const num = numberOf(v, mode);
  if (num !== undefined) {
    if (isFloatKind(num.kind)) return fmtFloat(Number(num.value), verb, f, v, mode);
    return fmtInt(BigInt(num.value), verb, f, v, mode, isUintKind(num.kind));
  }
  if (Array.isArray(v)) {
    if ((verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') && typeName(v, mode) === '[]uint8') {
      return fmtString(String.fromCharCode(...(v as number[])), verb, f, mode);
    }
    if (f.sharp && verb === 'v') {
      return `${typeName(v, mode)}{${v.map((e) => fmtArg(e, verb, f, mode, depth + 1)).join(', ')}}`;
    }
    return `[${v.map((e) => fmtArg(e, verb, f, mode, depth + 1)).join(' ')}]`;
  }
  if (isHostObject(v)) {
    if (v.format !== undefined && (verb === 'v' || verb === 's')) return pad(v.format(), f, false);
    return pad(structString(v, verb, f, mode, depth), f, false);
  }
  if (isGoFunc(v)) return verb === 'p' || verb === 'v' ? '0x1' : badVerb(v, verb, mode, f);
  if (typeof v === 'object') {
    const m = v as Record<string, unknown>;
    const keys = sortedKeys(m);
    if (f.sharp && verb === 'v') {
      return `${typeName(v, mode)}{${keys.map((k) => `${goQuote(k)}:${fmtArg(m[k], verb, f, mode, depth + 1)}`).join(', ')}}`;
    }
    return `map[${keys.map((k) => `${fmtArg(k, verb, f, mode, depth + 1)}:${fmtArg(m[k], verb, f, mode, depth + 1)}`).join(' ')}]`;
  }
  return badVerb(v, verb, mode, f);
}

function fmtString(s: string, verb: string, f: Flags, mode: NumberMode): string {
  let t = s;
  switch (verb) {
    case 'v':
      if (f.sharp) return pad(goQuote(s), f, false);
      break;
    case 's':
      break;
    case 'q':
      if (f.prec !== undefined) t = [...t].slice(0, f.prec).join('');
      if (f.sharp && !t.includes('`')) return pad(`\`${t}\``, f, false);
      return pad(f.plus ? asciiQuote(t) : goQuote(t), f, false);
    case 'x':
    case 'X': {
      let bytes = [...new TextEncoder().encode(s)];
      if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
      let hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(f.space ? ' ' : '');
      if (f.sharp) hex = f.space ? hex.replace(/(^|\s)/g, '$10x') : `0x${hex}`;
      return pad(verb === 'X' ? hex.toUpperCase() : hex, f, false);
    }
    default:
      return badVerb(s, verb, mode, f);
  }
  if (f.prec !== undefined) t = [...t].slice(0, f.prec).join('');
  return pad(t, f);
}

function asciiQuote(s: string): string {
  const q = goQuote(s);
  let out = '';
  for (const ch of q) {
    const r = ch.codePointAt(0) as number;
    if (r < 0x80) out += ch;
    else if (r < 0x10000) out += `\\u${r.toString(16).padStart(4, '0')}`;
    else out += `\\U${r.toString(16).padStart(8, '0')}`;
  }
  return out;
}

function fmtInt(
  n: bigint,
  verb: string,
  f: Flags,
  orig: unknown,
  mode: NumberMode,
  unsigned: boolean,
): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (f.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = abs.toString(8);
      if (verb === 'O') prefix = '0o';
      else if (f.sharp && digits !== '0') prefix = '0';
      break;
    case 'x':
      digits = abs.toString(16);
      if (f.sharp) prefix = '0x';
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      if (f.sharp) prefix = '0X';
      break;
    case 'c':
      return pad(
        String.fromCodePoint(Number(n) >= 0 && Number(n) <= 0x10ffff ? Number(n) : 0xfffd),
        f,
        false,
      );
    case 'q': {
      const r = Number(n);
      const ch = r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff) ? r : 0xfffd;
      const s = String.fromCodePoint(ch);
      let body = s === "'" ? "\\'" : s === '"' ? '"' : goQuote(s).slice(1, -1);
      if (f.plus) body = asciiQuote(body).slice(1, -1).replaceAll('\\\\', '\\');
      return pad(`'${body}'`, f, false);
    }
    case 'U': {
      let s = `U+${abs.toString(16).toUpperCase().padStart(4, '0')}`;
      if (f.sharp) s += ` '${String.fromCodePoint(Number(n))}'`;
      return pad(s, f, false);
    }
    default:
      return badVerb(orig, verb, mode, f);
  }
  if (f.prec !== undefined) {
    if (f.prec === 0 && abs === 0n) digits = '';
    else digits = digits.padStart(f.prec, '0');
  } else if (f.zero && !f.minus && f.width !== undefined) {
    const sign = neg || f.plus || f.space ? 1 : 0;
    digits = digits.padStart(f.width - sign - prefix.length, '0');
  }
  const sign = neg ? '-' : f.plus && !unsigned ? '+' : f.space ? ' ' : f.plus ? '+' : '';
  return pad(sign + prefix + digits, { ...f, zero: false });
}

function fmtFloat(x: number, verb: string, f: Flags, orig: unknown, mode: NumberMode): string {
  let s: string;
  switch (verb) {
    case 'v':
      // %#v is Go syntax (shortest form), not the alternate %g form.
      s = formatFloatG(x, f.prec ?? -1, false);
      break;
    case 'g':
      s = formatFloatG(x, f.prec ?? -1, f.sharp);
      break;
    case 'G':
      s = formatFloatG(x, f.prec ?? -1, f.sharp).toUpperCase();
      break;
    case 'e':
    case 'E':
      s = formatFloatE(x, f.prec ?? 6);
      if (f.sharp && f.prec === 0) s = s.replace('e', '.e');
      if (verb === 'E') s = s.toUpperCase();
      break;
    case 'f':
    case 'F':
      s = Number.isFinite(x) ? toFixed(x, f.prec ?? 6) : infNaN(x);
      if (f.sharp && f.prec === 0 && Number.isFinite(x)) s += '.';
      break;
    case 'x':
    case 'X':
      s = Number.isFinite(x) ? formatHexFloat(x, f.prec ?? -1, verb === 'X') : infNaN(x);
      break;
    default:
      return badVerb(orig, verb, mode, f);
  }
  if (Object.is(x, -0) && !s.startsWith('-')) s = `-${s}`;
  if (!s.startsWith('-') && !s.startsWith('+')) {
    if (f.plus) s = `+${s}`;
    else if (f.space) s = ` ${s}`;
  } else if (s.startsWith('+') && !f.plus && Number.isFinite(x)) {
    s = s.slice(1);
  }
  if (!Number.isFinite(x)) return pad(s, { ...f, zero: false });
  return pad(s, f);
}

function infNaN(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? '+Inf' : '-Inf';
}

/** Decimal digits and exponent of |x| (shortest when prec < 0, else `prec` significant digits). */
function digitsOf(x: number, prec: number): { d: string; exp: number } {
  if (prec >= 1) return digitsE(x, prec - 1);
  const e = Math.abs(x).toExponential();
  const [m, ex] = e.split('e') as [string, string];
  return { d: m.replace('.', ''), exp: Number(ex) };
}

function expString(exp: number): string {
  const a = Math.abs(exp);
  return `e${exp < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
}

/** strconv.FormatFloat(x, 'e', prec, 64). */
export function formatFloatE(x: number, prec: number): string {
  if (!Number.isFinite(x)) return infNaN(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}${prec > 0 ? `0.${'0'.repeat(prec)}` : '0'}e+00`;
  const { d, exp } = digitsOf(x, prec < 0 ? -1 : prec + 1);
  const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : (d as string);
  return `${sign}${mant}${expString(exp)}`;
}

/** strconv.FormatFloat(x, 'g', prec, 64) (prec -1 = shortest), as Go's %v / %g print floats. */
export function formatFloatG(x: number, prec: number, sharp: boolean): string {
  if (!Number.isFinite(x)) return infNaN(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const shortest = prec < 0;
  const p = prec === 0 ? 1 : prec;
  let d: string;
  let exp: number;
  if (x === 0) {
    d = '0';
    exp = 0;
  } else {
    ({ d, exp } = digitsOf(x, p));
    d = d.replace(/0+$/, '') || '0';
  }
  let eprec = p;
  if (!shortest && eprec > d.length && d.length >= exp + 1) eprec = d.length;
  if (shortest) eprec = 6;
  if (sharp) d = d.padEnd(shortest ? 6 : p, '0');
  if (exp < -4 || exp >= eprec) {
    const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    return `${sign}${mant}${expString(exp)}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${d}`;
  if (d.length <= exp + 1) return `${sign}${d}${'0'.repeat(exp + 1 - d.length)}${sharp ? '.' : ''}`;
  return `${sign}${d.slice(0, exp + 1)}.${d.slice(exp + 1)}`;
}

/** x.toFixed(prec) without the 1e21 switch to exponent form. */
function toFixed(x: number, prec: number): string {
  const s = fixedAbs(x, Math.min(prec, 1000));
  return x < 0 || Object.is(x, -0) ? `-${s}` : s;
}

/** Go's %v of a struct host object: `{v1 v2}` (`&{...}` for pointer types) when fields are listable. */
function structString(v: HostObject, verb: string, f: Flags, mode: NumberMode, depth: number): string {
  const names = v.fieldNames?.() ?? [];
  const body = names.map((n) => fmtArg(v.field(n), verb, f, mode, depth + 1)).join(' ');
  const t = v.goTypeName();
  return `${t.startsWith('*') && depth === 0 ? '&' : ''}{${body}}`;
}
