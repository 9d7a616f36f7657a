/** The `json` module of projectsveltos/lua-utils (encode, decode, toYAML, fromYAML). */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { pushPlain } from '../convert.js';
import { goShortestG } from '../number-format.js';
import { type LuaState, lua, stringAt, toJsString } from '../vm.js';
import { checkString, type LuaFn, pushNilError, pushString } from './lua-api.js';

class EncodeError extends Error {}

/** Go json.Marshal escapes <, > and & (HTML-safe) and the JS line separators. */
function quoteJson(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

function goJsonNumber(n: number): string {
  if (!Number.isFinite(n))
    throw new EncodeError(`json: unsupported value: ${n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN'}`);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) {
    return goShortestG(n).replace(/e([+-])0(\d)$/, 'e$1$2');
  }
  return String(n);
}

/** JSON text of the Lua value at `idx`, following lua-utils' rules (empty table = `[]`). */
export function encodeJson(L: LuaState, idx: number, visited: Set<unknown> = new Set()): string {
  const abs = lua.lua_absindex(L, idx);
  lua.lua_checkstack(L, 4);
  switch (lua.lua_type(L, abs)) {
    case lua.LUA_TNIL:
      return 'null';
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, abs) ? 'true' : 'false';
    case lua.LUA_TNUMBER:
      return goJsonNumber(lua.lua_tonumber(L, abs));
    case lua.LUA_TSTRING:
      return quoteJson(stringAt(L, abs));
    case lua.LUA_TTABLE: {
      const ptr = lua.lua_topointer(L, abs);
      if (visited.has(ptr)) throw new EncodeError('cannot encode recursively nested tables to JSON');
      visited.add(ptr);
      const entries: [string | number, string][] = [];
      let kind: 'none' | 'array' | 'object' = 'none';
      lua.lua_pushnil(L);
      while (lua.lua_next(L, abs) !== 0) {
        const kt = lua.lua_type(L, -2);
        const k = kt === lua.LUA_TNUMBER ? 'array' : kt === lua.LUA_TSTRING ? 'object' : 'invalid';
        if (k === 'invalid' || (kind !== 'none' && k !== kind)) {
          lua.lua_pop(L, 2);
          throw new EncodeError('cannot encode mixed or invalid key types');
        }
        kind = k;
        const key = k === 'array' ? lua.lua_tonumber(L, -2) : stringAt(L, -2);
        entries.push([key, encodeJson(L, -1, visited)]);
        lua.lua_pop(L, 1);
      }
      visited.delete(ptr);
      if (kind === 'none') return '[]';
      if (kind === 'array') {
        entries.sort((a, b) => (a[0] as number) - (b[0] as number));
        entries.forEach(([k], i) => {
          if (k !== i + 1) throw new EncodeError('cannot encode sparse array');
        });
        return '[' + entries.map((e) => e[1]).join(',') + ']';
      }
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return '{' + entries.map(([k, v]) => quoteJson(k as string) + ':' + v).join(',') + '}';
    }
    default:
      throw new EncodeError(`cannot encode ${toJsString(lua.lua_typename(L, lua.lua_type(L, abs)))} to JSON`);
  }
}

/** Go's sigs.k8s.io/yaml JSONToYAML output style: sorted keys, sequences not indented. */
export function jsonToYaml(value: unknown): string {
  return stringifyYaml(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}

function guarded(L: LuaState, f: () => number): number {
  try {
    return f();
  } catch (err) {
    if (
      err instanceof EncodeError ||
      err instanceof SyntaxError ||
      (err instanceof Error && err.name === 'YAMLParseError')
    ) {
      return pushNilError(L, err.message);
    }
    throw err;
  }
}

export const jsonModule: Record<string, LuaFn> = {
  encode: (L) => {
    lua.lua_settop(L, 1);
    return guarded(L, () => pushString(L, encodeJson(L, 1)));
  },
  decode: (L) => {
    const s = checkString(L, 1);
    return guarded(L, () => {
      pushPlain(L, JSON.parse(s));
      return 1;
    });
  },
  toYAML: (L) => {
    lua.lua_settop(L, 1);
    return guarded(L, () => pushString(L, jsonToYaml(JSON.parse(encodeJson(L, 1)))));
  },
  fromYAML: (L) => {
    const s = checkString(L, 1);
    return guarded(L, () => {
      pushPlain(L, JSON.parse(JSON.stringify(parseYaml(s) ?? null)));
      return 1;
    });
  },
};
