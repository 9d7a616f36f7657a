/**
 * Conversions between JSON values and Lua values, exactly as libsveltos does them:
 * `MapToTable` on the way in (with its quirk: inside arrays only objects, strings, booleans and
 * non-integer numbers are kept) and `ToGoValue` on the way out (a table whose largest array
 * index is 0 is a map, otherwise a list 1..n).
 */
import { luaNumberToString } from './number-format.js';
import {
  type LuaState,
  lobject,
  lstring,
  ltable,
  lua,
  luaKey,
  pushJsString,
  stringAt,
  toJsString,
  toLuaString,
} from './vm.js';
import { setOwn } from '../../lib/own-props.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// fengari value tags (defs.js constant_types)
const T_BOOLEAN = 1;
const T_NUMFLT = 3;
const T_TABLE = 5;
const T_NUMINT = 19;
const T_LNGSTR = 20;

const TValue = lobject.TValue;

/**
 * Interned strings: a fengari TString caches its hash, and hashing (a hex rendering of every
 * byte) is the main cost of building tables through the C API. Strings are immutable, so one
 * TString can be shared by every table and evaluation.
 */
const interned = new Map<string, any>();
function tstring(s: string): any {
  let ts = interned.get(s);
  if (ts === undefined) {
    ts = lstring.luaS_bless(null, toLuaString(s));
    lstring.luaS_hashlongstr(ts);
    if (s.length <= 256 && interned.size < 50_000) interned.set(s, ts);
  }
  return ts;
}

function newTable(L: LuaState): any {
  return new ltable.Table(L);
}

function append(t: any, hash: unknown, key: any, value: any): void {
  const entry = { key, value, p: t.l, n: undefined };
  if (!t.f) t.f = entry;
  if (entry.p) entry.p.n = entry;
  t.strong.set(hash, entry);
  t.l = entry;
}

function buildObject(L: LuaState, obj: JsonObject, depth: number): any {
  const t = newTable(L);
  for (const key in obj) {
    const v = obj[key];
    let tv: any;
    switch (typeof v) {
      case 'number':
        tv = new TValue(T_NUMFLT, v);
        break;
      case 'string':
        tv = new TValue(T_LNGSTR, tstring(v));
        break;
      case 'boolean':
        tv = new TValue(T_BOOLEAN, v);
        break;
      case 'object':
        if (v === null) continue;
        tv = new TValue(
          T_TABLE,
          Array.isArray(v) ? buildArray(L, v, depth + 1) : buildObject(L, v, depth + 1),
        );
        break;
      default:
        continue;
    }
    const k = tstring(key);
    append(t, k.hash, new TValue(T_LNGSTR, k), tv);
  }
  return t;
}

/** A Kubernetes JSON decoder makes integral numbers int64, which MapToTable drops in arrays. */
function buildArray(L: LuaState, arr: JsonValue[], depth: number): any {
  const t = newTable(L);
  let n = 0;
  for (const v of arr) {
    let tv: any;
    switch (typeof v) {
      case 'number':
        if (Number.isInteger(v)) continue;
        tv = new TValue(T_NUMFLT, v);
        break;
      case 'string':
        tv = new TValue(T_LNGSTR, tstring(v));
        break;
      case 'boolean':
        tv = new TValue(T_BOOLEAN, v);
        break;
      case 'object':
        if (v === null || Array.isArray(v)) continue;
        tv = new TValue(T_TABLE, buildObject(L, v, depth + 1));
        break;
      default:
        continue;
    }
    n++;
    append(t, n, new TValue(T_NUMINT, n), tv);
  }
  return t;
}

/** Pushes `obj` as libsveltos `MapToTable(obj)` builds it (built directly, see `tstring`). */
export function pushObject(L: LuaState, obj: JsonObject): void {
  const t = buildObject(L, obj, 0);
  lua.lua_createtable(L, 0, 0);
  L.stack[L.top - 1].value = t;
}

/** Pushes a list of objects as libsveltos does for `resources` (`LTable.Append` of each). */
export function pushObjectList(L: LuaState, list: JsonObject[]): void {
  lua.lua_createtable(L, list.length, 0);
  list.forEach((o, i) => {
    pushObject(L, o);
    lua.lua_rawseti(L, -2, i + 1);
  });
}

/** Pushes a map identifier → object (Lua templates: `resources["<identifier>"]`). */
export function pushObjectMap(L: LuaState, map: Record<string, JsonObject>): void {
  lua.lua_createtable(L, 0, 0);
  for (const key of Object.keys(map)) {
    pushObject(L, map[key]);
    lua.lua_setfield(L, -2, luaKey(key));
  }
}

/** Pushes a plain JS value (used by module functions such as `json.decode`): arrays keep everything. */
export function pushPlain(L: LuaState, v: unknown): void {
  lua.lua_checkstack(L, 4);
  if (v === null || v === undefined) lua.lua_pushnil(L);
  else if (typeof v === 'number') lua.lua_pushnumber(L, v);
  else if (typeof v === 'string') pushJsString(L, v);
  else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
  else if (Array.isArray(v)) {
    lua.lua_createtable(L, v.length, 0);
    v.forEach((x, i) => {
      pushPlain(L, x);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof v === 'object') {
    lua.lua_createtable(L, 0, 0);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      pushPlain(L, x);
      lua.lua_setfield(L, -2, luaKey(k));
    }
  } else lua.lua_pushnil(L);
}

/** Why a Lua value cannot become JSON. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}

function keyString(L: LuaState, idx: number): string {
  switch (lua.lua_type(L, idx)) {
    case lua.LUA_TSTRING:
      return stringAt(L, idx);
    case lua.LUA_TNUMBER:
      return luaNumberToString(lua.lua_tonumber(L, idx));
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx) ? 'true' : 'false';
    default:
      throw new ConversionError(`a table key of type ${typeName(L, idx)} cannot become a JSON object key`);
  }
}

function typeName(L: LuaState, idx: number): string {
  return toJsString(lua.lua_typename(L, lua.lua_type(L, idx)));
}

/** libsveltos `ToGoValue` of the value at `idx`, as JSON. */
export function toJson(L: LuaState, idx: number, depth = 0): JsonValue {
  if (depth > 200) throw new ConversionError('the result nests tables more than 200 levels deep (a cycle?)');
  const abs = lua.lua_absindex(L, idx);
  lua.lua_checkstack(L, 4);
  switch (lua.lua_type(L, abs)) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return null;
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, abs);
    case lua.LUA_TNUMBER: {
      const n = lua.lua_tonumber(L, abs);
      if (!Number.isFinite(n)) throw new ConversionError(`the number ${luaNumberToString(n)} cannot be JSON`);
      return n;
    }
    case lua.LUA_TSTRING:
      return stringAt(L, abs);
    case lua.LUA_TTABLE: {
      const n = lua.lua_rawlen(L, abs);
      if (n === 0) {
        const out: JsonObject = {};
        lua.lua_pushnil(L);
        while (lua.lua_next(L, abs) !== 0) {
          setOwn(out, keyString(L, -2), toJson(L, -1, depth + 1));
          lua.lua_pop(L, 1);
        }
        return out;
      }
      const list: JsonValue[] = [];
      for (let i = 1; i <= n; i++) {
        lua.lua_rawgeti(L, abs, i);
        list.push(toJson(L, -1, depth + 1));
        lua.lua_pop(L, 1);
      }
      return list;
    }
    default:
      throw new ConversionError(`a ${typeName(L, abs)} value cannot become JSON`);
  }
}
