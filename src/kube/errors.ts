import { FlotillaError } from '../lib/errors.js';

/** A Kubernetes `Status` object, as returned in error bodies and watch ERROR events. */
export interface KubeStatus {
  kind?: 'Status';
  apiVersion?: string;
  status?: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code?: number;
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** Where a failing request went: named in every error message. */
export interface RequestContext {
  cluster: string;
  /** The verb, e.g. `get`, `list`, `apply`. */
  verb: string;
  /** The object or type addressed, e.g. `v1 ConfigMap default/cm`. */
  target: string;
}

/**
 * Base class of API failures. `code` is the Status reason (`NotFound`, `Conflict`, ...) and
 * `httpStatus` the HTTP code. Subclasses exist per reason so callers can use `instanceof`.
 */
export class KubeError extends FlotillaError {
  override readonly name: string = 'KubeError';
  readonly httpStatus: number;
  readonly cluster: string;
  readonly status: KubeStatus | undefined;
  /** Whether trying the same request again later may succeed. The work queue uses it. */
  readonly retryable: boolean;

  constructor(
    code: string,
    ctx: RequestContext,
    httpStatus: number,
    status: KubeStatus | undefined,
    hint: string,
    retryable: boolean,
    options?: { cause?: unknown },
  ) {
    const server = status?.message ? `: ${status.message}` : '';
    super(
      code,
      `${code}: ${ctx.verb} ${ctx.target} in cluster "${ctx.cluster}" failed (HTTP ${httpStatus})${server}${hint ? `. ${hint}` : ''}`,
      options,
    );
    this.httpStatus = httpStatus;
    this.cluster = ctx.cluster;
    this.status = status;
    this.retryable = retryable;
  }
}

type Ctor = new (
  ctx: RequestContext,
  httpStatus: number,
  status?: KubeStatus,
  options?: { cause?: unknown },
) => KubeError;

function kind(code: string, hint: string, retryable: boolean, className: string): Ctor {
  const C = class extends KubeError {
    override readonly name = className;
    constructor(ctx: RequestContext, httpStatus: number, status?: KubeStatus, options?: { cause?: unknown }) {
      super(code, ctx, httpStatus, status, hint, retryable, options);
    }
  };
  Object.defineProperty(C, 'name', { value: className });
  return C;
}

export const NotFoundError = kind(
  'NotFound',
  'Check the name, namespace and that the kind is installed',
  false,
  'NotFoundError',
);
export type NotFoundError = InstanceType<typeof NotFoundError>;
export const AlreadyExistsError = kind(
  'AlreadyExists',
  'Get and update the existing object, or use apply',
  false,
  'AlreadyExistsError',
);
export type AlreadyExistsError = InstanceType<typeof AlreadyExistsError>;
export const ConflictError = kind(
  'Conflict',
  'The object changed since it was read (or another field manager owns the fields): read it again and retry',
  true,
  'ConflictError',
);
export type ConflictError = InstanceType<typeof ConflictError>;
export const ForbiddenError = kind(
  'Forbidden',
  "Grant the kubeconfig's user the missing RBAC permission",
  false,
  'ForbiddenError',
);
export type ForbiddenError = InstanceType<typeof ForbiddenError>;
export const UnauthorizedError = kind(
  'Unauthorized',
  'The credentials were rejected: refresh the kubeconfig token or certificate',
  false,
  'UnauthorizedError',
);
export type UnauthorizedError = InstanceType<typeof UnauthorizedError>;
export const GoneError = kind(
  'Gone',
  'The resourceVersion is too old: list again and watch from the new resourceVersion',
  false,
  'GoneError',
);
export type GoneError = InstanceType<typeof GoneError>;
export const TooManyRequestsError = kind(
  'TooManyRequests',
  'The server is throttling: retry later',
  true,
  'TooManyRequestsError',
);
export type TooManyRequestsError = InstanceType<typeof TooManyRequestsError>;
export const ServerTimeoutError = kind(
  'ServerTimeout',
  'The server did not answer in time: retry',
  true,
  'ServerTimeoutError',
);
export type ServerTimeoutError = InstanceType<typeof ServerTimeoutError>;
export const BadRequestError = kind('BadRequest', 'Fix the request', false, 'BadRequestError');
export type BadRequestError = InstanceType<typeof BadRequestError>;
export const MethodNotAllowedError = kind(
  'MethodNotAllowed',
  'This resource does not support that verb',
  false,
  'MethodNotAllowedError',
);
export type MethodNotAllowedError = InstanceType<typeof MethodNotAllowedError>;
export const RequestEntityTooLargeError = kind(
  'RequestEntityTooLarge',
  'Make the object smaller (the API server limits request bodies)',
  false,
  'RequestEntityTooLargeError',
);
export type RequestEntityTooLargeError = InstanceType<typeof RequestEntityTooLargeError>;
export const InternalServerError = kind(
  'InternalError',
  'The server failed: retry, and check the server logs if it persists',
  true,
  'InternalServerError',
);
export type InternalServerError = InstanceType<typeof InternalServerError>;
export const ServiceUnavailableError = kind(
  'ServiceUnavailable',
  'The server is unavailable: retry later',
  true,
  'ServiceUnavailableError',
);
export type ServiceUnavailableError = InstanceType<typeof ServiceUnavailableError>;
export const UnknownKubeError = kind('Unknown', '', false, 'UnknownKubeError');
export type UnknownKubeError = InstanceType<typeof UnknownKubeError>;

/** 422: the object failed validation. `causes` lists the failing fields. */
export class InvalidError extends KubeError {
  override readonly name = 'InvalidError';
  readonly causes: StatusCause[];

