import { FlotillaError } from '../../lib/errors.js';

/** A release record could not be read or written (`helm.release.*`). */
export class ReleaseStorageError extends FlotillaError {
  override readonly name = 'ReleaseStorageError';
}
