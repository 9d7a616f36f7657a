import { FlotillaError } from '../../lib/errors.js';

/** Which step of an evaluation failed. */
export type LuaFailure =
  | 'compile' // the script does not parse
  | 'load' // running the script's top level failed
  | 'no-evaluate' // the script defines no global function evaluate
  | 'runtime' // evaluate raised an error
  | 'limit' // the instruction budget or the memory limit was exceeded
  | 'result'; // evaluate returned something the caller cannot use

/**
 * A Lua script failed. The message names the script, the step, the line when Lua reports one,
 * the cause and what to do.
 */
export class LuaScriptError extends FlotillaError {
  override readonly name = 'LuaScriptError';
  readonly failure: LuaFailure;
  readonly script: string;
  readonly line: number | undefined;
  /** The error as Lua reported it (e.g. `<string>:3: attempt to index a nil value`). */
  readonly luaMessage: string;

  constructor(failure: LuaFailure, script: string, luaMessage: string, options?: { cause?: unknown }) {
    const m = /^<string>:(\d+): ?/.exec(luaMessage);
    const line = m ? Number(m[1]) : undefined;
    const cause = m ? luaMessage.slice(m[0].length) : luaMessage;
    super(`lua-${failure}`, LuaScriptError.describe(failure, script, line, cause), options);
    this.failure = failure;
    this.script = script;
    this.line = line;
    this.luaMessage = luaMessage;
  }

  private static describe(
    failure: LuaFailure,
    script: string,
    line: number | undefined,
    cause: string,
  ): string {
    const at = line === undefined ? '' : ` at line ${line}`;
    switch (failure) {
      case 'compile':
        return `lua script ${script} does not compile${at}: ${cause}; fix the syntax`;
      case 'load':
        return `lua script ${script} failed while loading${at}: ${cause}; the top level must only define functions and values`;
      case 'no-evaluate':
        return `lua script ${script} defines no global function evaluate; define function evaluate() ... end`;
      case 'runtime':
        return `lua script ${script} failed${at}: ${cause}; fix the script or guard the failing access`;
      case 'limit':
        return `lua script ${script} stopped${at}: ${cause}; make the script do less work or raise the limit`;
      case 'result':
        return `lua script ${script} returned an unusable result: ${cause}`;
    }
  }
}
