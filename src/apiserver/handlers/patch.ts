import { ApiError, type KubeObject, type ResourceType } from '../contracts.js';
import { copyOf } from '../lifecycle/internal.js';
import { atVersion, createObject, notFound, resetsStatus, updateObject } from '../lifecycle/write.js';
import { gvString, resourceKey } from '../registry/types.js';
import { decodeBody, readBody, sendJson } from '../server/http.js';
import { type RequestContext, writeOptions } from './context.js';
import { scaleOf, updateScale } from './scale.js';

const APPLY = 'application/apply-patch+yaml';

function unsupported(ct: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${ct ? ` (got ${ct})` : ''}`,
  );
}

/** PATCH: JSON, merge, strategic merge patch and server-side apply, on the object or a subresource. */
export async function handlePatch(
  ctx: RequestContext,
  rt: ResourceType,
  ns: string | undefined,
  name: string,
  sub: string | undefined,
): Promise<void> {
  const ct = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const raw = await readBody(ctx.req);
  const p = ctx.c.parts.patcher;
  if (!p)
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'PATCH is not available: this server was built without the patch part',
    );
  const opts = writeOptions(ctx);
  const key = resourceKey(rt);
  const live = ctx.c.store.get(key, rt.namespaced ? ns : undefined, name);
  if (ct === APPLY) {
    if (!ctx.query.get('fieldManager'))
      throw new ApiError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        {
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
      );
    if (sub === 'scale')
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        'server-side apply is not supported on the scale subresource',
      );
    const applied = decodeBody(raw, 'application/yaml');
    if (applied === null || typeof applied !== 'object' || Array.isArray(applied))
      throw new ApiError(400, 'BadRequest', 'the apply patch must be a YAML or JSON object');
    const a = applied as KubeObject;
    const av = gvString(rt.group, rt.version);
    if (a.apiVersion !== av || a.kind !== rt.kind)
      throw new ApiError(
        400,
        'BadRequest',
        `the apply patch must set apiVersion ${av} and kind ${rt.kind} (got ${String(a.apiVersion)} ${String(a.kind)})`,
      );
    const force = ctx.query.get('force') === 'true';
    const next = p.apply({
      live: live ? atVersion(rt, copyOf(live)) : undefined,
      applied: a,
      manager: opts.fieldManager,
      force,
      schema: rt.schema,
      apiVersion: av,
      ...(sub ? { subresource: sub } : {}),
      ...resetsStatus(rt),
      now: opts.now,
    });
    if (!live) {
      if (sub) throw notFound(rt, name);
      if (next.metadata) next.metadata.name ??= name;
      const obj = createObject(ctx.c, rt, ns, next, opts, true);
      return void sendJson(ctx.res, 201, obj, opts.warnings);
    }
    const r = updateObject(ctx.c, rt, ns, name, next, opts, {
      managed: true,
      ...(sub === 'status' ? { subresource: 'status' as const } : {}),
    });
    return void sendJson(ctx.res, 200, r.obj, opts.warnings);
  }
  if (!live) throw notFound(rt, name);
  const patch = decodeBody(raw, 'application/json');
  const base: KubeObject = sub === 'scale' ? scaleOf(rt, live.obj) : atVersion(rt, copyOf(live));
  let next: KubeObject;
  switch (ct) {
    case 'application/json-patch+json':
      next = p.jsonPatch(base, patch);
      break;
    case 'application/merge-patch+json':
      next = p.mergePatch(base, patch);
      break;
    case 'application/strategic-merge-patch+json':
      if (!rt.builtin)
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        );
      next = p.strategicMergePatch(base, patch, sub === 'scale' ? undefined : rt.schema);
      break;
    default:
      throw unsupported(ct);
  }
  if (sub === 'scale')
    return void sendJson(ctx.res, 200, updateScale(ctx, rt, ns, name, next, opts), opts.warnings);
  const r = updateObject(ctx.c, rt, ns, name, next, opts, sub === 'status' ? { subresource: 'status' } : {});
  sendJson(ctx.res, 200, r.obj, opts.warnings);
}
