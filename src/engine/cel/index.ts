/** Public surface of the CEL evaluator (Sveltos `evaluateCEL` rules). */
export { largestCollection, toCelValue } from './convert.js';
export { CelRuleError } from './errors.js';
export { type CompiledCelRule, compileCelRule } from './rule.js';
export { type CelRuleSpec, type CompiledCelRules, compileCelRules } from './rules.js';
