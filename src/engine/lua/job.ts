/**
 * Serializable evaluation jobs, for running the engine somewhere else (a worker thread): the
 * job carries the script text and the input, the answer carries the result or the error.
 */
import type { JsonValue } from './convert.js';
import { type CompiledLuaScript, LuaEngine, type LuaEngineOptions, type LuaInput } from './engine.js';
import { LuaScriptError } from './errors.js';

export interface LuaJob {
  source: string;
  name: string;
  modules: boolean;
  input: LuaInput;
}

export type LuaJobAnswer =
  | { ok: true; value: JsonValue }
  | { ok: false; failure: string; message: string; line?: number; luaMessage?: string };

/** Evaluates jobs with one engine, keeping the last compiled scripts. */
export class LuaJobRunner {
  private readonly engine: LuaEngine;
  private readonly cache = new Map<string, CompiledLuaScript>();

  constructor(opts: LuaEngineOptions = {}) {
    this.engine = new LuaEngine(opts);
  }

  run(job: LuaJob): LuaJobAnswer {
    try {
      const key = `${job.modules ? 'm' : '-'}:${job.name}:${job.source}`;
      let script = this.cache.get(key);
      if (script === undefined) {
        script = this.engine.compile(job.source, { name: job.name, modules: job.modules });
        if (this.cache.size >= 256) {
          const [oldKey, old] = this.cache.entries().next().value as [string, CompiledLuaScript];
          old.dispose();
          this.cache.delete(oldKey);
        }
        this.cache.set(key, script);
      }
      return { ok: true, value: script.evaluate(job.input) };
    } catch (err) {
      if (err instanceof LuaScriptError) {
        return {
          ok: false,
          failure: err.failure,
          message: err.message,
          line: err.line,
          luaMessage: err.luaMessage,
        };
      }
      return { ok: false, failure: 'internal', message: err instanceof Error ? err.message : String(err) };
    }
  }
}
