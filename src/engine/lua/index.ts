/** Public surface of the Lua engine. */
export type { JsonObject, JsonValue } from './convert.js';
export {
  type CompiledLuaScript,
  type CompileOptions,
  LuaEngine,
  type LuaEngineOptions,
  type LuaInput,
} from './engine.js';
export { type LuaFailure, LuaScriptError } from './errors.js';
export { type LuaJob, type LuaJobAnswer, LuaJobRunner } from './job.js';
export * from './protocols.js';
