/**
 * Handles on fengari (Lua 5.3 in JS) plus the process-wide patches that give it gopher-lua
 * behaviour where Sveltos scripts notice it, and the in-process resource guard.
 *
 * fengari formats numbers and parses numerals in functions it reaches through its own module
 * objects (`lobject.luaO_tostring`, `lobject.luaO_str2num`), so replacing those two exports is
 * enough: no file of the package is modified. The guard hooks (`TValue.prototype.vslen`,
 * `ltable.luaH_setfrom`, `ltable.luaH_setint`) only act while an evaluation is running.
 */
import fengari from 'fengari';
import ldebug from 'fengari/src/ldebug.js';
import lobject from 'fengari/src/lobject.js';
import lstate from 'fengari/src/lstate.js';
import lstring from 'fengari/src/lstring.js';
import ltable from 'fengari/src/ltable.js';
import { luaNumberToString } from './number-format.js';

/** fengari internals, imported after the package's main module (its files require each other cyclically). */
export { lobject, lstring, ltable };

export const lua = fengari.lua;
export const lauxlib = fengari.lauxlib;
export const lualib = fengari.lualib;
export const toLuaString: (s: string) => Uint8Array = fengari.to_luastring;
export const toJsString: (s: Uint8Array) => string = (s) => fengari.to_jsstring(s, 0, s.length, true);

/** A lua_State handle (opaque). */
export type LuaState = any;

/** What the guard enforces while an evaluation runs. */
export interface GuardLimits {
  instructionLimit: number;
  maxStringBytes: number;
  maxTableEntries: number;
}

interface GuardState extends GuardLimits {
  L: LuaState | null;
  instructions: number;
  entries: number;
  /** Set once a limit is hit: pcall and coroutine.resume then re-raise instead of catching. */
  aborted: string | null;
  /** The coroutine being resumed, if any (errors must be raised on the running thread). */
  thread: LuaState | null;
}

/** The single active guard: evaluations are synchronous, so at most one runs at a time. */
export const guard: GuardState = {
  L: null,
  instructionLimit: 0,
  maxStringBytes: 0,
  maxTableEntries: 0,
  instructions: 0,
  entries: 0,
  aborted: null,
  thread: null,
};

export const HOOK_COUNT = 1000;

export function raise(L: LuaState, message: string): never {
  lauxlib.luaL_error(L, toLuaString(message.replace(/%/g, '%%')));
  throw new Error('unreachable: luaL_error returned');
}

/**
 * Raises a limit error at the running Lua function (its line is added) and marks the
 * evaluation as aborted. Safe to call from inside the VM (hooks, string and table internals).
 */
export function abort(message: string, thread?: LuaState): never {
  const main = guard.L;
  const L = thread ?? guard.thread ?? main;
  guard.L = null; // building the error message must not trip the guard again
  try {
    const where = location(L);
    if (guard.aborted === null) guard.aborted = where + message;
    // luaG_runerror prefixes the location itself when a Lua function is running
    const text = L.ci.callstatus & lstate.CIST_LUA ? message : guard.aborted;
    ldebug.luaG_runerror(L, toLuaString(text.replace(/%/g, '%%')));
  } finally {
    guard.L = main;
  }
  throw new Error('unreachable: luaG_runerror returned');
}

/** `source:line: ` of the innermost running Lua function, or ''. */
function location(L: LuaState): string {
  const ar = new lua.lua_Debug();
  for (let level = 0; level < 3 && lua.lua_getstack(L, level, ar); level++) {
    lua.lua_getinfo(L, toLuaString('Sl'), ar);
    if (ar.currentline > 0) return `${toJsString(ar.short_src)}:${ar.currentline}: `;
  }
  return '';
}

let installed = false;

function installPatches(): void {
  if (installed) return;
  installed = true;
  // gopher-lua prints every number as Go does; Lua 5.3 would print 5.0, 0.33333333333333, ...
  lobject.luaO_tostring = (L: LuaState, obj: any) => {
    obj.setsvalue(lstring.luaS_bless(L, toLuaString(luaNumberToString(obj.value))));
  };
  // Every gopher-lua number is a float64: numerals and coerced strings become floats, so the
  // 32-bit integer subtype of fengari (which wraps on overflow) is never created by scripts.
  const str2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: Uint8Array, o: any) => {
    const r = str2num(s, o);
    if (r !== 0 && o.ttisinteger()) o.setfltvalue(o.value);
    return r;
  };
  const proto = lobject.TValue.prototype;
  const vslen = proto.vslen;
  proto.vslen = function (this: any) {
    const n = vslen.call(this);
    if (guard.L !== null && n > guard.maxStringBytes) {
      abort(`lua script exceeded the memory limit: a string of ${n} bytes (limit ${guard.maxStringBytes})`);
    }
    return n;
  };
  const setfrom = ltable.luaH_setfrom;
  ltable.luaH_setfrom = (L: LuaState, t: any, key: any, value: any) => {
    const before = t.strong.size;
    setfrom(L, t, key, value);
    if (guard.L !== null && t.strong.size > before) countEntry();
  };
  const setint = ltable.luaH_setint;
  ltable.luaH_setint = (t: any, key: number, value: any) => {
    const before = t.strong.size;
    setint(t, key, value);
    if (guard.L !== null && t.strong.size > before) countEntry();
  };
}

function countEntry(): void {
  guard.entries++;
  if (guard.entries > guard.maxTableEntries) {
    abort(`lua script exceeded the memory limit: more than ${guard.maxTableEntries} table entries`);
  }
}

installPatches();

/** Pushes a JS string (UTF-8 encoded) with a small cache for repeated keys. */
const keyCache = new Map<string, Uint8Array>();
export function luaKey(s: string): Uint8Array {
  let k = keyCache.get(s);
  if (k === undefined) {
    k = toLuaString(s);
    if (keyCache.size < 20000) keyCache.set(s, k);
  }
  return k;
}

export function pushJsString(L: LuaState, s: string): void {
  lua.lua_pushstring(L, s.length < 64 ? luaKey(s) : toLuaString(s));
}

/** The string at stack index `i` as a JS string (invalid UTF-8 becomes U+FFFD). */
export function stringAt(L: LuaState, i: number): string {
  return toJsString(lua.lua_tolstring(L, i));
}
