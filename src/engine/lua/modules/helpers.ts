/** Globals of libsveltos `LoadModulesAndRegisterMethods`: base64Encode/Decode, getLabel, getAnnotation, getResource. */
import { type LuaState, lauxlib, lua, luaKey, toLuaString } from '../vm.js';
import { type LuaFn, pushNilError } from './lua-api.js';

export function bytesToBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Standard base64 with padding (Go base64.StdEncoding); null when malformed. */
export function base64ToBytes(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** metadata[field][key] of the table at 1 when it is a string, else nil. */
function metadataLookup(field: string): LuaFn {
  return (L: LuaState) => {
    if (lua.lua_gettop(L) !== 2) return pushNilError(L, 'expected 2 arguments (table, key)');
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    const key = lauxlib.luaL_checklstring(L, 2);
    if (lua.lua_getfield(L, 1, luaKey('metadata')) === lua.LUA_TTABLE) {
      if (lua.lua_getfield(L, -1, luaKey(field)) === lua.LUA_TTABLE) {
        lua.lua_pushstring(L, key);
        if (lua.lua_rawget(L, -2) === lua.LUA_TSTRING) return 1;
      }
    }
    lua.lua_pushnil(L);
    return 1;
  };
}

export const helperGlobals: Record<string, LuaFn> = {
  base64Encode: (L) => {
    const s = lauxlib.luaL_checklstring(L, 1);
    if (s.length === 0) return pushNilError(L, 'provided string is empty');
    lua.lua_pushstring(L, toLuaString(bytesToBase64(s)));
    return 1;
  },
  base64Decode: (L) => {
    const s = lauxlib.luaL_checklstring(L, 1);
    if (s.length === 0) return pushNilError(L, 'provided string is empty');
    const b = base64ToBytes(new TextDecoder().decode(s));
    if (b === null) return pushNilError(L, 'deconding failed');
    lua.lua_pushstring(L, b);
    return 1;
  },
  getLabel: metadataLookup('labels'),
  getAnnotation: metadataLookup('annotations'),
  getResource: (L) => {
    if (lua.lua_gettop(L) !== 2) return pushNilError(L, 'expected 2 arguments (table, key)');
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    const key = lauxlib.luaL_checklstring(L, 2);
    lua.lua_pushstring(L, key);
    lua.lua_rawget(L, 1);
    return 1;
  },
};
