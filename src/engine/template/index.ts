/**
 * Go text/template for flotilla: a faithful port of Go 1.23's text/template (lexer, parser,
 * executor, builtins, fmt) over a Go-like value model.
 *
 * ```ts
 * const set = new TemplateSet({ funcs: sveltosFuncs(), option: 'missingkey=error', numbers: 'int64' });
 * set.parse('deploy', text);            // parse once (throws TemplateError code template.parse)
 * const out = set.execute('deploy', data, { injected: { getResource } }); // render many
 * ```
 *
 * - Values: see value.ts (strings, booleans, null, plain objects as maps, arrays, numbers typed
 *   by the `numbers` mode, GoNumber for explicit Go kinds, host objects for Helm's `.Files` etc.).
 * - Functions: see funcs-api.ts (`def(name, params, fn)`, FuncContext with `runtime` for
 *   `include`/`tpl`).
 * - Errors: TemplateError with Go's message (`template: NAME:LINE:COL: executing ...`).
 * - Bounds: `limits` { maxDepth (template/include nesting, default 1000), maxOutput, maxSteps }.
 */

export { TemplateError, type TemplateErrorCode } from './errors.js';
export { DEFAULT_LIMITS, type Limits, type MissingKey } from './exec-state.js';
export { formatValue, sprint, sprintf, sprintln } from './fmt.js';
export {
  def,
  type FuncContext,
  type FuncDef,
  type FuncMap,
  type Injected,
  type ParamType,
  TemplateAbort,
  type TemplateRuntime,
} from './funcs-api.js';
export { type ExecuteOptions, TemplateSet, type TemplateSetOptions } from './template-set.js';
export * from './value.js';

/** Removes every `<no value>` from Helm output (Helm runs with missingkey=zero, then strips it). */
export function stripNoValue(out: string): string {
  return out.replaceAll('<no value>', '');
}
