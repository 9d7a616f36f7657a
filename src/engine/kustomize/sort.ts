/**
 * kustomize's legacy output order (`--reorder legacy`, the default of `kubectl kustomize`):
 * kinds in a fixed install order (namespaces, CRDs, RBAC, config, services, workloads, ...,
 * webhooks last), other kinds by group_version_kind, then by namespace and name.
 */
import { groupVersion, nameOf, namespaceOf, type Res } from './resources.js';
import { isNamespaced } from './transformers.js';

const FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string): number {
  const f = FIRST.indexOf(kind);
  if (f >= 0) return f - FIRST.length;
  const l = LAST.indexOf(kind);
  return l >= 0 ? l + 1 : 0;
}

function gvkString(r: Res): string {
  const { group, version } = groupVersion(r.obj);
  return `${group || '~G'}_${version || '~V'}_${r.obj.kind || '~K'}`;
}

function nsName(r: Res): string {
  const ns = isNamespaced(r.obj) ? namespaceOf(r.obj) || 'default' : '_non_namespaced_';
  return `${ns}|${nameOf(r.obj)}`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function legacySort(ra: readonly Res[]): Res[] {
  return [...ra].sort((a, b) => {
    const ga = gvkString(a);
    const gb = gvkString(b);
    if (ga !== gb) {
      const ra_ = rank(String(a.obj.kind));
      const rb = rank(String(b.obj.kind));
      return ra_ !== rb ? ra_ - rb : cmp(ga, gb);
    }
    return cmp(nsName(a), nsName(b));
  });
}
