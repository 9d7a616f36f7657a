/**
 * The built-in transformers of a kustomization: namespace, namePrefix/nameSuffix, labels
 * (commonLabels / labels, with selectors and pod templates), commonAnnotations, images, replicas.
 * The field lists follow kustomize's default field specs for the built-in kinds.
 */
import { KustomizeError } from './errors.js';
import type { ImageEntry, LabelEntry } from './kustomization.js';
import { CLUSTER_SCOPED, type Obj, nameOf, type Res, rename, setNamespace } from './resources.js';

type Spec = { kinds: readonly string[]; path: string; create: boolean };

const WORKLOADS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'];
const TEMPLATED = ['ReplicationController', ...WORKLOADS, 'Job'];

const SELECTORS: Spec[] = [
  { kinds: ['Service', 'ReplicationController'], path: 'spec.selector', create: true },
  { kinds: WORKLOADS, path: 'spec.selector.matchLabels', create: true },
  { kinds: ['Job', 'PodDisruptionBudget'], path: 'spec.selector.matchLabels', create: false },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.spec.selector.matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec.podSelector.matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec.ingress[].from[].podSelector.matchLabels', create: false },
  { kinds: ['NetworkPolicy'], path: 'spec.egress[].to[].podSelector.matchLabels', create: false },
];

const TEMPLATES: Spec[] = [
  { kinds: TEMPLATED, path: 'spec.template.metadata.$', create: true },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.metadata.$', create: true },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.spec.template.metadata.$', create: true },
];

const CLAIM_TEMPLATES: Spec = {
  kinds: ['StatefulSet'],
  path: 'spec.volumeClaimTemplates[].metadata.labels',
  create: true,
};

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets `pairs` into the map at `path` ('[]' iterates a list); creates missing maps if told. */
function setAt(node: unknown, segs: readonly string[], pairs: Record<string, string>, create: boolean): void {
  if (!isMap(node)) return;
  const [head, ...rest] = segs;
  if (head === undefined) return;
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (list) {
    const arr = node[key];
    if (Array.isArray(arr)) for (const item of arr) setAt(item, rest, pairs, create);
    return;
  }
  if (rest.length === 0) {
    if (!isMap(node[key])) {
      if (!create && node[key] === undefined) return;
      node[key] = {};
    }
    Object.assign(node[key] as Json, pairs);
    return;
  }
  if (!isMap(node[key])) {
    if (!create) return;
    node[key] = {};
  }
  setAt(node[key], rest, pairs, create);
}

function applySpecs(o: Obj, specs: readonly Spec[], pairs: Record<string, string>, leaf: string): void {
  for (const s of specs) {
    if (!s.kinds.includes(String(o.kind))) continue;
    setAt(o, s.path.replace('$', leaf).split('.'), pairs, s.create);
  }
}

export function isNamespaced(o: Obj): boolean {
  return !CLUSTER_SCOPED.has(String(o.kind));
}

export function setNamespaces(ra: readonly Res[], ns: string): void {
  for (const r of ra) {
    if (isNamespaced(r.obj)) setNamespace(r, ns);
    if (r.obj.kind === 'RoleBinding' || r.obj.kind === 'ClusterRoleBinding') {
      // kustomize's default for subjects: ServiceAccounts in no or the default namespace move.
      const subjects = (r.obj as { subjects?: unknown }).subjects;
      if (Array.isArray(subjects))
        for (const s of subjects)
          if (isMap(s) && s.kind === 'ServiceAccount' && (!s.namespace || s.namespace === 'default'))
            s.namespace = ns;
    }
  }
}

export function addPrefixSuffix(ra: readonly Res[], prefix: string, suffix: string): void {
  if (!prefix && !suffix) return;
  for (const r of ra) {
    if (r.obj.kind === 'CustomResourceDefinition' || r.obj.kind === 'Namespace') continue;
    rename(r, `${prefix}${nameOf(r.obj)}${suffix}`);
  }
}

export function addLabels(ra: readonly Res[], entries: readonly LabelEntry[]): void {
  for (const e of entries) {
    const pairs = e.pairs ?? {};
    if (Object.keys(pairs).length === 0) continue;
    for (const r of ra) {
      const md = (r.obj.metadata ??= {});
      md.labels = { ...md.labels, ...pairs };
      if (e.includeSelectors) applySpecs(r.obj, SELECTORS, pairs, 'labels');
      if (e.includeSelectors || e.includeTemplates) {
        applySpecs(r.obj, TEMPLATES, pairs, 'labels');
        applySpecs(r.obj, [CLAIM_TEMPLATES], pairs, 'labels');
      }
    }
  }
}

export function addAnnotations(ra: readonly Res[], pairs: Record<string, string>): void {
  if (Object.keys(pairs).length === 0) return;
  for (const r of ra) {
    const md = (r.obj.metadata ??= {});
    md.annotations = { ...md.annotations, ...pairs };
    applySpecs(r.obj, TEMPLATES, pairs, 'annotations');
  }
}

/** name / tag / digest of an image reference (a registry port is not a tag). */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

function newImage(image: string, e: ImageEntry): string | undefined {
  const p = splitImage(image);
  if (p.name !== e.name) return undefined;
  const name = e.newName || p.name;
  if (e.digest) return `${name}@${e.digest}`;
  if (e.newTag) return `${name}:${e.newTag}`;
  return `${name}${p.tag ? `:${p.tag}` : ''}${p.digest ? `@${p.digest}` : ''}`;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

function walkImages(node: unknown, entries: readonly ImageEntry[]): void {
  if (Array.isArray(node)) {
    for (const x of node) walkImages(x, entries);
    return;
  }
  if (!isMap(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (CONTAINER_LISTS.has(k) && Array.isArray(v)) {
      for (const c of v) {
        if (!isMap(c) || typeof c.image !== 'string') continue;
        for (const e of entries) {
          const img = newImage(c.image, e);
          if (img !== undefined) {
            c.image = img;
            break;
          }
        }
      }
    } else walkImages(v, entries);
  }
}

export function setImages(ra: readonly Res[], entries: readonly ImageEntry[], file: string): void {
  for (const [i, e] of entries.entries())
    if (!e.name) throw new KustomizeError(`${file}: images[${i}]: name is required`);
  if (entries.length === 0) return;
  for (const r of ra) walkImages(r.obj, entries);
}

const SCALABLE = new Set(['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet']);

export function setReplicas(
  ra: readonly Res[],
  entries: readonly { name?: string; count?: number }[],
  file: string,
): void {
  for (const [i, e] of entries.entries()) {
    if (!e.name || typeof e.count !== 'number' || !Number.isInteger(e.count) || e.count < 0)
      throw new KustomizeError(`${file}: replicas[${i}]: needs a name and a non-negative integer count`);
    for (const r of ra) {
      if (!SCALABLE.has(String(r.obj.kind))) continue;
      if (nameOf(r.obj) !== e.name && !r.names.includes(e.name)) continue;
      const spec = isMap(r.obj.spec) ? r.obj.spec : (r.obj.spec = {});
      (spec as Json).replicas = e.count;
    }
  }
}
