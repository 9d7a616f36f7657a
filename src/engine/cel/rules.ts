/**
 * A list of Sveltos `CELRule`s (`{name, rule}`): an object matches when any rule returns true;
 * rules run in order and stop at the first true. A rule that fails to compile or evaluate, or
 * returns a non-bool, counts as false and is reported to `onError` (Sveltos logs it).
 */
import type { CelInput } from '@bufbuild/cel';
import { largestCollection, toCelValue } from './convert.js';
import { CelRuleError } from './errors.js';
import { type CompiledCelRule, compileCelRule } from './rule.js';

export interface CelRuleSpec {
  name: string;
  rule: string;
}

export interface CompiledCelRules {
  /** True when any rule is true for `resource`. */
  matches(resource: unknown, onError?: (name: string, err: CelRuleError) => void): boolean;
  /** The rules that did not compile, with their errors. */
  readonly compileErrors: { name: string; error: CelRuleError }[];
}

export function compileCelRules(specs: CelRuleSpec[]): CompiledCelRules {
  const compiled: { name: string; rule: CompiledCelRule | null; error?: CelRuleError }[] = specs.map((s) => {
    try {
      return { name: s.name, rule: compileCelRule(s.rule) };
    } catch (err) {
      if (err instanceof CelRuleError) return { name: s.name, rule: null, error: err };
      throw err;
    }
  });
  return {
    compileErrors: compiled.filter((c) => c.error).map((c) => ({ name: c.name, error: c.error! })),
    matches(resource, onError) {
      let converted: CelInput | undefined;
      let largest = -1;
      const largestOf = () => (largest >= 0 ? largest : (largest = largestCollection(resource)));
      for (const c of compiled) {
        if (c.rule === null) {
          onError?.(c.name, c.error!);
          continue;
        }
        try {
          converted ??= toCelValue(resource);
          if (c.rule.evaluateConverted(converted, largestOf)) return true;
        } catch (err) {
          if (!(err instanceof CelRuleError)) throw err;
          onError?.(c.name, err);
        }
      }
      return false;
    },
  };
}
