import { FlotillaError } from '../../lib/errors.js';

/**
 * A chart could not be rendered: bad values (`helm.schema`), a template error (`helm.template`,
 * message names chart, version, template file, line and column), a bad manifest
 * (`helm.manifest`), or a dependency problem (`helm.dependency`).
 */
export class HelmRenderError extends FlotillaError {
  override readonly name = 'HelmRenderError';
}
