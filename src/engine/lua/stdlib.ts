/**
 * The standard library a script sees: Lua 5.3 libraries of fengari reshaped into gopher-lua's
 * Lua 5.1 (number formatting, `tonumber`, `string.format`, patterns, 5.1 globals) and
 * sandboxed (no `io`, no files, no process control, no binary chunks, no `debug` beyond
 * `traceback`). Runs once per lua_State, on its global table, which is the template every
 * evaluation copies its environment from.
 */
import { stringFormat } from './go-format.js';
import { luaNumberToString } from './number-format.js';
import { openOs } from './os-lib.js';
import { PRELUDE } from './prelude.js';
import {
  abort,
  guard,
  type LuaState,
  lauxlib,
  lua,
  luaKey,
  lualib,
  raise,
  toJsString,
  toLuaString,
} from './vm.js';

type CFn = (L: LuaState) => number;

/** Registry keys used by the runtime. */
export const REG_ENV = luaKey('flotilla.env');
export const REG_LOADED = luaKey('flotilla.loaded');
export const REG_PRELOAD = luaKey('flotilla.preload');

function setFn(L: LuaState, table: number, name: string, fn: CFn | null): void {
  if (fn === null) lua.lua_pushnil(L);
  else lua.lua_pushcfunction(L, fn);
  lua.lua_setfield(L, table < 0 ? table - 1 : table, luaKey(name));
}

/** Wraps the function `name` of the table at `table` so that `pre` runs before it. */
function wrap(L: LuaState, table: number, name: string, pre: (L: LuaState) => void): void {
  lua.lua_getfield(L, table, luaKey(name));
  lua.lua_pushcclosure(
    L,
    (L: LuaState) => {
      pre(L);
      const n = lua.lua_gettop(L);
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
      lua.lua_insert(L, 1);
      lua.lua_call(L, n, lua.LUA_MULTRET);
      return lua.lua_gettop(L);
    },
    1,
  );
  lua.lua_setfield(L, table < 0 ? table - 1 : table, luaKey(name));
}

/** gopher-lua has no frontier pattern: `%f` is a plain `f` there. */
function rewriteFrontier(L: LuaState): void {
  if (lua.lua_type(L, 2) !== lua.LUA_TSTRING) return;
  const p: Uint8Array = lua.lua_tolstring(L, 2);
  if (p.indexOf(37) < 0) return;
  const out: number[] = [];
  let changed = false;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 37 && i + 1 < p.length) {
      if (p[i + 1] === 102) {
        out.push(102);
        changed = true;
      } else out.push(37, p[i + 1]);
      i++;
    } else out.push(p[i]);
  }
  if (!changed) return;
  lua.lua_pushstring(L, Uint8Array.from(out));
  lua.lua_replace(L, 2);
}

/** gopher-lua `tonumber`: decimal strings with a dot parse as floats, others as int64 in `base`. */
function tonumber(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  const noBase = lua.lua_isnoneornil(L, 2);
  let base = noBase ? 10 : lauxlib.luaL_checknumber(L, 2);
  const t = lua.lua_type(L, 1);
  if (t === lua.LUA_TNUMBER) {
    lua.lua_pushnumber(L, lua.lua_tonumber(L, 1));
    return 1;
  }
  if (t !== lua.LUA_TSTRING) {
    lua.lua_pushnil(L);
    return 1;
  }
  let s = toJsString(lua.lua_tolstring(L, 1)).replace(/^[ \n\t]+|[ \n\t]+$/g, '');
  let v: number | null = null;
  if (s.includes('.')) {
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) v = Number(s);
  } else {
    if (noBase && s.toLowerCase().startsWith('0x')) {
      base = 16;
      s = s.slice(2);
    }
    v = parseGoInt(s, base);
  }
  if (v === null) lua.lua_pushnil(L);
  else lua.lua_pushnumber(L, v);
  return 1;
}

function parseGoInt(s: string, base: number): number | null {
  if (!Number.isInteger(base) || base < 2 || base > 36) return null;
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  if (i >= s.length) return null;
  let v = 0n;
  const b = BigInt(base);
  for (; i < s.length; i++) {
    const d = Number.parseInt(s[i], 36);
    if (Number.isNaN(d) || d >= base) return null;
    v = v * b + BigInt(d);
  }
  if (neg) v = -v;
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) return null;
  return Number(v);
}

