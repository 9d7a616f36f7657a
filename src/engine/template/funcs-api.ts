/**
 * How template functions are declared and called.
 *
 * Go calls template functions by reflection: every argument is converted to the declared
 * parameter type, and a mismatch is an execution error. We reproduce that with a declared
 * signature per function:
 *
 * ```ts
 * const trunc = def('trunc', ['int', 'string'], (_ctx, n: number, s: string) => s.slice(0, n));
 * const list = def('list', ['...any'], (_ctx, ...xs: unknown[]) => xs);
 * ```
 *
 * Conversion rules (Go's `evalArg` / `validateType`):
 * - a number constant in the template converts to the parameter's numeric kind (`int` for
 *   `any`, or `float64` when written with `.`/`e`); a string constant only to `string`, etc.
 * - a runtime value must already have the parameter's Go type: an `int64` passed to an `int`
 *   parameter fails with `wrong type for value; expected int; got int64`.
 * - `nil` (and a missing key) becomes `null` for `any`, `[]` for slices, `{}` for `map`, and is
 *   an error for the other types (`invalid value; expected string`).
 * - `any` receives the value untouched (JS number, GoNumber, string, array, object, ...), except
 *   that a missing key arrives as `null`; `value` (Go's reflect.Value) receives it as `MISSING`.
 *
 * What `fn` receives: numeric parameters as JS `number` (an integer beyond 2^53 as `bigint`),
 * `string`, `boolean`, arrays, objects, and for `any`/`value` the raw Go value (see value.ts).
 * What `fn` returns: any Go value (see value.ts); `undefined` means nil. Throwing an error is
 * Go's second `error` result: execution stops with `error calling NAME: MESSAGE`. Throw a
 * {@link TemplateAbort} to stop with an error that must not be wrapped (limits, `fail`-like
 * aborts that already carry the full message).
 */

import type { NumberMode, ParamType } from './value.js';

export type { ParamType };

/** Services the host injects into a render; every one is optional. */
export interface Injected {
  /** Uniform random number in [0, 1) (sprig rand*, uuid, shuffle). */
  random?: () => number;
  /** Random bytes (crypto functions). */
  randomBytes?: (n: number) => Uint8Array;
  /** Current time in milliseconds since the epoch (sprig `now`, `ago`, ...). */
  now?: () => number;
  /** Helm `lookup apiVersion kind namespace name`; returns a map (empty when not found). */
  lookup?: (apiVersion: string, kind: string, namespace: string, name: string) => unknown;
  /** Sveltos `getResource NAME` (a MgmtResources entry). */
  getResource?: (name: string) => unknown;
  /** Anything else a function library wants to receive. */
  readonly [key: string]: unknown;
}

/** What the executor offers to functions that run templates (`include`, `tpl`). */
export interface TemplateRuntime {
  /** True when a template of that name is defined in the current set. */
  hasTemplate(name: string): boolean;
  /** Executes a named template of the current set with `data` as dot; counts toward the depth limit. */
  executeTemplate(name: string, data: unknown): string;
  /**
   * Parses `text` as a new template named `name` in a scratch copy of the current set (so its
   * `define`s do not leak) and executes it with `data`; counts toward the depth limit.
   */
  parseAndExecute(name: string, text: string, data: unknown): string;
}

/** The context passed to every function call. */
export interface FuncContext {
  /** How raw JS numbers are typed in this render. */
  readonly numbers: NumberMode;
  /** The template set being executed. */
  readonly runtime: TemplateRuntime;
  /** Injected services (random, time, lookup, getResource, ...). */
  readonly injected: Injected;
  /** Name of the template being executed (the one that contains the call). */
  readonly templateName: string;
}

/** A registered function. */
export interface FuncDef {
  readonly name: string;
  readonly params: readonly ParamType[];
  /** Type of the variadic tail, if the function is variadic (Go `...T`). */
  readonly variadic?: ParamType;
  readonly fn: (ctx: FuncContext, ...args: any[]) => unknown;
}

export type FuncMap = Record<string, FuncDef>;

/**
 * Declares a function. The last element of `params` may be written `'...T'` for a variadic
 * tail of type T.
 */
export function def(
  name: string,
  params: readonly (ParamType | `...${ParamType}`)[],
  fn: (ctx: FuncContext, ...args: any[]) => unknown,
): FuncDef {
  const fixed: ParamType[] = [];
  let variadic: ParamType | undefined;
  params.forEach((p, i) => {
    if (p.startsWith('...')) {
      if (i !== params.length - 1) throw new Error(`def ${name}: only the last parameter may be variadic`);
      variadic = p.slice(3) as ParamType;
    } else fixed.push(p as ParamType);
  });
  return variadic === undefined ? { name, params: fixed, fn } : { name, params: fixed, variadic, fn };
}

/**
 * An error that a function throws to stop execution with exactly this message (no
 * `error calling NAME:` prefix). The executor still adds the `template: NAME:LINE:COL:` location
 * unless `located` is true (the message already carries it, e.g. from a nested `include`).
 */
export class TemplateAbort extends Error {
  override readonly name = 'TemplateAbort';
  readonly code: string;
  readonly located: boolean;
  constructor(code: string, message: string, located = false, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.located = located;
  }
}
