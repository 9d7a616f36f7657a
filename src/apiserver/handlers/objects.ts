import { ApiError, type KubeObject, type ResourceType } from '../contracts.js';
import { type DeleteOptions, deleteObject } from '../lifecycle/delete.js';
import { atVersion, createObject, notFound, updateObject } from '../lifecycle/write.js';
import { resourceKey } from '../registry/types.js';
import { decodeBody, readBody, sendJson, successStatus } from '../server/http.js';
import { type RequestContext, writeOptions } from './context.js';
import { handleList, selectPage } from './list.js';
import { handlePatch } from './patch.js';
import { getScale, updateScale } from './scale.js';
import { tableRequest } from './table.js';
import { handleWatch } from './watch.js';
import { builtinFacts } from '../catalog/builtin.js';
import { partialObject, wantsPartial } from './partial.js';
import { review } from './review.js';

function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );
}

function requireVerb(rt: ResourceType, verb: string): void {
  if (!rt.verbs.includes(verb)) throw methodNotAllowed();
}

function isWatch(ctx: RequestContext): boolean {
  const w = ctx.query.get('watch');
  return w === 'true' || w === '1';
}

export async function readObject(ctx: RequestContext): Promise<KubeObject> {
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ApiError(
      400,
      'BadRequest',
      'the request body must be a JSON or YAML object, not a list or scalar',
    );
  return body as KubeObject;
}

function respondObject(ctx: RequestContext, code: number, obj: KubeObject, warnings: string[]): void {
  sendJson(ctx.res, code, obj, warnings);
}

/** Dispatches a request on a resource path by HTTP method and subresource. */
export async function handleResource(
  ctx: RequestContext,
  rt: ResourceType,
  watchPath: boolean,
  namespace: string | undefined,
  name: string | undefined,
  sub: string | undefined,
): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  if (sub !== undefined && sub !== 'status' && sub !== 'scale') throw notFoundPath();
  if (sub === 'status' && !rt.subresources.status) throw notFoundPath();
  if (sub === 'scale' && !rt.subresources.scale) throw notFoundPath();
  if (sub && name === undefined) throw notFoundPath();
  if (watchPath || (method === 'GET' && isWatch(ctx))) {
    if (method !== 'GET' || sub) throw methodNotAllowed();
    requireVerb(rt, 'watch');
    if (watchPath && name !== undefined) {
      handleWatch(ctx, rt, namespace, name);
      return;
    }
    if (name !== undefined) throw methodNotAllowed();
    handleWatch(ctx, rt, namespace, undefined);
    return;
  }
  if (rt.namespaced && namespace === undefined && name !== undefined) throw notFoundPath();
  if (rt.namespaced && namespace === undefined && method !== 'GET') throw methodNotAllowed();
  switch (method) {
    case 'GET':
      if (name === undefined) {
        requireVerb(rt, 'list');
        handleList(ctx, rt, namespace);
        return;
      }
      requireVerb(rt, 'get');
      if (sub === 'scale') return void sendJson(ctx.res, 200, getScale(ctx, rt, namespace, name));
      return handleGet(ctx, rt, namespace, name);
    case 'POST': {
      if (name !== undefined) throw methodNotAllowed();
      requireVerb(rt, 'create');
      const body = await readObject(ctx);
      if (builtinFacts(rt).review) return void sendJson(ctx.res, 201, review(ctx, rt, body));
      const opts = writeOptions(ctx);
      const obj = createObject(ctx.c, rt, namespace, body, opts);
      return respondObject(ctx, 201, obj, opts.warnings);
    }
    case 'PUT': {
      if (name === undefined) throw methodNotAllowed();
      requireVerb(rt, 'update');
      const body = await readObject(ctx);
      const opts = writeOptions(ctx);
      if (sub === 'scale')
        return void sendJson(ctx.res, 200, updateScale(ctx, rt, namespace, name, body, opts));
      const r = updateObject(
        ctx.c,
        rt,
        namespace,
        name,
        body,
        opts,
        sub === 'status' ? { subresource: 'status' } : {},
      );
      return respondObject(ctx, r.created ? 201 : 200, r.obj, opts.warnings);
    }
    case 'PATCH':
      if (name === undefined) throw methodNotAllowed();
      requireVerb(rt, 'patch');
      return handlePatch(ctx, rt, namespace, name, sub);
    case 'DELETE':
      if (sub) throw methodNotAllowed();
      if (name === undefined) {
        requireVerb(rt, 'deletecollection');
        return handleDeleteCollection(ctx, rt, namespace);
      }
      requireVerb(rt, 'delete');
      return handleDelete(ctx, rt, namespace, name);
    default:
      throw methodNotAllowed();
  }
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function handleGet(ctx: RequestContext, rt: ResourceType, ns: string | undefined, name: string): void {
  const entry = ctx.c.store.get(resourceKey(rt), rt.namespaced ? ns : undefined, name);
  if (!entry) throw notFound(rt, name);
  const table = tableRequest(ctx, rt);
  if (table) {
    table([atVersion(rt, entry.obj)], entry.obj.metadata!.resourceVersion!);
    return;
  }
  if (wantsPartial(ctx.req.headers.accept)) {
    sendJson(ctx.res, 200, partialObject(entry.obj));
    return;
  }
  const obj = atVersion(rt, entry.obj);
  sendJson(ctx.res, 200, obj === entry.obj ? entry.json : obj);
}

