import type { ResourceType } from '../contracts.js';

/**
 * The built-in resource catalogue: names, scope, short names, categories and subresources as
 * kube-apiserver v1.32 publishes them in discovery. Schemas are attached later from the swagger
 * (shared by every virtual cluster).
 */
interface Entry {
  gv: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  short?: string[];
  cat?: string[];
  status?: boolean;
  scale?: boolean;
  /** Verbs other than the standard set (e.g. namespaces have no deletecollection). */
  verbs?: string[];
  /** kube lets update (PUT) create the object for these kinds. */
  createOnUpdate?: boolean;
  /** Name rule: subdomain (default), label (RFC 1123 label), dns1035 (RFC 1035 label), path. */
  name?: NameRule;
  /** Create-only review kinds answered from the caller's identity, never stored. */
  review?: boolean;
}

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

const ALL = ['all'];
const EXT = ['api-extensions'];
const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const entries: Entry[] = [
  {
    gv: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    short: ['ns'],
    status: true,
    name: 'label',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { gv: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, short: ['cm'] },
  { gv: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  {
    gv: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
    short: ['svc'],
    cat: ALL,
    status: true,
    name: 'dns1035',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { gv: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true, short: ['ep'], createOnUpdate: true },
  { gv: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, short: ['sa'] },
  { gv: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, short: ['po'], cat: ALL, status: true },
  { gv: 'v1', kind: 'Event', plural: 'events', namespaced: true, short: ['ev'], createOnUpdate: true },
  { gv: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, short: ['no'], status: true },
  {
    gv: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
    short: ['pvc'],
    status: true,
  },
  {
    gv: 'v1',
    kind: 'PersistentVolume',
    plural: 'persistentvolumes',
    namespaced: false,
    short: ['pv'],
    status: true,
  },
  {
    gv: 'v1',
    kind: 'LimitRange',
    plural: 'limitranges',
    namespaced: true,
    short: ['limits'],
    createOnUpdate: true,
  },
  {
    gv: 'v1',
    kind: 'ResourceQuota',
    plural: 'resourcequotas',
    namespaced: true,
    short: ['quota'],
    status: true,
  },
  {
    gv: 'v1',
    kind: 'ReplicationController',
    plural: 'replicationcontrollers',
    namespaced: true,
    short: ['rc'],
    cat: ALL,
    status: true,
    scale: true,
  },
  {
    gv: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
    short: ['deploy'],
    cat: ALL,
    status: true,
    scale: true,
  },
  {
    gv: 'apps/v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
    short: ['sts'],
    cat: ALL,
    status: true,
    scale: true,
  },
  {
    gv: 'apps/v1',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    namespaced: true,
    short: ['ds'],
    cat: ALL,
    status: true,
  },
  {
    gv: 'apps/v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
    namespaced: true,
    short: ['rs'],
    cat: ALL,
    status: true,
    scale: true,
  },
  { gv: 'apps/v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true },
  { gv: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true, cat: ALL, status: true },
  {
    gv: 'batch/v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    namespaced: true,
    short: ['cj'],
    cat: ALL,
    status: true,
  },
  {
    gv: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    short: ['hpa'],
    cat: ALL,
    status: true,
  },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    plural: 'roles',
    namespaced: true,
    createOnUpdate: true,
    name: 'path',
  },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
    createOnUpdate: true,
    name: 'path',
  },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
    createOnUpdate: true,
    name: 'path',
  },
  {
    gv: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
    createOnUpdate: true,
    name: 'path',
  },
  {
    gv: 'networking.k8s.io/v1',
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: true,
    short: ['ing'],
    status: true,
  },
  { gv: 'networking.k8s.io/v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false },
  {
    gv: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
    short: ['netpol'],
  },
  { gv: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true, createOnUpdate: true },
  {
    gv: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    namespaced: true,
    createOnUpdate: true,
  },
  {
    gv: 'events.k8s.io/v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    short: ['ev'],
    createOnUpdate: true,
  },
  {
    gv: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
    short: ['pdb'],
    status: true,
  },
  {
    gv: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    plural: 'storageclasses',
    namespaced: false,
    short: ['sc'],
  },
  {
    gv: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    namespaced: false,
    short: ['pc'],
    createOnUpdate: true,
  },
  {
    gv: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    short: ['crd', 'crds'],
    cat: EXT,
    status: true,
  },
  {
    gv: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    namespaced: false,
    verbs: ['create'],
    review: true,
  },
  {
    gv: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectRulesReview',
    plural: 'selfsubjectrulesreviews',
    namespaced: false,
    verbs: ['create'],
    review: true,
  },
  {
    gv: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    plural: 'selfsubjectreviews',
    namespaced: false,
    verbs: ['create'],
    review: true,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
    cat: EXT,
  },
  {
    gv: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    plural: 'validatingwebhookconfigurations',
    namespaced: false,
    cat: EXT,
  },
];

/** Extra per-type facts the server core needs beyond the shared contract. */
export interface BuiltinFacts {
  createOnUpdate: boolean;
  nameRule: NameRule;
  review: boolean;
}

const facts = new WeakMap<ResourceType, BuiltinFacts>();

export function builtinFacts(rt: ResourceType): BuiltinFacts {
  return facts.get(rt) ?? { createOnUpdate: false, nameRule: 'subdomain', review: false };
}

function singularOf(kind: string): string {
  return kind.toLowerCase();
}

/** Builds the built-in ResourceTypes once; `schemaFor` attaches swagger schemas when available. */
export function buildBuiltinTypes(
  schemaFor?: (group: string, version: string, kind: string) => ResourceType['schema'],
): ResourceType[] {
  return entries.map((e) => {
    const [group, version] = e.gv.includes('/') ? e.gv.split('/') : ['', e.gv];
    const rt: ResourceType = {
      group,
      version,
      kind: e.kind,
      listKind: `${e.kind}List`,
      plural: e.plural,
      singular: singularOf(e.kind),
      namespaced: e.namespaced,
      shortNames: e.short ?? [],
      categories: e.cat ?? [],
      verbs: e.verbs ?? STANDARD_VERBS,
      subresources: {
        ...(e.status ? { status: true } : {}),
        ...(e.scale
          ? {
              scale: {
                specReplicasPath: '.spec.replicas',
                statusReplicasPath: '.status.replicas',
                labelSelectorPath: '.status.selector',
              },
            }
          : {}),
      },
      schema: schemaFor?.(group, version, e.kind),
      storageVersion: version,
      builtin: true,
    };
    facts.set(rt, {
      createOnUpdate: e.createOnUpdate ?? false,
      nameRule: e.name ?? 'subdomain',
      review: e.review ?? false,
    });
    return rt;
  });
}

/** Group order in `/apis` (kube's preferred order, roughly). */
export const GROUP_ORDER = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
];
