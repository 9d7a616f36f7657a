import { ApiError, type KubeObject, type ResourceType } from '../contracts.js';
import type { WriteOptions } from '../lifecycle/admission.js';
import { copyOf } from '../lifecycle/internal.js';
import { atVersion, notFound, updateObject } from '../lifecycle/write.js';
import { resourceKey } from '../registry/types.js';
import type { RequestContext } from './context.js';

function readPath(obj: unknown, path: string | undefined): unknown {
  if (!path) return undefined;
  let cur: unknown = obj;
  for (const seg of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const seg of segs.slice(0, -1)) {
    if (cur[seg] === null || typeof cur[seg] !== 'object') cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]] = value;
}

function selectorString(sel: unknown): string | undefined {
  if (typeof sel === 'string') return sel;
  const ml = (sel as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (!ml) return undefined;
  return Object.keys(ml)
    .sort()
    .map((k) => `${k}=${ml[k]}`)
    .join(',');
}

/** The autoscaling/v1 Scale view of an object. */
export function scaleOf(rt: ResourceType, obj: KubeObject): KubeObject {
  const sc = rt.subresources.scale!;
  const m = obj.metadata!;
  const selector =
    selectorString(readPath(obj, sc.labelSelectorPath)) ??
    (rt.builtin ? selectorString(readPath(obj, '.spec.selector')) : undefined);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: Number(readPath(obj, sc.specReplicasPath) ?? 0) },
    status: {
      replicas: Number(readPath(obj, sc.statusReplicasPath) ?? 0),
      ...(selector ? { selector } : {}),
    },
  };
}

export function getScale(
  ctx: RequestContext,
  rt: ResourceType,
  ns: string | undefined,
  name: string,
): KubeObject {
  const entry = ctx.c.store.get(resourceKey(rt), ns, name);
  if (!entry) throw notFound(rt, name);
  return scaleOf(rt, entry.obj);
}

/** Writes a Scale's spec.replicas into the object (optimistic concurrency on the Scale's rv). */
export function updateScale(
  ctx: RequestContext,
  rt: ResourceType,
  ns: string | undefined,
  name: string,
  scale: KubeObject,
  opts: WriteOptions,
): KubeObject {
  const entry = ctx.c.store.get(resourceKey(rt), ns, name);
  if (!entry) throw notFound(rt, name);
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new ApiError(
      422,
      'Invalid',
      `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  // The scale path is a path of the requested version's object.
  const obj = atVersion(rt, copyOf(entry));
  const rv = scale.metadata?.resourceVersion;
  obj.metadata!.resourceVersion = rv || entry.obj.metadata!.resourceVersion;
  writePath(obj as Record<string, unknown>, rt.subresources.scale!.specReplicasPath, replicas);
  const r = updateObject(ctx.c, rt, ns, name, obj, opts);
  return scaleOf(rt, r.obj);
}
