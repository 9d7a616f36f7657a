/**
 * Base class of every flotilla error. `code` is a stable machine-readable identifier,
 * `message` says what failed, where (object, cluster, field, line) and what to do.
 */
export class FlotillaError extends Error {
  override readonly name: string = 'FlotillaError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Bad input from a user (flags, files, request bodies). CLI commands exit 2 on it. */
export class UsageError extends FlotillaError {
  override readonly name = 'UsageError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
  }
}

/**
 * A failure whose message the command has already written to stderr in its own format (e.g. Go's
 * `template: NAME:LINE:COL: ...`); the CLI exits 1 without printing anything more.
 */
export class ReportedError extends FlotillaError {
  override readonly name = 'ReportedError';

  constructor(cause: unknown) {
    super('reported', errorMessage(cause), { cause });
  }
}

/** Returns the message of anything thrown, following `cause` chains once. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