/**
 * `next` in gopher-lua order: the list part 1..#t in order, then the other keys. fengari's own
 * order follows insertion, and table constructors insert their list items last to first.
 */
export function orderedNext(L: LuaState): number {
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_settop(L, 2);
  const n = lua.lua_rawlen(L, 1);
  let i = -1;
  const kt = lua.lua_type(L, 2);
  if (kt === lua.LUA_TNIL) i = 0;
  else if (kt === lua.LUA_TNUMBER) {
    const k = lua.lua_tonumber(L, 2);
    if (Number.isInteger(k) && k >= 1 && k <= n) i = k;
  }
  if (i >= 0) {
    for (let j = i + 1; j <= n; j++) {
      if (lua.lua_rawgeti(L, 1, j) !== lua.LUA_TNIL) {
        lua.lua_pushnumber(L, j);
        lua.lua_insert(L, -2);
        return 2;
      }
      lua.lua_pop(L, 1);
    }
    lua.lua_pushnil(L);
    lua.lua_replace(L, 2);
  }
  while (lua.lua_next(L, 1) !== 0) {
    if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
      const k = lua.lua_tonumber(L, -2);
      if (Number.isInteger(k) && k >= 1 && k <= n) {
        lua.lua_pop(L, 1);
        continue;
      }
    }
    return 2;
  }
  lua.lua_pushnil(L);
  return 1;
}

function pairs(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lauxlib.luaL_getmetafield(L, 1, luaKey('__pairs')) !== lua.LUA_TNIL) {
    lua.lua_pushvalue(L, 1);
    lua.lua_call(L, 1, 3);
    return 3;
  }
  lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
  lua.lua_pushcfunction(L, orderedNext);
  lua.lua_pushvalue(L, 1);
  lua.lua_pushnil(L);
  return 3;
}

function tostring(L: LuaState): number {
  lauxlib.luaL_checkany(L, 1);
  if (lua.lua_type(L, 1) === lua.LUA_TNUMBER) {
    lua.lua_pushstring(L, toLuaString(luaNumberToString(lua.lua_tonumber(L, 1))));
  } else lauxlib.luaL_tolstring(L, 1);
  return 1;
}

/** `require` serves only the preloaded modules, one fresh module table per evaluation. */
function requireFn(L: LuaState): number {
  const name = lauxlib.luaL_checklstring(L, 1);
  lua.lua_settop(L, 1);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_LOADED); // 2
  lua.lua_pushvalue(L, 1);
  if (lua.lua_rawget(L, 2) !== lua.LUA_TNIL) return 1;
  lua.lua_pop(L, 1);
  lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_PRELOAD); // 3
  lua.lua_pushvalue(L, 1);
  if (lua.lua_rawget(L, 3) !== lua.LUA_TFUNCTION) {
    raise(L, `module '${toJsString(name)}' not found (only json, strings, runes and sprig can be required)`);
  }
  lua.lua_call(L, 0, 1);
  lua.lua_pushvalue(L, 1);
  lua.lua_pushvalue(L, -2);
  lua.lua_rawset(L, 2);
  return 1;
}

/** `load`/`loadstring`: text chunks only, and the caller's environment unless one is given. */
function loadWrapper(isLoadstring: boolean): CFn {
  return (L: LuaState) => {
    const n = lua.lua_gettop(L);
    lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
    lua.lua_pushvalue(L, 1);
    if (n >= 2) lua.lua_pushvalue(L, 2);
    else lua.lua_pushnil(L);
    lua.lua_pushliteral(L, 't');
    if (!isLoadstring && n >= 4) lua.lua_pushvalue(L, 4);
    else lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_ENV);
    lua.lua_call(L, 4, lua.LUA_MULTRET);
    return lua.lua_gettop(L) - n;
  };
}

/** Wraps `name` so that, once a limit was hit, catching the error (pcall, resume) re-raises it. */
function wrapNoCatch(L: LuaState, table: number, name: string): void {
  lua.lua_getfield(L, table, luaKey(name));
  const isResume = name === 'resume';
  lua.lua_pushcclosure(
    L,
    (L: LuaState) => {
      const n = lua.lua_gettop(L);
      const outer = guard.thread;
      if (isResume) guard.thread = lua.lua_tothread(L, 1);
      lua.lua_pushvalue(L, lua.lua_upvalueindex(1));
      lua.lua_insert(L, 1);
      try {
        lua.lua_call(L, n, lua.LUA_MULTRET);
      } finally {
        guard.thread = outer;
      }
      if (guard.aborted !== null && guard.L !== null) abort(guard.aborted, L);
      return lua.lua_gettop(L);
    },
    1,
  );
  lua.lua_setfield(L, table < 0 ? table - 1 : table, luaKey(name));
}

