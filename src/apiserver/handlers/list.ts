import {
  builtinFieldLabels,
  customFieldLabels,
  type FieldSelector,
  type LabelSelector,
  objectFieldGetter,
  parseFieldSelector,
  parseLabelSelector,
} from '../../engine/selector/index.js';
import { ApiError, type KubeObject, type ResourceType } from '../contracts.js';
import { atVersion } from '../lifecycle/write.js';
import { gvString, resourceKey } from '../registry/types.js';
import { sendJson } from '../server/http.js';
import type { Entry } from '../storage/object-store.js';
import type { RequestContext } from './context.js';
import { partialList, wantsPartial } from './partial.js';
import { tableRequest } from './table.js';

export interface Selectors {
  label?: LabelSelector;
  field?: FieldSelector;
}

export function parseSelectors(rt: ResourceType, query: URLSearchParams): Selectors {
  const ls = query.get('labelSelector');
  const fs = query.get('fieldSelector');
  const out: Selectors = {};
  if (ls) out.label = parseLabelSelector(ls);
  if (fs) {
    const f = parseFieldSelector(
      fs,
      rt.builtin ? builtinFieldLabels(rt.group, rt.kind) : customFieldLabels(),
    );
    if (!f.isEverything()) out.field = f;
  }
  return out;
}

export function matches(rt: ResourceType, sel: Selectors, obj: KubeObject): boolean {
  if (sel.label && !sel.label.matches(obj.metadata?.labels)) return false;
  if (sel.field && !sel.field.matches(objectFieldGetter(rt.group, rt.kind, obj))) return false;
  return true;
}

interface ContinueToken {
  rv: number;
  key: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'flotilla.1', rv: t.rv, start: t.key })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (t?.v === 'flotilla.1' && typeof t.rv === 'number' && typeof t.start === 'string')
      return { rv: t.rv, key: t.start };
  } catch {
    // fall through
  }
  throw new ApiError(
    400,
    'BadRequest',
    'continue key is not valid: send the continue token of a previous list response unchanged',
  );
}

/** Lists objects with selectors and limit/continue pagination. */
export function selectPage(
  ctx: RequestContext,
  rt: ResourceType,
  namespace: string | undefined,
): { items: Entry[]; rv: number; cont?: string; remaining?: number } {
  const sel = parseSelectors(rt, ctx.query);
  const limit = Number(ctx.query.get('limit') ?? 0);
  if (!Number.isFinite(limit) || limit < 0)
    throw new ApiError(400, 'BadRequest', `limit must be a non-negative integer`);
  const contParam = ctx.query.get('continue');
  const token = contParam ? decodeContinue(contParam) : undefined;
  const rvParam = ctx.query.get('resourceVersion');
  const match = ctx.query.get('resourceVersionMatch');
  const store = ctx.c.store;
  if (match === 'Exact' && rvParam && Number(rvParam) !== store.rv)
    throw new ApiError(410, 'Expired', `too old resource version: ${rvParam} (${store.rv})`);
  if (rvParam && rvParam !== '0' && !/^\d+$/.test(rvParam))
    throw new ApiError(
      400,
      'BadRequest',
      `invalid resource version "${rvParam}": resourceVersion must be an unsigned integer`,
    );
  if (rvParam && Number(rvParam) > store.rv && match !== 'NotOlderThan' && rvParam !== '0')
    throw new ApiError(504, 'Timeout', `Too large resource version: ${rvParam}, current: ${store.rv}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  const all = store.list(resourceKey(rt), rt.namespaced ? namespace : undefined);
  const items: Entry[] = [];
  let cont: string | undefined;
  let remaining = 0;
  for (const e of all) {
    const m = e.obj.metadata!;
    if (token && `${m.namespace ? `${m.namespace}/` : ''}${m.name}` <= token.key) continue;
    if (!matches(rt, sel, e.obj)) continue;
    if (limit > 0 && items.length >= limit) {
      remaining++;
      continue;
    }
    items.push(e);
  }
  const rv = token?.rv ?? store.rv;
  if (limit > 0 && remaining > 0) {
    const last = items[items.length - 1].obj.metadata!;
    cont = encodeContinue({ rv, key: `${last.namespace ? `${last.namespace}/` : ''}${last.name}` });
  }
  return { items, rv, cont, remaining: remaining > 0 ? remaining : undefined };
}

export function handleList(ctx: RequestContext, rt: ResourceType, namespace: string | undefined): void {
  const page = selectPage(ctx, rt, namespace);
  const table = tableRequest(ctx, rt);
  if (table) {
    table(
      page.items.map((e) => atVersion(rt, e.obj)),
      String(page.rv),
      page.cont,
    );
    return;
  }
  const av = gvString(rt.group, rt.version);
  const storageAv = gvString(rt.group, rt.storageVersion);
  const meta: Record<string, unknown> = { resourceVersion: String(page.rv) };
  if (page.cont) meta.continue = page.cont;
  if (page.remaining) meta.remainingItemCount = page.remaining;
  if (wantsPartial(ctx.req.headers.accept)) {
    sendJson(
      ctx.res,
      200,
      partialList(
        page.items.map((e) => e.obj),
        meta,
      ),
    );
    return;
  }
  const parts: string[] = [];
  for (const e of page.items) parts.push(av === storageAv ? e.json : JSON.stringify(atVersion(rt, e.obj)));
  const body = `{"kind":${JSON.stringify(rt.listKind)},"apiVersion":${JSON.stringify(av)},"metadata":${JSON.stringify(meta)},"items":[${parts.join(',')}]}`;
  sendJson(ctx.res, 200, body);
}
