import { FlotillaError } from '../../lib/errors.js';

/** A chart could not be read: missing files, bad archive, unreadable YAML. */
export class ChartLoadError extends FlotillaError {
  override readonly name = 'ChartLoadError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('helm-chart-load', message, options);
  }
}

/** Chart.yaml (or a dependency entry) breaks Helm's rules; `field` is its Chart.yaml path. */
export class ChartValidationError extends FlotillaError {
  override readonly name = 'ChartValidationError';
  readonly chart: string;
  readonly field: string;

  constructor(chart: string, field: string, message: string, options?: { cause?: unknown }) {
    super('helm-chart-invalid', message, options);
    this.chart = chart;
    this.field = field;
  }
}
