/**
 * Name-reference fix-up: after prefixes, suffixes and content hashes renamed resources, references
 * to their old names in other resources follow (ConfigMap/Secret/PVC/ServiceAccount in pod specs,
 * Services and TLS Secrets in Ingresses, StatefulSet serviceName, RBAC subjects and roleRefs, HPA
 * targets). A reference matches a resource of the referenced kind that ever had that name;
 * a candidate in the referrer's namespace wins.
 */
import { nameOf, namespaceOf, type Res } from './resources.js';

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Calls `fn(parent, key)` for every string at `segs` ('[]' iterates a list). */
function visit(node: unknown, segs: readonly string[], fn: (parent: Json, key: string) => void): void {
  if (!isMap(node)) return;
  const [head, ...rest] = segs;
  if (head === undefined) return;
  if (head.endsWith('[]')) {
    const arr = node[head.slice(0, -2)];
    if (Array.isArray(arr)) for (const x of arr) visit(x, rest, fn);
    return;
  }
  if (rest.length === 0) {
    if (typeof node[head] === 'string') fn(node, head);
    return;
  }
  visit(node[head], rest, fn);
}

const CONTAINERS = ['containers[]', 'initContainers[]', 'ephemeralContainers[]'];

/** [referent kind, path inside a pod spec]. */
const POD_REFS: [string, string][] = [
  ['ConfigMap', 'volumes[].configMap.name'],
  ['ConfigMap', 'volumes[].projected.sources[].configMap.name'],
  ['Secret', 'volumes[].secret.secretName'],
  ['Secret', 'volumes[].projected.sources[].secret.name'],
  ['Secret', 'imagePullSecrets[].name'],
  ['PersistentVolumeClaim', 'volumes[].persistentVolumeClaim.claimName'],
  ['ServiceAccount', 'serviceAccountName'],
  ['ServiceAccount', 'serviceAccount'],
  ...CONTAINERS.flatMap((c): [string, string][] => [
    ['ConfigMap', `${c}.env[].valueFrom.configMapKeyRef.name`],
    ['ConfigMap', `${c}.envFrom[].configMapRef.name`],
    ['Secret', `${c}.env[].valueFrom.secretKeyRef.name`],
    ['Secret', `${c}.envFrom[].secretRef.name`],
  ]),
];

const POD_SPEC_AT: Record<string, string> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** [referrer kind, referent kind (or '@field' = the kind named by that sibling field), path]. */
const OTHER_REFS: [string, string, string][] = [
  ['Ingress', 'Service', 'spec.rules[].http.paths[].backend.service.name'],
  ['Ingress', 'Service', 'spec.rules[].http.paths[].backend.serviceName'],
  ['Ingress', 'Service', 'spec.defaultBackend.service.name'],
  ['Ingress', 'Service', 'spec.backend.serviceName'],
  ['Ingress', 'Secret', 'spec.tls[].secretName'],
  ['StatefulSet', 'Service', 'spec.serviceName'],
  ['ServiceAccount', 'Secret', 'secrets[].name'],
  ['ServiceAccount', 'Secret', 'imagePullSecrets[].name'],
  ['RoleBinding', '@kind', 'subjects[].name'],
  ['ClusterRoleBinding', '@kind', 'subjects[].name'],
  ['RoleBinding', '@kind', 'roleRef.name'],
  ['ClusterRoleBinding', '@kind', 'roleRef.name'],
  ['HorizontalPodAutoscaler', '@kind', 'spec.scaleTargetRef.name'],
];

function resolve(ra: readonly Res[], referrer: Res, kind: string, value: string): string | undefined {
  const candidates = ra.filter((r) => r.obj.kind === kind && r.names.includes(value));
  if (candidates.length === 0) return undefined;
  const ns = namespaceOf(referrer.obj);
  const best =
    candidates.find((c) => namespaceOf(c.obj) === ns || namespaceOf(c.obj) === '') ?? candidates[0];
  return best ? nameOf(best.obj) : undefined;
}

export function fixNameReferences(ra: readonly Res[]): void {
  for (const r of ra) {
    const kind = String(r.obj.kind);
    const fix = (refKind: string) => (parent: Json, key: string) => {
      const k = refKind === '@kind' ? String(parent.kind ?? '') : refKind;
      const v = parent[key] as string;
      const to = resolve(ra, r, k, v);
      if (to !== undefined) parent[key] = to;
    };
    const podAt = POD_SPEC_AT[kind];
    if (podAt) {
      const base = podAt.split('.');
      for (const [refKind, path] of POD_REFS) visit(r.obj, [...base, ...path.split('.')], fix(refKind));
    }
    for (const [referrer, refKind, path] of OTHER_REFS)
      if (referrer === kind) visit(r.obj, path.split('.'), fix(refKind));
  }
}
