/**
 * The `sprig` module of projectsveltos/lua-utils: 68 wrappers around Masterminds sprig. Functions
 * that return `value, nil` or `nil, err` in Go keep that shape. Crypto functions that need a
 * key store or randomness of their own (bcrypt, htpasswd, derivePassword, genPrivateKey,
 * encryptAES, decryptAES) raise an error saying they are not supported.
 */
import { RE2JS } from '@bufbuild/re2';
import { luaNumberToString } from '../number-format.js';
import { type LuaState, lauxlib, lua, raise, stringAt, toLuaString } from '../vm.js';
import { orderedNext } from '../stdlib.js';
import { adler32, sha1Hex, sha256Hex, sha512Hex } from './hashes.js';
import { base64ToBytes, bytesToBase64 } from './helpers.js';
import {
  checkBytes,
  checkInt,
  checkNumber,
  checkString,
  type LuaFn,
  pushBool,
  pushNilError,
  pushNumber,
  pushString,
  pushStringList,
} from './lua-api.js';
import {
  basePath,
  cleanPath,
  dirPath,
  durationRound,
  extPath,
  goDuration,
  parseGoDuration,
  semverCompare,
  words,
  wrapText,
} from './sprig-support.js';

/** gopher-lua `LValue.String()`. */
function valueString(L: LuaState, i: number): string {
  switch (lua.lua_type(L, i)) {
    case lua.LUA_TNUMBER:
      return luaNumberToString(lua.lua_tonumber(L, i));
    case lua.LUA_TSTRING:
      return stringAt(L, i);
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, i) ? 'true' : 'false';
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return 'nil';
    default: {
      lauxlib.luaL_tolstring(L, i);
      const s = stringAt(L, -1);
      lua.lua_pop(L, 1);
      return s;
    }
  }
}

/** Calls `f` with key at -2 and value at -1 for each entry of the table at `t`, in gopher-lua order. */
function eachValue(L: LuaState, t: number, f: (L: LuaState) => void): void {
  lauxlib.luaL_checktype(L, t, lua.LUA_TTABLE);
  const tbl = lua.lua_absindex(L, t);
  lua.lua_pushcfunction(L, orderedNext);
  lua.lua_pushnil(L);
  for (;;) {
    // stack: next, key
    lua.lua_pushvalue(L, -2);
    lua.lua_pushvalue(L, tbl);
    lua.lua_pushvalue(L, -3);
    lua.lua_call(L, 2, 2);
    if (lua.lua_isnil(L, -2)) {
      lua.lua_pop(L, 4);
      return;
    }
    f(L);
    lua.lua_pop(L, 1);
    lua.lua_remove(L, -2);
  }
}

function isEmpty(L: LuaState, idx: number): boolean {
  const i = lua.lua_absindex(L, idx);
  switch (lua.lua_type(L, i)) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return true;
    case lua.LUA_TBOOLEAN:
      return !lua.lua_toboolean(L, i);
    case lua.LUA_TNUMBER:
      return lua.lua_tonumber(L, i) === 0;
    case lua.LUA_TSTRING:
      return lua.lua_rawlen(L, i) === 0;
    case lua.LUA_TTABLE: {
      lua.lua_pushnil(L);
      if (lua.lua_next(L, i) === 0) return true;
      lua.lua_pop(L, 2);
      return false;
    }
    default:
      return false;
  }
}

const hexDigest =
  (f: (b: Uint8Array) => string): LuaFn =>
  (L) =>
    pushString(L, f(checkBytes(L, 1)));
const str1 =
  (f: (s: string) => string): LuaFn =>
  (L) =>
    pushString(L, f(checkString(L, 1)));
