import { FlotillaError } from '../../lib/errors.js';

/** Why a chart could not be fetched; callers decide retry (network, unavailable) vs terminal. */
export type ChartSourceErrorKind =
  | 'invalid-reference'
  | 'not-found'
  | 'version-not-found'
  | 'unauthorized'
  | 'tls'
  | 'network'
  | 'unavailable'
  | 'digest-mismatch'
  | 'bad-response';

/** A chart could not be resolved or downloaded. The message names the chart, version and URL. */
export class ChartSourceError extends FlotillaError {
  override readonly name = 'ChartSourceError';
  readonly kind: ChartSourceErrorKind;

  constructor(kind: ChartSourceErrorKind, message: string, options?: { cause?: unknown }) {
    super(`helm-source-${kind}`, message, options);
    this.kind = kind;
  }

  /** True when trying again later may succeed (network trouble, 5xx, 429). */
  get retriable(): boolean {
    return this.kind === 'network' || this.kind === 'unavailable';
  }
}
