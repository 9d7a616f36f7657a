/**
 * `string.format` as gopher-lua implements it: the Lua format string is handed to Go's
 * `fmt.Sprintf` with each argument converted (`%d` takes int64(number), so
 * `string.format("%d", 3.7)` is `3` instead of Lua 5.3's error; `%g` is Go's shortest form).
 */
import { goShortestG, luaNumberToString } from './number-format.js';
import { type LuaState, lauxlib, lua, raise, toJsString, toLuaString } from './vm.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  sharp: boolean;
  zero: boolean;
  width: number;
  prec: number; // -1 when absent
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const len = [...s].length;
  if (spec.width <= len) return s;
  const fill = spec.width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const signed = s[0] === '-' || s[0] === '+' || s[0] === ' ';
    return signed ? s[0] + '0'.repeat(fill) + s.slice(1) : '0'.repeat(fill) + s;
  }
  return ' '.repeat(fill) + s;
}

function sign(neg: boolean, spec: Spec): string {
  if (neg) return '-';
  if (spec.plus) return '+';
  return spec.space ? ' ' : '';
}

function toInt64(n: number): bigint {
  if (!Number.isFinite(n)) return n > 0 ? 2n ** 63n - 1n : -(2n ** 63n);
  return BigInt.asIntN(64, BigInt(Math.trunc(n)));
}

function fmtInt(n: number, verb: string, spec: Spec): string {
  const v = toInt64(n);
  const neg = v < 0n;
  const a = neg ? -v : v;
  let digits: string;
  switch (verb) {
    case 'x':
      digits = a.toString(16);
      break;
    case 'X':
      digits = a.toString(16).toUpperCase();
      break;
    case 'o':
      digits = a.toString(8);
      break;
    default:
      digits = a.toString(10);
  }
  if (spec.prec >= 0 && digits.length < spec.prec) digits = '0'.repeat(spec.prec - digits.length) + digits;
  if (spec.sharp && (verb === 'x' || verb === 'X')) digits = (verb === 'x' ? '0x' : '0X') + digits;
  if (spec.sharp && verb === 'o' && digits[0] !== '0') digits = '0' + digits;
  return pad(sign(neg, spec) + digits, spec, spec.prec < 0);
}

function expForm(digits: string, exp: number, prec: number, upper: boolean): string {
  let d = digits;
  if (d.length < prec + 1) d += '0'.repeat(prec + 1 - d.length);
  const mant = prec > 0 ? d[0] + '.' + d.slice(1, prec + 1) : d[0];
  const a = Math.abs(exp);
  return mant + (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

function fmtFloat(n: number, verb: string, spec: Spec): string {
  const upper = verb === 'E' || verb === 'G' || verb === 'F';
  if (!Number.isFinite(n)) {
    const s = Number.isNaN(n) ? 'NaN' : n > 0 ? (spec.plus ? '+Inf' : 'Inf') : '-Inf';
    return pad(s, { ...spec, zero: false }, false);
  }
  const neg = n < 0 || Object.is(n, -0);
  const a = Math.abs(n);
  let body: string;
  if (verb === 'f' || verb === 'F') {
    body = a.toFixed(spec.prec < 0 ? 6 : Math.min(spec.prec, 100));
  } else if (verb === 'e' || verb === 'E') {
    const p = spec.prec < 0 ? 6 : Math.min(spec.prec, 100);
    const [m, e] = a.toExponential(p).split('e');
    body = expForm(m.replace('.', ''), Number(e), p, upper);
  } else if (spec.prec < 0) {
    body = a === 0 ? '0' : goShortestG(a);
    if (upper) body = body.toUpperCase();
  } else {
    const p = spec.prec === 0 ? 1 : Math.min(spec.prec, 100);
    if (a === 0) body = '0';
    else {
      const e = a.toExponential(p - 1);
      const exp = Number(e.slice(e.indexOf('e') + 1));
      const digits = e.slice(0, e.indexOf('e')).replace('.', '').replace(/0+$/, '') || '0';
      if (exp < -4 || exp >= p) body = expForm(digits, exp, digits.length - 1, upper);
      else body = String(Number(a.toPrecision(p)));
    }
  }
  return pad(sign(neg, spec) + body, spec, true);
}

function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** The `string.format` C function. */
export function stringFormat(L: LuaState): number {
  const fmt = toJsString(lauxlib.luaL_checklstring(L, 1));
  const top = lua.lua_gettop(L);
  let arg = 1;
  let out = '';
  const next = (): number => {
    arg++;
    if (arg > top) lauxlib.luaL_argerror(L, arg, toLuaString('no value'));
    return arg;
  };
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    i++;
    if (fmt[i] === '%') {
      out += '%';
      continue;
    }
    const spec: Spec = {
      minus: false,
      plus: false,
      space: false,
      sharp: false,
      zero: false,
      width: 0,
      prec: -1,
    };
    for (; i < fmt.length && '-+ #0'.includes(fmt[i]); i++) {
      if (fmt[i] === '-') spec.minus = true;
      else if (fmt[i] === '+') spec.plus = true;
      else if (fmt[i] === ' ') spec.space = true;
      else if (fmt[i] === '#') spec.sharp = true;
      else spec.zero = true;
    }
    let w = '';
    for (; i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9'; i++) w += fmt[i];
    spec.width = w === '' ? 0 : Math.min(Number(w), 99);
    if (fmt[i] === '.') {
      let p = '';
      for (i++; i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9'; i++) p += fmt[i];
      spec.prec = p === '' ? 0 : Math.min(Number(p), 99);
    }
    const verb = fmt[i];
    switch (verb) {
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o':
        out += fmtInt(lauxlib.luaL_checknumber(L, next()), verb, spec);
        break;
      case 'c':
        out += String.fromCodePoint(Number(toInt64(lauxlib.luaL_checknumber(L, next())) & 0x1fffffn));
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        out += fmtFloat(lauxlib.luaL_checknumber(L, next()), verb, spec);
        break;
      case 'q':
        out += quote(toJsString(lauxlib.luaL_checklstring(L, next())));
        break;
      case 's': {
        const a = next();
        let s: string;
        if (lua.lua_type(L, a) === lua.LUA_TNUMBER) s = luaNumberToString(lua.lua_tonumber(L, a));
        else {
          s = toJsString(lauxlib.luaL_tolstring(L, a));
          lua.lua_pop(L, 1);
        }
        if (spec.prec >= 0) s = [...s].slice(0, spec.prec).join('');
        out += pad(s, spec, false);
        break;
      }
      default:
        raise(L, `invalid option '%${verb ?? ''}' to 'format'`);
    }
  }
  lua.lua_pushstring(L, toLuaString(out));
  return 1;
}
