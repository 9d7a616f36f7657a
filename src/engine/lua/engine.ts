/**
 * `LuaEngine`: compiles Sveltos Lua scripts once and evaluates them many times with gopher-lua
 * (Lua 5.1) behaviour, a sandboxed library, an instruction budget and memory guards.
 *
 * Two modes:
 * - `reuse` (default): one lua_State per engine; every evaluation runs in a fresh global
 *   environment copied from the template (see runtime.ts for what isolates evaluations).
 * - `fresh`: a new lua_State per evaluation, as Sveltos does (slower; for comparison).
 */
import { type JsonObject, type JsonValue, pushObject, pushObjectList, pushObjectMap } from './convert.js';
import { LuaRuntime } from './runtime.js';
import { type GuardLimits, type LuaState, lua } from './vm.js';

export interface LuaEngineOptions {
  mode?: 'reuse' | 'fresh';
  /** Lua VM instructions one evaluation may run (default 10,000,000, about a second). */
  instructionLimit?: number;
  /** Largest string an evaluation may create or use (default 16 MiB). */
  maxStringBytes?: number;
  /** Table entries a script may create in one evaluation (default 2,000,000; the input is not counted). */
  maxTableEntries?: number;
  /** Clock for `os.time`/`os.date`/`os.clock` (ms since the epoch). */
  now?: () => number;
  /** Receives `print` output. */
  log?: (line: string) => void;
}

export interface CompileOptions {
  /** Names the script in errors (e.g. `EventSource default/https-services`). */
  name?: string;
  /** Preload json, strings, runes, sprig and the helper globals (LoadModulesAndRegisterMethods). */
  modules?: boolean;
}

/** The inputs of one evaluation, as Sveltos passes them. */
export type LuaInput =
  | { kind: 'object'; obj: JsonObject; globals?: Record<string, Record<string, number>> }
  | { kind: 'resources'; resources: JsonObject[] }
  | { kind: 'resource-map'; resources: Record<string, JsonObject> }
  | { kind: 'none'; globals?: Record<string, Record<string, number>> };

export interface CompiledLuaScript {
  readonly name: string;
  /** Runs `evaluate` and returns its table converted as libsveltos ToGoValue does. */
  evaluate(input: LuaInput): JsonValue;
  /** Releases the compiled chunk. */
  dispose(): void;
}

function pushNumberMap(L: LuaState, m: Record<string, number>): void {
  pushObject(L, m);
}

function inputPusher(input: LuaInput) {
  return (L: LuaState, setGlobal: (name: string) => void): number => {
    switch (input.kind) {
      case 'object':
      case 'none':
        for (const [name, m] of Object.entries(input.globals ?? {})) {
          pushNumberMap(L, m);
          setGlobal(name);
        }
        if (input.kind === 'none') return 0;
        pushObject(L, input.obj);
        setAndKeep(L, setGlobal, 'obj');
        return 1;
      case 'resources':
        pushObjectList(L, input.resources);
        setAndKeep(L, setGlobal, 'resources');
        return 1;
      case 'resource-map':
        pushObjectMap(L, input.resources);
        setAndKeep(L, setGlobal, 'resources');
        return 1;
    }
  };
}

/** Sets the value on top as global `name` and leaves it on the stack as the argument. */
function setAndKeep(L: LuaState, setGlobal: (name: string) => void, name: string): void {
  lua.lua_pushvalue(L, -1);
  setGlobal(name);
}

export class LuaEngine {
  private readonly mode: 'reuse' | 'fresh';
  private readonly limits: GuardLimits;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private shared: LuaRuntime | null = null;

  constructor(opts: LuaEngineOptions = {}) {
    this.mode = opts.mode ?? 'reuse';
    this.limits = {
      instructionLimit: opts.instructionLimit ?? 10_000_000,
      maxStringBytes: opts.maxStringBytes ?? 16 * 1024 * 1024,
      maxTableEntries: opts.maxTableEntries ?? 2_000_000,
    };
    this.now = opts.now ?? (() => Date.now());
    this.log = opts.log ?? (() => {});
  }

  private newRuntime(): LuaRuntime {
    return new LuaRuntime({ now: this.now, log: this.log });
  }

  /** Compiles `source`; throws LuaScriptError (failure `compile`) with the line on a syntax error. */
  compile(source: string, opts: CompileOptions = {}): CompiledLuaScript {
    const name = opts.name ?? 'script';
    const modules = opts.modules ?? false;
    const limits = this.limits;
    if (this.mode === 'fresh') {
      // compile once to report syntax errors early; each evaluation compiles again in its own state
      const probe = this.newRuntime();
      try {
        probe.load(source, name);
      } finally {
        probe.close();
      }
      return {
        name,
        evaluate: (input) => {
          const rt = this.newRuntime();
          try {
            return rt.run(rt.load(source, name), name, modules, limits, inputPusher(input));
          } finally {
            rt.close();
          }
        },
        dispose: () => {},
      };
    }
    this.shared ??= this.newRuntime();
    const rt = this.shared;
    const ref = rt.load(source, name);
    let disposed = false;
    return {
      name,
      evaluate: (input) => {
        if (disposed) throw new Error(`lua script ${name} was disposed; compile it again`);
        return rt.run(ref, name, modules, limits, inputPusher(input));
      },
      dispose: () => {
        if (!disposed) rt.unload(ref);
        disposed = true;
      },
    };
  }

  /** Closes the shared lua_State; compiled scripts stop working. */
  close(): void {
    this.shared?.close();
    this.shared = null;
  }
}
