import { FlotillaError } from '../../lib/errors.js';

/**
 * A kustomization that cannot be built. The message names the kustomization file (path inside the
 * tree) and the field, and says what to change.
 */
export class KustomizeError extends FlotillaError {
  override readonly name = 'KustomizeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('kustomize', message, options);
  }
}
