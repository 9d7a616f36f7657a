/**
 * The resource set a kustomization accumulates: objects with the names and namespaces they had
 * before transformers renamed them (for name-reference fix-up and patch/replica matching).
 */
import { KustomizeError } from './errors.js';

export type Obj = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

export interface Res {
  obj: Obj;
  /** Every name the object had, oldest first (the current one last). */
  names: string[];
  namespaces: string[];
  /** A generated ConfigMap/Secret that gets the content-hash suffix at the end of the build. */
  needsHash: boolean;
  /** Generator behaviour (create/merge/replace) for merging with an earlier generated one. */
  behavior?: 'create' | 'replace' | 'merge';
}

export function nameOf(o: Obj): string {
  return typeof o.metadata?.name === 'string' ? o.metadata.name : '';
}

export function namespaceOf(o: Obj): string {
  return typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '';
}

export function groupVersion(o: Obj): { group: string; version: string } {
  const av = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const i = av.indexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}

export function resId(o: Obj): string {
  const { group } = groupVersion(o);
  return `${group}/${o.kind ?? ''}/${namespaceOf(o)}/${nameOf(o)}`;
}

export function describe(o: Obj): string {
  const ns = namespaceOf(o);
  return `${o.kind ?? '?'} ${ns ? `${ns}/` : ''}${nameOf(o)}`;
}

export function newRes(obj: Obj, where: string): Res {
  if (typeof obj.kind !== 'string' || obj.kind === '' || typeof obj.apiVersion !== 'string')
    throw new KustomizeError(`${where}: a resource without apiVersion or kind; every document needs both`);
  if (obj.kind.endsWith('List') && Array.isArray((obj as { items?: unknown }).items))
    throw new KustomizeError(`${where}: ${obj.kind} lists are not supported; list the items as documents`);
  if (!nameOf(obj))
    throw new KustomizeError(`${where}: ${obj.kind} without metadata.name; every resource needs a name`);
  return { obj, names: [nameOf(obj)], namespaces: [namespaceOf(obj)], needsHash: false };
}

/** Sets the name, remembering the old one. */
export function rename(r: Res, name: string): void {
  const md = (r.obj.metadata ??= {});
  md.name = name;
  if (r.names[r.names.length - 1] !== name) r.names.push(name);
}

export function setNamespace(r: Res, ns: string): void {
  const md = (r.obj.metadata ??= {});
  md.namespace = ns;
  if (r.namespaces[r.namespaces.length - 1] !== ns) r.namespaces.push(ns);
}

/** Appends, refusing two resources with one id (kustomize: "already registered id"). */
export function addAll(into: Res[], add: readonly Res[], where: string): void {
  const ids = new Set(into.map((r) => resId(r.obj)));
  for (const r of add) {
    const id = resId(r.obj);
    if (ids.has(id))
      throw new KustomizeError(
        `${where}: ${describe(r.obj)} is defined twice; remove one of them or use a patch to change it`,
      );
    ids.add(id);
    into.push(r);
  }
}

/** Cluster-scoped built-in kinds (the namespace transformer leaves them alone). */
export const CLUSTER_SCOPED = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);
