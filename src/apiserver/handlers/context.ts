import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../contracts.js';
import type { FieldValidation, WriteOptions } from '../lifecycle/admission.js';
import type { VirtualCluster } from '../registry/cluster.js';

/** Who is calling; filled by authentication, read by authorization (RBAC can slot in here). */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** Everything a handler needs about one request. */
export interface RequestContext {
  c: VirtualCluster;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  user: UserInfo;
  /** Bookmark interval for watches, in ms. */
  bookmarkIntervalMs: number;
}

/** kube's default field manager: the user agent up to the first '/'. */
function defaultManager(req: IncomingMessage): string {
  const ua = req.headers['user-agent'] ?? 'unknown';
  const m = ua.split('/')[0].trim();
  return m.length > 0 ? m.slice(0, 128) : 'unknown';
}

export function writeOptions(ctx: RequestContext, body?: { dryRun?: unknown }): WriteOptions {
  const dry = [
    ...ctx.query.getAll('dryRun'),
    ...(Array.isArray(body?.dryRun) ? (body.dryRun as string[]) : []),
  ];
  for (const d of dry)
    if (d !== 'All')
      throw new ApiError(
        400,
        'BadRequest',
        `Invalid dryRun value: ${JSON.stringify(d)}: valid values are "All"`,
      );
  const fv = ctx.query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Ignore' && fv !== 'Warn' && fv !== 'Strict')
    throw new ApiError(
      400,
      'BadRequest',
      `fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(fv)}`,
    );
  const fm = ctx.query.get('fieldManager');
  if (fm !== null && (fm.length === 0 || fm.length > 128))
    throw new ApiError(422, 'Invalid', 'fieldManager: Invalid value: must be between 1 and 128 characters');
  return {
    dryRun: dry.length > 0,
    fieldManager: fm ?? defaultManager(ctx.req),
    fieldValidation: fv as FieldValidation,
    warnings: [],
    now: ctx.c.now(),
  };
}