  constructor(ctx: RequestContext, httpStatus: number, status?: KubeStatus, options?: { cause?: unknown }) {
    super('Invalid', ctx, httpStatus, status, 'Fix the fields named above', false, options);
    this.causes = status?.details?.causes ?? [];
  }
}

/**
 * 409 from server-side apply: another field manager owns fields this apply sets. Not retryable:
 * retrying changes nothing until someone gives the fields up. `causes` name the fields and owners.
 */
export class ApplyConflictError extends KubeError {
  override readonly name = 'ApplyConflictError';
  readonly causes: StatusCause[];

  constructor(ctx: RequestContext, httpStatus: number, status?: KubeStatus, options?: { cause?: unknown }) {
    super(
      'Conflict',
      ctx,
      httpStatus,
      status,
      'Another field manager owns these fields: apply with force to take them over, or stop setting them',
      false,
      options,
    );
    this.causes = status?.details?.causes ?? [];
  }
}

/** The server could not be reached (DNS, connection refused/reset, TLS, socket timeout). */
export class UnreachableError extends FlotillaError {
  override readonly name = 'UnreachableError';
  readonly cluster: string;
  readonly retryable = true;

  constructor(ctx: RequestContext, server: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      'Unreachable',
      `Unreachable: ${ctx.verb} ${ctx.target} in cluster "${ctx.cluster}": cannot reach ${server} (${why}). Check that the API server runs and the kubeconfig server address is right`,
      { cause },
    );
    this.cluster = ctx.cluster;
  }
}

const byReason: Record<string, Ctor> = {
  NotFound: NotFoundError,
  AlreadyExists: AlreadyExistsError,
  Conflict: ConflictError,
  Invalid: InvalidError,
  Forbidden: ForbiddenError,
  Unauthorized: UnauthorizedError,
  Gone: GoneError,
  Expired: GoneError,
  TooManyRequests: TooManyRequestsError,
  ServerTimeout: ServerTimeoutError,
  Timeout: ServerTimeoutError,
  BadRequest: BadRequestError,
  MethodNotAllowed: MethodNotAllowedError,
  RequestEntityTooLarge: RequestEntityTooLargeError,
  InternalError: InternalServerError,
  ServiceUnavailable: ServiceUnavailableError,
};

const byHttp: Record<number, Ctor> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  410: GoneError,
  413: RequestEntityTooLargeError,
  422: InvalidError,
  429: TooManyRequestsError,
  500: InternalServerError,
  503: ServiceUnavailableError,
  504: ServerTimeoutError,
};

/**
 * Classifies a failed response once: from the Status `reason` when the body is a Status, else
 * from the HTTP code. This is the only place that maps API failures to error classes.
 */
export function errorFromStatus(ctx: RequestContext, httpStatus: number, body: unknown): KubeError {
  const status =
    body && typeof body === 'object' && (body as KubeStatus).kind === 'Status'
      ? (body as KubeStatus)
      : undefined;
  const code = status?.code ?? httpStatus;
  const fieldConflict = status?.details?.causes?.some((c) => c.reason === 'FieldManagerConflict');
  const C = fieldConflict
    ? ApplyConflictError
    : (status?.reason && byReason[status.reason]) || byHttp[code] || UnknownKubeError;
  const fallback: KubeStatus | undefined =
    status ?? (typeof body === 'string' && body ? { message: body.slice(0, 500) } : undefined);
  return new C(ctx, code, fallback);
}

/**
 * Whether an error is worth retrying with backoff: conflicts, throttling, timeouts, server and
 * network failures. Anything not from the API (a bug, bad input) is not.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof KubeError || err instanceof UnreachableError) return err.retryable;
  return false;
}

/** The server's suggested delay (429/503 `retryAfterSeconds`), in milliseconds, if any. */
export function retryAfterMs(err: unknown): number | undefined {
  if (err instanceof KubeError) {
    const s = err.status?.details?.retryAfterSeconds;
    if (typeof s === 'number' && s > 0) return s * 1000;
  }
  return undefined;
}

export function isNotFound(err: unknown): err is NotFoundError {
  return err instanceof NotFoundError;
}

export function isConflict(err: unknown): err is ConflictError {
  return err instanceof ConflictError;
}

export function isAlreadyExists(err: unknown): err is AlreadyExistsError {
  return err instanceof AlreadyExistsError;
}

export function isGone(err: unknown): err is GoneError {
  return err instanceof GoneError;
}
