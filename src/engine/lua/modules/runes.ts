/** The `runes` module of projectsveltos/lua-utils (Go unicode and unicode/utf8 helpers). */
import { type LuaState, lauxlib, lua, toJsString, toLuaString } from '../vm.js';
import { checkInt, checkString, type LuaFn, optInt, pushBool, pushNumber, pushString } from './lua-api.js';

const test =
  (re: RegExp): LuaFn =>
  (L) => {
    const r = checkInt(L, 1);
    return pushBool(L, r >= 0 && r <= 0x10ffff && re.test(String.fromCodePoint(r)));
  };

const mapRune =
  (f: (c: string) => string): LuaFn =>
  (L) => {
    const r = checkInt(L, 1);
    if (r < 0 || r > 0x10ffff) return pushNumber(L, r);
    const out = f(String.fromCodePoint(r));
    return pushNumber(L, [...out].length === 1 ? out.codePointAt(0)! : r);
  };

function numbers(L: LuaState, t: number): number[] {
  lauxlib.luaL_checktype(L, t, lua.LUA_TTABLE);
  const out: number[] = [];
  const n = lua.lua_rawlen(L, t);
  for (let i = 1; i <= n; i++) {
    if (lua.lua_rawgeti(L, t, i) === lua.LUA_TNUMBER) out.push(lua.lua_tonumber(L, -1));
    lua.lua_pop(L, 1);
  }
  return out;
}

function pushNumberList(L: LuaState, list: number[]): number {
  lua.lua_createtable(L, list.length, 0);
  list.forEach((n, i) => {
    lua.lua_pushnumber(L, n);
    lua.lua_rawseti(L, -2, i + 1);
  });
  return 1;
}

const validRune = (r: number) => r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);

export const runesModule: Record<string, LuaFn> = {
  bytestorune: (L) => {
    const bytes = Uint8Array.from(numbers(L, 1), (n) => n & 0xff);
    const s = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const r = s.codePointAt(0);
    if (r === undefined || r === 0xfffd) {
      lua.lua_pushnil(L);
      return 1;
    }
    return pushNumber(L, r);
  },
  bytetostring: (L) => {
    lua.lua_pushstring(
      L,
      Uint8Array.from(numbers(L, 1), (n) => n & 0xff),
    );
    return 1;
  },
  containsrune: (L) => {
    const r = checkInt(L, 2);
    return pushBool(
      L,
      [...checkString(L, 1)].some((c) => c.codePointAt(0) === r),
    );
  },
  iscontrol: test(/^\p{Cc}$/u),
  isdigit: test(/^\p{Nd}$/u),
  isgraphic: test(/^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]$/u),
  isinrange: (L) => {
    const r = checkInt(L, 1);
    return pushBool(L, r >= checkInt(L, 2) && r <= checkInt(L, 3));
  },
  isletter: test(/^\p{L}$/u),
  islower: test(/^\p{Ll}$/u),
  ismark: test(/^\p{M}$/u),
  isnumber: test(/^\p{N}$/u),
  isprint: test(/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u),
  ispunct: test(/^\p{P}$/u),
  isspace: test(/^[\t\n\v\f\r \u0085\u00a0\p{Z}]$/u),
  issymbol: test(/^\p{S}$/u),
  istitle: test(/^\p{Lt}$/u),
  isupper: test(/^\p{Lu}$/u),
  isvalidutf8: (L) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(lauxlib.luaL_checklstring(L, 1));
      return pushBool(L, true);
    } catch {
      return pushBool(L, false);
    }
  },
  reverserunes: (L) => pushString(L, [...checkString(L, 1)].reverse().join('')),
  runeat: (L) => {
    const bytes: Uint8Array = lauxlib.luaL_checklstring(L, 1);
    const pos = checkInt(L, 2) - 1;
    if (pos < 0 || pos >= bytes.length) {
      lua.lua_pushnil(L);
      return 1;
    }
    const s = toJsString(bytes.subarray(pos, pos + 4));
    const r = s.codePointAt(0);
    if (r === undefined || r === 0xfffd) {
      lua.lua_pushnil(L);
      return 1;
    }
    return pushNumber(L, r);
  },
  runecount: (L) => pushNumber(L, [...checkString(L, 1)].length),
  runeindex: (L) => {
    const runes = [...checkString(L, 1)];
    const r = checkInt(L, 2);
    for (let i = Math.max(0, optInt(L, 3, 1) - 1); i < runes.length; i++) {
      if (runes[i].codePointAt(0) === r) return pushNumber(L, i + 1);
    }
    lua.lua_pushnil(L);
    return 1;
  },
  runerange: (L) => {
    const runes = [...checkString(L, 1)];
    const start = Math.min(Math.max(optInt(L, 2, 1) - 1, 0), runes.length);
    let end = optInt(L, 3, -1);
    end = end < 0 ? runes.length : Math.max(Math.min(end - 1, runes.length), 0);
    return pushString(L, end > start ? runes.slice(start, end).join('') : '');
  },
  runeslice: (L) =>
    pushNumberList(
      L,
      [...checkString(L, 1)].map((c) => c.codePointAt(0)!),
    ),
  runesplit: (L) => {
    const sep = checkInt(L, 2);
    const s = checkString(L, 1);
    const parts =
      s === ''
        ? ['']
        : [...s].reduce<string[]>(
            (acc, c) => {
              if (c.codePointAt(0) === sep) acc.push('');
              else acc[acc.length - 1] += c;
              return acc;
            },
            [''],
          );
    lua.lua_createtable(L, parts.length, 0);
    parts.forEach((p, i) => {
      lua.lua_pushstring(L, toLuaString(p));
      lua.lua_rawseti(L, -2, i + 1);
    });
    return 1;
  },
  runestring: (L) => {
    let out = '';
    for (let i = 1; i <= lua.lua_gettop(L); i++) {
      const r = checkInt(L, i);
      out += validRune(r) ? String.fromCodePoint(r) : '\ufffd';
    }
    return pushString(L, out);
  },
  runetobytes: (L) => {
    const text = numbers(L, 1)
      .map((r) => (validRune(Math.trunc(r)) ? String.fromCodePoint(Math.trunc(r)) : '\ufffd'))
      .join('');
    return pushNumberList(L, [...new TextEncoder().encode(text)]);
  },
  runewidth: (L) => {
    const r = checkInt(L, 1);
    if (!validRune(r)) {
      lua.lua_pushnil(L);
      return 1;
    }
    return pushNumber(L, r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4);
  },
  stringtobytes: (L) => pushNumberList(L, [...(lauxlib.luaL_checklstring(L, 1) as Uint8Array)]),
  tolower: mapRune((c) => c.toLowerCase()),
  totitle: mapRune((c) => c.toUpperCase()),
  toupper: mapRune((c) => c.toUpperCase()),
  validrune: (L) => pushBool(L, validRune(checkInt(L, 1))),
};
