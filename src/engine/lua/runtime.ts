/**
 * One lua_State with the reshaped standard library, able to load scripts and run evaluations.
 * Each evaluation gets a fresh global environment (a copy of the template: library tables are
 * copied too, so a script that changes `string.format` or a global changes nothing for the
 * next evaluation), fresh input tables, a fresh `require` cache and a fresh resource budget.
 */
import { type JsonValue, toJson, ConversionError } from './convert.js';
import { LuaScriptError } from './errors.js';
import { pushCloneTwoLevels } from './table-clone.js';
import { openModules } from './modules/index.js';
import { openStdlib, REG_ENV, REG_LOADED, REG_PRELOAD } from './stdlib.js';
import {
  abort,
  type GuardLimits,
  guard,
  HOOK_COUNT,
  type LuaState,
  lauxlib,
  lua,
  luaKey,
  stringAt,
  toJsString,
  toLuaString,
} from './vm.js';

export interface RuntimeOptions {
  now: () => number;
  log: (line: string) => void;
}

/** Pushes the input values of one evaluation; returns how many arguments evaluate gets (0 or 1). */
export type InputPusher = (L: LuaState, setGlobal: (name: string) => void) => number;

const G_KEY = luaKey('_G');
const PACKAGE_KEY = luaKey('package');
const EVALUATE_KEY = luaKey('evaluate');

function typeOf(L: LuaState, idx: number): string {
  return toJsString(lua.lua_typename(L, lua.lua_type(L, idx)));
}

function errorText(L: LuaState, idx: number): string {
  const t = lua.lua_type(L, idx);
  if (t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER) return stringAt(L, idx);
  return `(error object is a ${typeOf(L, idx)} value)`;
}

const REG_PRELOAD_ALL = luaKey('flotilla.preload.all');
const REG_PRELOAD_NONE = luaKey('flotilla.preload.none');

export class LuaRuntime {
  private readonly L: LuaState;
  private closed = false;

  constructor(opts: RuntimeOptions) {
    const L = lauxlib.luaL_newstate();
    this.L = L;
    openStdlib(L, opts);
    // A JS exception inside the VM (e.g. RangeError) becomes a Lua error carrying its message.
    lua.lua_atnativeerror(L, (L: LuaState) => {
      const e = lua.lua_touserdata(L, 1);
      lua.lua_pushstring(L, toLuaString(`internal error: ${e instanceof Error ? e.message : String(e)}`));
      return 1;
    });
    lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, REG_PRELOAD);
    openModules(L, lua.lua_gettop(L));
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_PRELOAD_ALL);
    lua.lua_newtable(L);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_PRELOAD_NONE);
    lua.lua_sethook(
      L,
      (L: LuaState) => {
        if (guard.L === null) return;
        guard.instructions += HOOK_COUNT;
        if (guard.instructions > guard.instructionLimit)
          abort(`lua script exceeded ${guard.instructionLimit} instructions`, L);
      },
      lua.LUA_MASKCOUNT,
      HOOK_COUNT,
    );
  }

  /** Compiles `source`; returns a registry reference to the chunk. */
  load(source: string, scriptName: string): number {
    const L = this.L;
    const buf = toLuaString(source);
    if (lauxlib.luaL_loadbufferx(L, buf, buf.length, toLuaString('=<string>'), 't') !== 0) {
      const msg = stringAt(L, -1);
      lua.lua_settop(L, 0);
      throw new LuaScriptError('compile', scriptName, msg);
    }
    return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }

  unload(ref: number): void {
    if (!this.closed) lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, ref);
  }

  /** Copies the template environment into a new table left on the stack. */
  private pushFreshEnv(modules: boolean): void {
    const L = this.L;
    lua.lua_pushglobaltable(L);
    pushCloneTwoLevels(L, -1);
    lua.lua_remove(L, -2);
    const env = lua.lua_gettop(L);
    lua.lua_pushvalue(L, env);
    lua.lua_setfield(L, env, G_KEY);
    // package.loaded is this evaluation's require cache
    lua.lua_createtable(L, 0, 1);
    lua.lua_newtable(L);
    lua.lua_pushvalue(L, -1);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_LOADED);
    lua.lua_setfield(L, -2, luaKey('loaded'));
    lua.lua_setfield(L, env, PACKAGE_KEY);
    if (!modules) {
      for (const name of ['base64Encode', 'base64Decode', 'getLabel', 'getAnnotation', 'getResource']) {
        lua.lua_pushnil(L);
        lua.lua_setfield(L, env, luaKey(name));
      }
    }
    lua.lua_pushvalue(L, env);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_ENV);
  }

  /**
   * Runs the chunk `ref` in a fresh environment, sets the inputs, calls `evaluate` and returns
   * its result converted as libsveltos `ToGoValue` does; the result must be a table.
   */
  run(ref: number, scriptName: string, modules: boolean, limits: GuardLimits, input: InputPusher): JsonValue {
    const L = this.L;
    if (this.closed) throw new Error(`lua runtime is closed; cannot run ${scriptName}`);
    lua.lua_settop(L, 0);
    guard.L = L;
    guard.instructionLimit = limits.instructionLimit;
    guard.maxStringBytes = limits.maxStringBytes;
    guard.maxTableEntries = limits.maxTableEntries;
    guard.instructions = 0;
    guard.entries = 0;
    guard.aborted = null;
    guard.thread = null;
    try {
      this.preload(modules);
      this.pushFreshEnv(modules); // 1
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
      lua.lua_pushvalue(L, 1);
      lua.lua_setupvalue(L, -2, 1);
      if (lua.lua_pcall(L, 0, 0, 0) !== 0) throw this.failure('load', scriptName);
      const nargs = input(L, (name) => lua.lua_setfield(L, 1, luaKey(name)));
      // stack: env, [arg]
      lua.lua_getfield(L, 1, EVALUATE_KEY);
      if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) {
        throw new LuaScriptError('no-evaluate', scriptName, 'attempt to call a non-function object');
      }
      if (nargs === 1) lua.lua_insert(L, -2);
      if (lua.lua_pcall(L, nargs, 1, 0) !== 0) throw this.failure('runtime', scriptName);
      if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
        const t = lua.lua_type(L, -1);
        const what = t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? ` ${stringAt(L, -1)}` : '';
        throw new LuaScriptError(
          'result',
          scriptName,
          `evaluate must return a table, got ${typeOf(L, -1)}${what}`,
        );
      }
      guard.L = null;
      try {
        return toJson(L, -1);
      } catch (err) {
        if (err instanceof ConversionError) throw new LuaScriptError('result', scriptName, err.message);
        throw err;
      }
    } finally {
      guard.L = null;
      lua.lua_settop(L, 0);
    }
  }

  /** Without modules (as Sveltos' agent), `require` finds nothing. */
  private preload(modules: boolean): void {
    const L = this.L;
    lua.lua_getfield(L, lua.LUA_REGISTRYINDEX, modules ? REG_PRELOAD_ALL : REG_PRELOAD_NONE);
    lua.lua_setfield(L, lua.LUA_REGISTRYINDEX, REG_PRELOAD);
  }

  private failure(step: 'load' | 'runtime', scriptName: string): LuaScriptError {
    const L = this.L;
    const msg = errorText(L, -1);
    const limit = guard.aborted !== null;
    return new LuaScriptError(limit ? 'limit' : step, scriptName, msg);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    lua.lua_close(this.L);
  }
}
