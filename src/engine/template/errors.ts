import { FlotillaError } from '../../lib/errors.js';

/** Codes of {@link TemplateError}. */
export type TemplateErrorCode = 'template.parse' | 'template.exec' | 'template.limit' | 'template.undefined';

/**
 * A template failure. `message` is Go's text (`template: NAME:LINE:COL: executing "NAME" at
 * <.X>: ...` for execution errors, `template: NAME:LINE: ...` for parse errors) so that users
 * see what Sveltos/Helm would print. `line`/`col` are 0 when unknown.
 */
export class TemplateError extends FlotillaError {
  override readonly name = 'TemplateError';
  constructor(
    code: TemplateErrorCode,
    message: string,
    readonly templateName: string,
    readonly line = 0,
    readonly col = 0,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
