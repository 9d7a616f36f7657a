/** Small helpers for writing Lua library functions in TypeScript. */
import { type LuaState, lauxlib, lua, luaKey, toJsString, toLuaString } from '../vm.js';

export type LuaFn = (L: LuaState) => number;

/** Registers `fns` on the table at absolute index `table`. */
export function setFuncs(L: LuaState, table: number, fns: Record<string, LuaFn>): void {
  for (const [name, fn] of Object.entries(fns)) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, table, luaKey(name));
  }
}

/** A loader for `require`: builds a fresh module table each time it is called. */
export function moduleLoader(fns: Record<string, LuaFn>): LuaFn {
  return (L) => {
    lua.lua_createtable(L, 0, Object.keys(fns).length);
    setFuncs(L, lua.lua_gettop(L), fns);
    return 1;
  };
}

export const checkString = (L: LuaState, i: number): string => toJsString(lauxlib.luaL_checklstring(L, i));
export const checkBytes = (L: LuaState, i: number): Uint8Array => lauxlib.luaL_checklstring(L, i);
export const checkNumber = (L: LuaState, i: number): number => lauxlib.luaL_checknumber(L, i);
/** gopher-lua CheckInt: the number truncated to an integer. */
export const checkInt = (L: LuaState, i: number): number => Math.trunc(lauxlib.luaL_checknumber(L, i));
export const optInt = (L: LuaState, i: number, d: number): number =>
  lua.lua_isnoneornil(L, i) ? d : Math.trunc(lauxlib.luaL_checknumber(L, i));

export function pushString(L: LuaState, s: string): number {
  lua.lua_pushstring(L, toLuaString(s));
  return 1;
}

export function pushBool(L: LuaState, b: boolean): number {
  lua.lua_pushboolean(L, b);
  return 1;
}

export function pushNumber(L: LuaState, n: number): number {
  lua.lua_pushnumber(L, n);
  return 1;
}

export function pushStringList(L: LuaState, list: string[]): number {
  lua.lua_createtable(L, list.length, 0);
  list.forEach((s, i) => {
    lua.lua_pushstring(L, toLuaString(s));
    lua.lua_rawseti(L, -2, i + 1);
  });
  return 1;
}

/** Returns `nil, message` (the Go modules' error convention). */
export function pushNilError(L: LuaState, message: string): number {
  lua.lua_pushnil(L);
  lua.lua_pushstring(L, toLuaString(message));
  return 2;
}

/** Calls the Lua function at `fn` with one number; returns the single result's stack value via `read`. */
export function callWithNumber<T>(L: LuaState, fn: number, n: number, read: (L: LuaState) => T): T {
  lua.lua_pushvalue(L, fn);
  lua.lua_pushnumber(L, n);
  lua.lua_call(L, 1, 1);
  const v = read(L);
  lua.lua_pop(L, 1);
  return v;
}

/** The string values of a list-like table, in order (non-strings are skipped). */
export function stringValues(L: LuaState, t: number): string[] {
  lauxlib.luaL_checktype(L, t, lua.LUA_TTABLE);
  const out: string[] = [];
  const n = lua.lua_rawlen(L, t);
  for (let i = 1; i <= n; i++) {
    if (lua.lua_rawgeti(L, t, i) === lua.LUA_TSTRING) out.push(toJsString(lua.lua_tolstring(L, -1)));
    lua.lua_pop(L, 1);
  }
  return out;
}

const encoder = new TextEncoder();
/** The UTF-8 byte length of `s` (Go string indexes are byte offsets). */
export const byteLength = (s: string): number => encoder.encode(s).length;
/** Byte offset of the JS string index `i` in `s`, or -1 for -1. */
export const byteIndex = (s: string, i: number): number => (i < 0 ? -1 : byteLength(s.slice(0, i)));
