import { FlotillaError } from '../../lib/errors.js';

/** A CEL rule failed to compile, evaluate, or returned a non-boolean. */
export class CelRuleError extends FlotillaError {
  override readonly name = 'CelRuleError';
  readonly rule: string;
  readonly stage: 'compile' | 'evaluate' | 'result';

  constructor(
    stage: 'compile' | 'evaluate' | 'result',
    rule: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    const what =
      stage === 'compile'
        ? `does not compile: ${detail}; fix the expression`
        : stage === 'evaluate'
          ? `failed to evaluate: ${detail}; guard the access with has() or fix the rule`
          : `returned ${detail} instead of a bool; a rule must be a boolean expression`;
    super(`cel-${stage}`, `CEL rule "${rule}" ${what}`, options);
    this.rule = rule;
    this.stage = stage;
  }
}