async function deleteOptions(ctx: RequestContext): Promise<{ del: DeleteOptions; dryRun?: unknown }> {
  const raw = await readBody(ctx.req);
  let body: Record<string, unknown> = {};
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') {
    const b = decodeBody(raw, ctx.req.headers['content-type']);
    if (b && typeof b === 'object' && !Array.isArray(b)) body = b as Record<string, unknown>;
    else throw new ApiError(400, 'BadRequest', 'the DeleteOptions body must be an object');
  }
  const q = ctx.query;
  const policy = (q.get('propagationPolicy') ?? body.propagationPolicy) as DeleteOptions['propagationPolicy'];
  if (policy !== undefined && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground')
    throw new ApiError(
      422,
      'Invalid',
      `propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`,
    );
  const orphan = q.get('orphanDependents') ?? body.orphanDependents;
  const gps = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  return {
    del: {
      preconditions: body.preconditions as DeleteOptions['preconditions'],
      propagationPolicy: policy ?? (orphan === true || orphan === 'true' ? 'Orphan' : undefined),
      gracePeriodSeconds: gps === undefined || gps === null ? undefined : Number(gps),
    },
    dryRun: body.dryRun,
  };
}

async function handleDelete(
  ctx: RequestContext,
  rt: ResourceType,
  ns: string | undefined,
  name: string,
): Promise<void> {
  const { del, dryRun } = await deleteOptions(ctx);
  const opts = writeOptions(ctx, { dryRun });
  const r = deleteObject(ctx.c, rt, ns, name, opts, del);
  if (r.gone && rt.builtin) {
    const m = r.obj.metadata!;
    return void sendJson(
      ctx.res,
      200,
      successStatus({ name: m.name, group: rt.group, kind: rt.plural, uid: m.uid }),
      opts.warnings,
    );
  }
  sendJson(ctx.res, r.gone || opts.dryRun ? 200 : 202, r.obj, opts.warnings);
}

async function handleDeleteCollection(
  ctx: RequestContext,
  rt: ResourceType,
  ns: string | undefined,
): Promise<void> {
  const { del, dryRun } = await deleteOptions(ctx);
  const opts = writeOptions(ctx, { dryRun });
  const page = selectPage(ctx, rt, ns);
  const items: KubeObject[] = [];
  for (const e of page.items) {
    const m = e.obj.metadata!;
    try {
      items.push(
        deleteObject(ctx.c, rt, m.namespace, m.name!, opts, { ...del, preconditions: undefined }).obj,
      );
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
  sendJson(ctx.res, 200, {
    kind: rt.listKind,
    apiVersion: items[0]?.apiVersion ?? rt.version,
    metadata: {},
    items,
  });
}
