import { builtinFacts } from '../catalog/builtin.js';
import { ApiError, type FieldError, type KubeObject, type ResourceType, invalidError } from '../contracts.js';
import type { VirtualCluster } from '../registry/cluster.js';
import { resourceKey } from '../registry/types.js';
import { nameErrors } from './names.js';
import { prepareService } from './service.js';
import { setOwn } from '../../lib/own-props.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Options every write carries, parsed from the query string. */
export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** `Warning` headers to send back. */
  warnings: string[];
  now: string;
}

/** Kinds kube-apiserver keeps `metadata.generation` for, besides every custom resource. */
const GENERATION_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'CustomResourceDefinition',
]);

export function tracksGeneration(rt: ResourceType): boolean {
  return !rt.builtin || GENERATION_KINDS.has(rt.kind);
}

/** Kind-specific defaulting kube does on create/update (Secret stringData, Service IPs, ...). */
export function mutate(
  c: VirtualCluster,
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
): void {
  if (!rt.builtin) return;
  switch (`${rt.group}/${rt.kind}`) {
    case '/Secret': {
      const sd = obj.stringData as Record<string, unknown> | undefined;
      if (sd && typeof sd === 'object') {
        const data = { ...((obj.data as Record<string, string>) ?? {}) };
        for (const [k, v] of Object.entries(sd))
          setOwn(data, k, Buffer.from(String(v), 'utf8').toString('base64'));
        obj.data = data;
      }
      delete obj.stringData;
      obj.type ??= 'Opaque';
      break;
    }
    case '/Namespace': {
      const spec = (obj.spec ??= {}) as Record<string, unknown>;
      if (!old) spec.finalizers ??= ['kubernetes'];
      const labels = (obj.metadata!.labels ??= {});
      labels['kubernetes.io/metadata.name'] = obj.metadata!.name!;
      break;
    }
    case '/Service':
      prepareService(c, obj, old);
      break;
  }
}

/**
 * Defaulting, pruning and validation (the validation part, when present) plus the name rules the
 * core owns. Throws ApiError; never changes stored state.
 */
export function admit(
  c: VirtualCluster,
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  opts: WriteOptions,
): void {
  const meta = obj.metadata!;
  const errors: FieldError[] = [];
  if (!old) {
    const rule = rt.builtin ? builtinFacts(rt).nameRule : 'subdomain';
    errors.push(...nameErrors(meta.name ?? '', rule));
  }
  const v = c.parts.validator;
  if (v) {
    const unknown = v.defaultAndPrune(rt, obj);
    if (unknown.length > 0 && opts.fieldValidation === 'Strict') {
      throw new ApiError(
        400,
        'BadRequest',
        `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p}"`).join(', ')}`,
      );
    }
    if (unknown.length > 0 && opts.fieldValidation === 'Warn')
      for (const p of unknown) opts.warnings.push(`unknown field "${p}"`);
    // Built-in kinds decode into fixed types in kube, which drops unknown fields.
    if (rt.builtin) for (const p of unknown) removePath(obj, p);
    if (rt.group === 'apiextensions.k8s.io' && rt.kind === 'CustomResourceDefinition') {
      errors.push(...v.validateCRD(obj, old));
    } else {
      errors.push(...v.validate(rt, obj, old));
    }
  }
  if (errors.length > 0) {
    const seen = new Set<string>();
    const unique = errors.filter((e) => {
      const k = `${e.field}|${e.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    throw invalidError(rt.group ? `${rt.kind}.${rt.group}` : rt.kind, meta.name ?? '', rt.group, unique);
  }
}

/** The storage key of a type, re-exported for lifecycle code. */
export { resourceKey };

/** Removes a field by its error path (`spec.containers[0].foo`); missing paths are ignored. */
export function removePath(obj: unknown, path: string): void {
  const segs: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return;
    if (m[1]) segs.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) segs.push(Number(idx[1]));
  }
  let cur: any = obj;
  for (const seg of segs.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = cur[seg];
  }
  const last = segs[segs.length - 1];
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && typeof last === 'string')
    delete cur[last];
}