function checkRep(L: LuaState): void {
  const s = lauxlib.luaL_checklstring(L, 1);
  const n = lauxlib.luaL_checknumber(L, 2);
  const sep = lua.lua_isnoneornil(L, 3) ? 0 : lauxlib.luaL_checklstring(L, 3).length;
  const total = n > 0 ? n * (s.length + sep) : 0;
  if (guard.L !== null && total > guard.maxStringBytes) {
    abort(
      `lua script exceeded the memory limit: string.rep of ${total} bytes (limit ${guard.maxStringBytes})`,
    );
  }
}

function checkConcat(L: LuaState): void {
  if (guard.L === null || lua.lua_type(L, 1) !== lua.LUA_TTABLE) return;
  const sep = lua.lua_type(L, 2) === lua.LUA_TSTRING ? lua.lua_rawlen(L, 2) : 0;
  const last = lua.lua_isnoneornil(L, 4) ? lua.lua_rawlen(L, 1) : lauxlib.luaL_checknumber(L, 4);
  let total = 0;
  for (let i = lua.lua_isnoneornil(L, 3) ? 1 : lauxlib.luaL_checknumber(L, 3); i <= last; i++) {
    lua.lua_rawgeti(L, 1, i);
    total += (lua.lua_type(L, -1) === lua.LUA_TSTRING ? lua.lua_rawlen(L, -1) : 24) + sep;
    lua.lua_pop(L, 1);
    if (total > guard.maxStringBytes) {
      abort(`lua script exceeded the memory limit: table.concat of more than ${total} bytes`);
    }
  }
}

function numFn(f: (x: number, y: number) => number): CFn {
  return (L) => {
    lua.lua_pushnumber(L, f(lauxlib.luaL_checknumber(L, 1), lauxlib.luaL_optnumber(L, 2, 0)));
    return 1;
  };
}

function openLib(L: LuaState, name: string, open: CFn): void {
  lauxlib.luaL_requiref(L, toLuaString(name), open, 1);
  lua.lua_pop(L, 1);
}

export interface StdlibOptions {
  now: () => number;
  log: (line: string) => void;
}

