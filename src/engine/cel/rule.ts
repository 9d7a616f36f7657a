/**
 * Sveltos CEL rules (`evaluateCEL`): libsveltos builds `cel.NewEnv(cel.Variable("resource",
 * cel.DynType))` with no extension library, compiles with type checking and requires a bool.
 */
import { type CelInput, CelScalar, celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { type CheckLimits, CheckError, checkExpr } from './check.js';
import { largestCollection, toCelValue } from './convert.js';
import { CelRuleError } from './errors.js';

export interface CompiledCelRule {
  readonly rule: string;
  /** Evaluates the rule against a Kubernetes object (plain JSON); throws CelRuleError. */
  evaluate(resource: unknown): boolean;
  /**
   * Same, for an object already converted with `toCelValue` (several rules, one conversion);
   * `largest` gives `largestCollection` of the object (called only for rules with comprehensions).
   */
  evaluateConverted(resource: CelInput, largest: () => number): boolean;
}

const env = celEnv({ variables: { resource: CelScalar.DYN } });

const DEFAULT_LIMITS: CheckLimits = { maxNodes: 2000, maxComprehensionDepth: 3 };

/**
 * Upper bound of comprehension iterations: (largest list or map in the object) ^ (nesting
 * depth). CEL has no other loops, so this bounds the time of one evaluation.
 */
export const MAX_ITERATIONS = 10_000_000;

/** Compiles `expr` once; the result evaluates many times. Throws CelRuleError on compile errors. */
export function compileCelRule(expr: string, limits: Partial<CheckLimits> = {}): CompiledCelRule {
  let run: (ctx: { resource: any }) => unknown;
  let depth = 0;
  try {
    const parsed: any = parse(expr);
    const { type, comprehensionDepth } = checkExpr(env, parsed, { ...DEFAULT_LIMITS, ...limits }, expr);
    depth = comprehensionDepth;
    if (type !== 'bool' && type !== 'dyn') {
      throw new CelRuleError('compile', expr, `the rule's type is ${type}, a rule must be a bool expression`);
    }
    run = plan(env, parsed) as any;
  } catch (err) {
    if (err instanceof CelRuleError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new CelRuleError('compile', expr, msg, { cause: err });
  }
  const rule: CompiledCelRule = {
    rule: expr,
    evaluate: (resource: unknown): boolean =>
      rule.evaluateConverted(toCelValue(resource), () => largestCollection(resource)),
    evaluateConverted(resource: CelInput, largestOf: () => number): boolean {
      const largest = depth > 0 ? largestOf() : 0;
      const iterations = largest ** depth;
      if (depth > 0 && iterations > MAX_ITERATIONS) {
        throw new CelRuleError(
          'evaluate',
          expr,
          `the object has a list or map of ${largest} entries and the rule nests ${depth} comprehensions (up to ${iterations} iterations, limit ${MAX_ITERATIONS})`,
        );
      }
      let out: unknown;
      try {
        out = run({ resource });
      } catch (err) {
        throw new CelRuleError('evaluate', expr, err instanceof Error ? err.message : String(err), {
          cause: err,
        });
      }
      if (isCelError(out)) throw new CelRuleError('evaluate', expr, (out as Error).message);
      if (typeof out !== 'boolean') throw new CelRuleError('result', expr, describe(out));
      return out;
    },
  };
  return rule;
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `int ${v}`;
  if (typeof v === 'number') return `double ${v}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return 'a map';
}

export { CheckError };