const unsupported =
  (name: string): LuaFn =>
  (L) =>
    raise(L, `sprig.${name} is not supported by flotilla's Lua engine; compute the value outside the script`);

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32enc(b: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
function b32dec(s: string): Uint8Array | null {
  if (s.length % 8 !== 0 || !/^[A-Z2-7]*=*$/.test(s)) return null;
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of s.replace(/=+$/, '')) {
    value = (value << 5) | B32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** A JS RegExp for a Go (RE2) pattern: named groups and leading inline flags translated. */
function goRegExp(pattern: string): RegExp {
  let flags = 'gu';
  let p = pattern.replace(/\(\?P</g, '(?<');
  const m = /^\(\?([imsU]+)\)/.exec(p);
  if (m) {
    p = p.slice(m[0].length);
    if (m[1].includes('i')) flags += 'i';
    if (m[1].includes('m')) flags += 'm';
    if (m[1].includes('s')) flags += 's';
  }
  return new RegExp(p, flags);
}

function withRegex(L: LuaState, f: (re: RegExp) => number): number {
  let re: RegExp;
  try {
    re = goRegExp(checkString(L, 1));
  } catch (err) {
    return pushNilError(L, `error parsing regexp: ${(err as Error).message}`);
  }
  return f(re);
}

function twoValues(L: LuaState, push: () => void): number {
  push();
  lua.lua_pushnil(L);
  return 2;
}

function seq(params: number[]): string {
  const out: number[] = [];
  const [a, b, c] = params;
  if (params.length === 1) {
    const end = a;
    for (let i = 1; end >= 1 ? i <= end : i >= end; end >= 1 ? i++ : i--) out.push(i);
  } else if (params.length === 2) {
    for (let i = a; a <= b ? i <= b : i >= b; a <= b ? i++ : i--) out.push(i);
  } else if (params.length === 3 && b !== 0 && (c - a) * b >= 0) {
    for (let i = a; b > 0 ? i <= c : i >= c; i += b) out.push(i);
  }
  return out.join(' ');
}

export const sprigModule: Record<string, LuaFn> = {
  abbrev: (L) => {
    const w = checkInt(L, 1);
    const s = checkString(L, 2);
    return pushString(L, w < 4 || s.length <= w ? s : s.slice(0, w - 3) + '...');
  },
  abbrevboth: (L) => {
    let left = checkInt(L, 1);
    const right = checkInt(L, 2);
    const s = checkString(L, 3);
    if (right < 4 || (left > 0 && right < 7) || s.length <= right) return pushString(L, s);
    left = Math.min(left, s.length);
    if (s.length - left < right - 3) left = s.length - (right - 3);
    if (left <= 4) return pushString(L, s.slice(0, right - 3) + '...');
    const rest = s.slice(left);
    if (left + right - 3 < s.length)
      return pushString(L, '...' + (rest.length <= right - 3 ? rest : rest.slice(0, right - 6) + '...'));
    return pushString(L, '...' + s.slice(s.length - (right - 3)));
  },
  adler32sum: (L) => pushString(L, String(adler32(checkBytes(L, 1)))),
  ago: (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TNUMBER);
    return pushString(L, goDuration(Math.round(Date.now() / 1000 - Math.trunc(checkNumber(L, 1)))));
  },
  all: (L) => {
    let all = true;
    eachValue(L, 1, (L) => {
      if (isEmpty(L, -1)) all = false;
    });
    return pushBool(L, all);
  },
  any: (L) => {
    let any = false;
    eachValue(L, 1, (L) => {
      if (!isEmpty(L, -1)) any = true;
    });
    return pushBool(L, any);
  },
  b32dec: (L) => {
    const b = b32dec(checkString(L, 1));
    if (b === null) return pushNilError(L, 'b32dec: illegal base32 data');
    return twoValues(L, () => lua.lua_pushstring(L, b));
  },
  b32enc: (L) => pushString(L, b32enc(checkBytes(L, 1))),
  b64dec: (L) => {
    const b = base64ToBytes(checkString(L, 1));
    if (b === null) return pushNilError(L, 'b64dec: illegal base64 data');
    return twoValues(L, () => lua.lua_pushstring(L, b));
  },
  b64enc: (L) => pushString(L, bytesToBase64(checkBytes(L, 1))),
  base: str1(basePath),
  bcrypt: unsupported('bcrypt'),
  camelcase: str1((s) =>
    s
      .split(/[_\s-]+/)
      .filter((w) => w !== '')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
  ),
  cat: (L) => {
    const parts: string[] = [];
    for (let i = 1; i <= lua.lua_gettop(L); i++) if (!lua.lua_isnil(L, i)) parts.push(valueString(L, i));
    return pushString(L, parts.join(' '));
  },
  clean: str1(cleanPath),
  coalesce: (L) => {
    const n = lua.lua_gettop(L);
    if (n < 1) raise(L, 'coalesce requires at least 1 argument');
    for (let i = 1; i <= n; i++) {
      if (!isEmpty(L, i)) {
        lua.lua_pushvalue(L, i);
        return 1;
      }
    }
    lua.lua_pushnil(L);
    return 1;
  },
  compact: (L) => {
    lua.lua_newtable(L);
    const out = lua.lua_gettop(L);
    let n = 0;
    eachValue(L, 1, (L) => {
      if (!isEmpty(L, -1)) {
        lua.lua_pushvalue(L, -1);
        lua.lua_rawseti(L, out, ++n);
      }
    });
    return 1;
  },
  decryptAES: unsupported('decryptAES'),
  derivePassword: unsupported('derivePassword'),
  dir: str1(dirPath),
  duration: (L) => {
    const t = lua.lua_type(L, 1);
    const n =
      t === lua.LUA_TNUMBER
        ? Math.trunc(lua.lua_tonumber(L, 1))
        : t === lua.LUA_TNIL
          ? 0
          : Number.parseInt(valueString(L, 1), 10) || 0;
    return pushString(L, goDuration(n));
  },
  durationRound: (L) => {
    const t = lua.lua_type(L, 1);
    const s =
      t === lua.LUA_TNUMBER
        ? `${Math.trunc(lua.lua_tonumber(L, 1))}s`
        : t === lua.LUA_TNIL
          ? '0s'
          : valueString(L, 1);
    return pushString(L, durationRound(parseGoDuration(s) ?? 0));
  },
  empty: (L) => {
    if (lua.lua_gettop(L) < 1) raise(L, 'empty requires 1 argument');
    return pushBool(L, isEmpty(L, 1));
  },
  encryptAES: unsupported('encryptAES'),
  ext: str1(extPath),
  genPrivateKey: unsupported('genPrivateKey'),
  htpasswd: unsupported('htpasswd'),
  indent: (L) => {
    const pad = ' '.repeat(Math.max(0, checkInt(L, 1)));
    return pushString(L, pad + checkString(L, 2).replaceAll('\n', '\n' + pad));
  },
  initials: str1((s) =>
    s
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((w) => [...w][0])
      .join(''),
  ),
  isAbs: (L) => pushBool(L, checkString(L, 1).startsWith('/')),
  kebabcase: str1((s) =>
    words(s)
      .map((w) => w.toLowerCase())
      .join('-'),
  ),
  nindent: (L) => {
    const pad = ' '.repeat(Math.max(0, checkInt(L, 1)));
    return pushString(L, '\n' + pad + checkString(L, 2).replaceAll('\n', '\n' + pad));
  },
  nospace: str1((s) => s.replace(/\s+/gu, '')),
  osBase: str1(basePath),
  osClean: str1(cleanPath),
  osDir: str1(dirPath),
  osExt: str1(extPath),
  osIsAbs: (L) => pushBool(L, checkString(L, 1).startsWith('/')),
  plural: (L) => pushString(L, checkInt(L, 3) === 1 ? checkString(L, 1) : checkString(L, 2)),
  quote: (L) => {
    const parts: string[] = [];
    eachValue(L, 1, (L) => {
      parts.push(JSON.stringify(valueString(L, -1)));
    });
    return pushString(L, parts.join(' '));
  },
  randInt: (L) => {
    const min = checkInt(L, 1);
    const max = checkInt(L, 2);
    return pushNumber(L, max <= min ? min : min + Math.floor(Math.random() * (max - min)));
  },
  regexFind: (L) =>
    withRegex(L, (re) => {
      const m = checkString(L, 2).match(new RegExp(re.source, re.flags.replace('g', '')));
      return twoValues(L, () => pushString(L, m ? m[0] : ''));
    }),
  regexFindAll: (L) =>
    withRegex(L, (re) => {
      const n = checkInt(L, 3);
      const all = [...checkString(L, 2).matchAll(re)].map((m) => m[0]);
      return twoValues(L, () => pushStringList(L, n < 0 ? all : all.slice(0, n)));
    }),
  regexMatch: (L) => {
    try {
      const ok = RE2JS.compile(checkString(L, 1)).test(checkString(L, 2));
      return twoValues(L, () => pushBool(L, ok));
    } catch (err) {
      return pushNilError(L, `error parsing regexp: ${(err as Error).message}`);
    }
  },
  regexReplaceAll: (L) =>
    withRegex(L, (re) => {
      const repl = checkString(L, 3).replace(/\$\{(\w+)\}/g, (_m, g: string) =>
        /^\d+$/.test(g) ? `$${g}` : `$<${g}>`,
      );
      return twoValues(L, () => pushString(L, checkString(L, 2).replace(re, repl)));
    }),
  regexReplaceAllLiteral: (L) =>
    withRegex(L, (re) => {
      const repl = checkString(L, 3);
      return twoValues(L, () =>
        pushString(
          L,
          checkString(L, 2).replace(re, () => repl),
        ),
      );
    }),
  regexSplit: (L) =>
    withRegex(L, (re) => {
      const n = checkInt(L, 3);
      const s = checkString(L, 2);
      if (n === 0) return twoValues(L, () => lua.lua_newtable(L));
      const parts: string[] = [];
      let last = 0;
      for (const m of s.matchAll(re)) {
        if (n > 0 && parts.length === n - 1) break;
        if (m[0] === '' && (m.index === 0 || m.index === s.length)) continue;
        parts.push(s.slice(last, m.index));
        last = m.index! + m[0].length;
      }
      parts.push(s.slice(last));
      return twoValues(L, () => pushStringList(L, parts));
    }),
  round: (L) => {
    const v =
      lua.lua_type(L, 1) === lua.LUA_TNUMBER
        ? lua.lua_tonumber(L, 1)
        : Number.parseFloat(valueString(L, 1)) || 0;
    const pow = 10 ** checkInt(L, 2);
    const on = lua.lua_isnoneornil(L, 3) ? 0.5 : checkNumber(L, 3);
    const digit = pow * v;
    const frac = digit - Math.trunc(digit);
    return pushNumber(L, (frac >= on ? Math.ceil(digit) : Math.floor(digit)) / pow);
  },
  semverCompare: (L) => {
    try {
      const ok = semverCompare(checkString(L, 1), checkString(L, 2));
      return twoValues(L, () => pushBool(L, ok));
    } catch (err) {
      return pushNilError(L, (err as Error).message);
    }
  },
  seq: (L) => {
    const params: number[] = [];
    eachValue(L, 1, (L) => {
      if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) params.push(Math.trunc(lua.lua_tonumber(L, -1)));
    });
    return pushString(L, seq(params));
  },
  sha1sum: hexDigest(sha1Hex),
  sha256sum: hexDigest(sha256Hex),
  sha512sum: hexDigest(sha512Hex),
  shuffle: str1((s) => {
    const r = [...s];
    for (let i = r.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [r[i], r[j]] = [r[j], r[i]];
    }
    return r.join('');
  }),
  snakecase: str1((s) =>
    words(s)
      .map((w) => w.toLowerCase())
      .join('_'),
  ),
  sortAlpha: (L) => {
    const items: string[] = [];
    if (lua.lua_type(L, 1) === lua.LUA_TTABLE) eachValue(L, 1, (L) => items.push(valueString(L, -1)));
    else items.push(valueString(L, 1));
    return pushStringList(L, items.sort());
  },
  squote: (L) => {
    const parts: string[] = [];
    eachValue(L, 1, (L) => {
      parts.push(`'${valueString(L, -1)}'`);
    });
    return pushString(L, parts.join(' '));
  },
  substr: (L) => {
    const bytes = checkBytes(L, 3);
    const start = Math.max(0, checkInt(L, 1));
    const end = Math.min(checkInt(L, 2), bytes.length);
    if (start >= bytes.length || start >= end) return pushString(L, '');
    lua.lua_pushstring(L, bytes.subarray(start, end));
    return 1;
  },
  swapcase: str1((s) =>
    [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  ),
  ternary: (L) => {
    lauxlib.luaL_checktype(L, 3, lua.LUA_TBOOLEAN);
    lua.lua_pushvalue(L, lua.lua_toboolean(L, 3) ? 1 : 2);
    return 1;
  },
  toDecimal: (L) => {
    const t = lua.lua_type(L, 1);
    const s =
      t === lua.LUA_TBOOLEAN
        ? lua.lua_toboolean(L, 1)
          ? '1'
          : '0'
        : t === lua.LUA_TNIL
          ? '0'
          : valueString(L, 1);
    return pushNumber(L, /^[+-]?[0-7]+$/.test(s) ? Number.parseInt(s, 8) : 0);
  },
  trunc: (L) => {
    const c = checkInt(L, 1);
    const bytes = checkBytes(L, 2);
    if (c < 0 && bytes.length + c > 0) lua.lua_pushstring(L, bytes.subarray(bytes.length + c));
    else if (c >= 0 && bytes.length > c) lua.lua_pushstring(L, bytes.subarray(0, c));
    else lua.lua_pushvalue(L, 2);
    return 1;
  },
  uniq: (L) => {
    lua.lua_newtable(L);
    const out = lua.lua_gettop(L);
    const seen = new Set<unknown>();
    let n = 0;
    eachValue(L, 1, (L) => {
      const key =
        lua.lua_type(L, -1) === lua.LUA_TTABLE
          ? lua.lua_topointer(L, -1)
          : `${lua.lua_type(L, -1)}:${valueString(L, -1)}`;
      if (seen.has(key)) return;
      seen.add(key);
      lua.lua_pushvalue(L, -1);
      lua.lua_rawseti(L, out, ++n);
    });
    return 1;
  },
  untitle: str1((s) => s.replace(/(^|\s)(\S)/gu, (_m, sp: string, c: string) => sp + c.toLowerCase())),
  urlJoin: (L) => {
    const parts: Record<string, string> = {};
    eachValue(L, 1, (L) => {
      if (lua.lua_type(L, -2) === lua.LUA_TSTRING) parts[stringAt(L, -2)] = valueString(L, -1);
    });
    let out = parts.scheme ? `${parts.scheme}:` : '';
    if (parts.host || parts.userinfo)
      out += `//${parts.userinfo ? parts.userinfo + '@' : ''}${parts.host ?? ''}`;
    out += parts.path ?? '';
    if (parts.query) out += `?${parts.query}`;
    if (parts.fragment) out += `#${parts.fragment}`;
    return pushString(L, out);
  },
  urlParse: (L) => {
    const s = checkString(L, 1);
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      raise(L, `urlParse: unable to parse url: ${s}`);
    }
    const fields: Record<string, string> = {
      scheme: u.protocol.replace(/:$/, ''),
      host: u.host,
      hostname: u.hostname,
      path: decodeURIComponent(u.pathname),
      query: u.search.replace(/^\?/, ''),
      opaque: '',
      fragment: u.hash.replace(/^#/, ''),
      userinfo: u.username ? u.username + (u.password ? `:${u.password}` : '') : '',
    };
    lua.lua_createtable(L, 0, 8);
    for (const [k, v] of Object.entries(fields)) {
      lua.lua_pushstring(L, toLuaString(v));
      lua.lua_setfield(L, -2, toLuaString(k));
    }
    return 1;
  },
  wrap: (L) => pushString(L, wrapText(checkString(L, 2), checkInt(L, 1), '\n')),
  wrapWith: (L) => pushString(L, wrapText(checkString(L, 2), checkInt(L, 1), checkString(L, 3))),
};
