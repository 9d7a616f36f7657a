import { ApiError, type KubeObject, type ResourceType } from '../contracts.js';
import { sendJson } from '../server/http.js';
import type { RequestContext } from './context.js';

/** True when the Accept header asks for a meta.k8s.io Table first. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((p) => /;\s*as=Table/.test(p) && /g=meta\.k8s\.io/.test(p));
}

function includeObject(ctx: RequestContext): 'None' | 'Metadata' | 'Object' {
  const v = ctx.query.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object')
    throw new ApiError(
      400,
      'BadRequest',
      `includeObject must be one of None, Metadata, Object, got ${JSON.stringify(v)}`,
    );
  return v;
}

export type TableRenderer = (objects: KubeObject[], rv: string, cont?: string) => void;

/**
 * If the client asked for a Table and the publish part is there, returns a function that renders
 * and sends one; otherwise undefined (the caller sends plain objects, which kubectl also prints).
 */
export function tableRequest(ctx: RequestContext, rt: ResourceType): TableRenderer | undefined {
  const pub = ctx.c.parts.publisher;
  if (!pub || !wantsTable(ctx.req.headers.accept)) return undefined;
  const inc = includeObject(ctx);
  return (objects, rv, cont) => {
    const t = pub.table(rt, objects, {
      includeObject: inc,
      resourceVersion: rv,
      ...(cont ? { continue: cont } : {}),
    });
    sendJson(ctx.res, 200, t);
  };
}

/** Renders one object as a single-row Table (watch events of `kubectl get -w`). */
export function tableForWatch(
  ctx: RequestContext,
  rt: ResourceType,
): ((obj: KubeObject) => unknown) | undefined {
  const pub = ctx.c.parts.publisher;
  if (!pub || !wantsTable(ctx.req.headers.accept)) return undefined;
  const inc = includeObject(ctx);
  return (obj) =>
    pub.table(rt, [obj], { includeObject: inc, resourceVersion: obj.metadata?.resourceVersion ?? '' });
}