/** Opens and reshapes the libraries on the state's global table. */
export function openStdlib(L: LuaState, opts: StdlibOptions): void {
  openLib(L, '_G', lualib.luaopen_base);
  openLib(L, 'table', lualib.luaopen_table);
  openLib(L, 'string', lualib.luaopen_string);
  openLib(L, 'math', lualib.luaopen_math);
  openLib(L, 'coroutine', lualib.luaopen_coroutine);
  openLib(L, 'debug', lualib.luaopen_debug);
  lua.lua_pushglobaltable(L);
  const G = lua.lua_gettop(L);

  // base
  setFn(L, G, 'dofile', null);
  setFn(L, G, 'loadfile', null);
  setFn(L, G, 'tostring', tostring);
  setFn(L, G, 'next', orderedNext);
  setFn(L, G, 'pairs', pairs);
  setFn(L, G, 'tonumber', tonumber);
  setFn(L, G, 'require', requireFn);
  setFn(L, G, 'print', (L) => {
    const parts: string[] = [];
    for (let i = 1; i <= lua.lua_gettop(L); i++) {
      if (lua.lua_type(L, i) === lua.LUA_TNUMBER) parts.push(luaNumberToString(lua.lua_tonumber(L, i)));
      else {
        parts.push(toJsString(lauxlib.luaL_tolstring(L, i)));
        lua.lua_pop(L, 1);
      }
    }
    opts.log(parts.join('\t'));
    return 0;
  });
  lua.lua_getfield(L, G, luaKey('load'));
  lua.lua_pushvalue(L, -1);
  lua.lua_pushcclosure(L, loadWrapper(false), 1);
  lua.lua_setfield(L, G, luaKey('load'));
  lua.lua_pushcclosure(L, loadWrapper(true), 1);
  lua.lua_setfield(L, G, luaKey('loadstring'));
  wrapNoCatch(L, G, 'pcall');
  wrapNoCatch(L, G, 'xpcall');
  lua.lua_getfield(L, G, luaKey('coroutine'));
  wrapNoCatch(L, -1, 'resume');
  lua.lua_pop(L, 1);
  lua.lua_pushliteral(L, 'Lua 5.1');
  lua.lua_setfield(L, G, luaKey('_VERSION'));

  // table
  lua.lua_getfield(L, G, luaKey('table'));
  lua.lua_getfield(L, -1, luaKey('unpack'));
  lua.lua_setfield(L, G, luaKey('unpack'));
  setFn(L, -1, 'unpack', null);
  setFn(L, -1, 'move', null);
  setFn(L, -1, 'getn', (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    lua.lua_pushnumber(L, lua.lua_rawlen(L, 1));
    return 1;
  });
  setFn(L, -1, 'maxn', (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
    let max = 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, 1) !== 0) {
      lua.lua_pop(L, 1);
      if (lua.lua_type(L, -1) === lua.LUA_TNUMBER) max = Math.max(max, lua.lua_tonumber(L, -1));
    }
    lua.lua_pushnumber(L, max);
    return 1;
  });
  wrap(L, -1, 'concat', checkConcat);
  lua.lua_pop(L, 1);

  // string
  lua.lua_getfield(L, G, luaKey('string'));
  setFn(L, -1, 'dump', null);
  setFn(L, -1, 'pack', null);
  setFn(L, -1, 'packsize', null);
  setFn(L, -1, 'unpack', null);
  setFn(L, -1, 'format', stringFormat);
  wrap(L, -1, 'rep', checkRep);
  for (const name of ['find', 'match', 'gmatch', 'gsub']) wrap(L, -1, name, rewriteFrontier);
  lua.lua_pop(L, 1);
  // The string metatable is shared by every evaluation: hide it from getmetatable.
  lua.lua_pushliteral(L, '');
  lua.lua_getmetatable(L, -1);
  lua.lua_pushboolean(L, false);
  lua.lua_setfield(L, -2, luaKey('__metatable'));
  lua.lua_pop(L, 2);

  // math: every number is a float64, math.huge is Go's MaxFloat64 in gopher-lua
  lua.lua_getfield(L, G, luaKey('math'));
  for (const name of ['type', 'tointeger', 'ult', 'maxinteger', 'mininteger']) setFn(L, -1, name, null);
  lua.lua_pushnumber(L, Number.MAX_VALUE);
  lua.lua_setfield(L, -2, luaKey('huge'));
  setFn(L, -1, 'floor', numFn(Math.floor));
  setFn(L, -1, 'ceil', numFn(Math.ceil));
  setFn(L, -1, 'pow', numFn(Math.pow));
  setFn(
    L,
    -1,
    'mod',
    numFn((x, y) => x % y),
  );
  setFn(
    L,
    -1,
    'fmod',
    numFn((x, y) => x % y),
  );
  setFn(L, -1, 'log10', numFn(Math.log10));
  setFn(L, -1, 'cosh', numFn(Math.cosh));
  setFn(L, -1, 'sinh', numFn(Math.sinh));
  setFn(L, -1, 'tanh', numFn(Math.tanh));
  setFn(
    L,
    -1,
    'ldexp',
    numFn((m, e) => m * 2 ** e),
  );
  lua.lua_pop(L, 1);

  // os
  openOs(L, opts.now);
  lua.lua_setfield(L, G, luaKey('os'));

  // Lua-written 5.1 compatibility (gmatch, setfenv, getfenv, module), run with the full debug
  // library, which is then reduced to traceback.
  if (lauxlib.luaL_loadbufferx(L, toLuaString(PRELUDE), PRELUDE.length, toLuaString('=prelude'), 't') !== 0) {
    throw new Error(`lua prelude failed to compile: ${toJsString(lua.lua_tolstring(L, -1))}`);
  }
  lua.lua_pushcfunction(L, (L: LuaState) => {
    lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_ENV);
    return 1;
  });
  lua.lua_call(L, 1, 0);
  lua.lua_getfield(L, G, luaKey('debug'));
  lua.lua_createtable(L, 0, 1);
  lua.lua_getfield(L, -2, luaKey('traceback'));
  lua.lua_setfield(L, -2, luaKey('traceback'));
  lua.lua_setfield(L, G, luaKey('debug'));
  lua.lua_pop(L, 1);

  lua.lua_newtable(L);
  lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_PRELOAD);
  lua.lua_pop(L, 1);
}
