import { FlotillaError } from '../../lib/errors.js';
import type { SelectorFieldError } from './validation.js';

/**
 * A label or field selector that cannot be parsed or is invalid. `message` is worded as
 * kube-apiserver words it (the API server returns it as a 400 BadRequest message unchanged);
 * `causes` carries field paths when the selector came from an object (`metav1.LabelSelector`).
 */
export class SelectorError extends FlotillaError {
  override readonly name = 'SelectorError';
  readonly causes: SelectorFieldError[];

  constructor(message: string, causes: SelectorFieldError[] = [], options?: { cause?: unknown }) {
    super('selector-invalid', message, options);
    this.causes = causes;
  }
}
