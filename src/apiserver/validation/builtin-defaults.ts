/**
 * The defaults kube-apiserver applies to the built-in kinds a fleet uses (pkg/apis/<group>/v1
 * defaults.go), so `kubectl get -o yaml` shows what it shows against a real cluster. Built-ins are
 * never pruned: unknown fields are only reported.
 */
import type { KubeObject, ResourceType } from '../contracts.js';
import { isObject } from './field-errors.js';
import { unknownBuiltinFields } from './builtin-unknown.js';
import { setOwn } from '../../lib/own-props.js';

type Obj = Record<string, unknown>;

/**
 * The object at `parent[key]`, created when absent. A value of the wrong type is left alone (so
 * validation reports it) and defaults go to a detached object instead.
 */
function obj(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (isObject(v)) return v;
  if (v !== undefined && v !== null) return {};
  parent[key] = {};
  return parent[key] as Obj;
}

function set(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function each(v: unknown, fn: (o: Obj) => void): void {
  if (Array.isArray(v)) for (const x of v) if (isObject(x)) fn(x);
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagSep = image.indexOf(':', lastSlash + 1);
  if (tagSep < 0) return 'Always';
  return image.slice(tagSep + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObject(p)) return;
  set(p, 'timeoutSeconds', 1);
  set(p, 'periodSeconds', 10);
  set(p, 'successThreshold', 1);
  set(p, 'failureThreshold', 3);
  if (isObject(p.httpGet)) set(p.httpGet, 'scheme', 'HTTP');
}

function defaultEnv(env: unknown): void {
  each(env, (e) => {
    if (isObject(e.valueFrom) && isObject(e.valueFrom.fieldRef))
      set(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  });
}

function defaultContainer(c: Obj): void {
  set(c, 'terminationMessagePath', '/dev/termination-log');
  set(c, 'terminationMessagePolicy', 'File');
  set(c, 'imagePullPolicy', imagePullPolicy(c.image));
  each(c.ports, (p) => set(p, 'protocol', 'TCP'));
  defaultEnv(c.env);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  set(c, 'resources', {});
}

function defaultVolumes(vols: unknown): void {
  each(vols, (v) => {
    for (const k of ['configMap', 'secret', 'downwardAPI', 'projected']) {
      if (isObject(v[k])) set(v[k] as Obj, 'defaultMode', 420);
    }
    if (isObject(v.hostPath)) set(v.hostPath, 'type', '');
    if (isObject(v.downwardAPI)) {
      each(v.downwardAPI.items, (i) => {
        if (isObject(i.fieldRef)) set(i.fieldRef, 'apiVersion', 'v1');
      });
    }
  });
}

/** SetDefaults_PodSpec and the container defaults. */
export function defaultPodSpec(spec: Obj): void {
  set(spec, 'restartPolicy', 'Always');
  set(spec, 'dnsPolicy', 'ClusterFirst');
  set(spec, 'schedulerName', 'default-scheduler');
  set(spec, 'securityContext', {});
  set(spec, 'terminationGracePeriodSeconds', 30);
  each(spec.containers, defaultContainer);
  each(spec.initContainers, defaultContainer);
  defaultVolumes(spec.volumes);
}

function defaultTemplate(spec: Obj): void {
  const template = obj(spec, 'template');
  defaultPodSpec(obj(template, 'spec'));
  if (!isObject(template.metadata)) template.metadata = {};
}

function defaultService(o: Obj): void {
  const spec = obj(o, 'spec');
  set(spec, 'type', 'ClusterIP');
  set(spec, 'sessionAffinity', 'None');
  each(spec.ports, (p) => {
    set(p, 'protocol', 'TCP');
    if (
      spec.type !== 'ExternalName' &&
      (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '')
    ) {
      p.targetPort = p.port;
    }
  });
  if (spec.type !== 'ExternalName') {
    set(spec, 'internalTrafficPolicy', 'Cluster');
    if (spec.clusterIP !== 'None' || spec.selector !== undefined) set(spec, 'ipFamilyPolicy', 'SingleStack');
    else set(spec, 'ipFamilyPolicy', 'RequireDualStack');
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') set(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') set(spec, 'allocateLoadBalancerNodePorts', true);
  // kube always serialises the (empty) load balancer status of a Service.
  if (o.status === undefined || o.status === null) o.status = {};
  if (isObject(o.status)) set(o.status, 'loadBalancer', {});
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = obj(spec, 'sessionAffinityConfig');
    set(obj(cfg, 'clientIP'), 'timeoutSeconds', 10800);
  }
}

function defaultDeployment(o: Obj): void {
  const spec = obj(o, 'spec');
  set(spec, 'replicas', 1);
  set(spec, 'revisionHistoryLimit', 10);
  set(spec, 'progressDeadlineSeconds', 600);
  const strategy = obj(spec, 'strategy');
  set(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = obj(strategy, 'rollingUpdate');
    set(ru, 'maxUnavailable', '25%');
    set(ru, 'maxSurge', '25%');
  }
  defaultTemplate(spec);
}

function defaultStatefulSet(o: Obj): void {
  const spec = obj(o, 'spec');
  set(spec, 'replicas', 1);
  set(spec, 'revisionHistoryLimit', 10);
  set(spec, 'podManagementPolicy', 'OrderedReady');
  const us = obj(spec, 'updateStrategy');
  set(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') set(obj(us, 'rollingUpdate'), 'partition', 0);
  const retention = obj(spec, 'persistentVolumeClaimRetentionPolicy');
  set(retention, 'whenDeleted', 'Retain');
  set(retention, 'whenScaled', 'Retain');
  each(spec.volumeClaimTemplates, (t) => set(obj(t, 'spec'), 'volumeMode', 'Filesystem'));
  defaultTemplate(spec);
}

function defaultDaemonSet(o: Obj): void {
  const spec = obj(o, 'spec');
  set(spec, 'revisionHistoryLimit', 10);
  const us = obj(spec, 'updateStrategy');
  set(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') {
    const ru = obj(us, 'rollingUpdate');
    set(ru, 'maxUnavailable', 1);
    set(ru, 'maxSurge', 0);
  }
  defaultTemplate(spec);
}

function defaultJobSpec(spec: Obj): void {
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  set(spec, 'parallelism', 1);
  set(spec, 'backoffLimit', 6);
  set(spec, 'completionMode', 'NonIndexed');
  set(spec, 'suspend', false);
  if (spec.podFailurePolicy == null) set(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  else set(spec, 'podReplacementPolicy', 'Failed');
  defaultTemplate(spec);
}

function defaultCronJob(o: Obj): void {
  const spec = obj(o, 'spec');
  set(spec, 'concurrencyPolicy', 'Allow');
  set(spec, 'suspend', false);
  set(spec, 'successfulJobsHistoryLimit', 3);
  set(spec, 'failedJobsHistoryLimit', 1);
  const jt = obj(spec, 'jobTemplate');
  defaultTemplate(obj(jt, 'spec'));
}

function defaultNetworkPolicy(o: Obj): void {
  const spec = obj(o, 'spec');
  for (const dir of ['ingress', 'egress'])
    each(spec[dir], (r) => each(r.ports, (p) => set(p, 'protocol', 'TCP')));
  if (spec.policyTypes == null)
    spec.policyTypes = Array.isArray(spec.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
}

function defaultRoleBinding(o: Obj): void {
  each(o.subjects, (s) => {
    if (s.kind === 'ServiceAccount') set(s, 'apiGroup', '');
    else if (s.kind === 'User' || s.kind === 'Group') set(s, 'apiGroup', 'rbac.authorization.k8s.io');
  });
}

const utf8 = new TextEncoder();

function base64(s: string): string {
  let bin = '';
  for (const b of utf8.encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Secret: `stringData` is merged into `data` (base64) and dropped, as kube's conversion does. */
function defaultSecret(o: Obj): void {
  set(o, 'type', 'Opaque');
  if (isObject(o.stringData)) {
    const data = obj(o, 'data');
    for (const [k, v] of Object.entries(o.stringData)) setOwn(data, k, base64(String(v)));
  }
  delete o.stringData;
}

function defaultCRD(o: Obj): void {
  const spec = obj(o, 'spec');
  const names = obj(spec, 'names');
  if (typeof names.kind === 'string') {
    set(names, 'singular', names.kind.toLowerCase());
    set(names, 'listKind', `${names.kind}List`);
  }
  const conv = obj(spec, 'conversion');
  set(conv, 'strategy', 'None');
  if (conv.strategy === 'Webhook' && isObject(conv.webhook)) {
    set(conv.webhook, 'conversionReviewVersions', ['v1beta1']);
  }
}

/** Job: without manualSelector, kube generates the selector and pod labels from the uid. */
function defaultJob(o: Obj): void {
  const spec = obj(o, 'spec');
  defaultJobSpec(spec);
  const meta = isObject(o.metadata) ? o.metadata : {};
  const uid = meta.uid;
  if (spec.manualSelector === true || typeof uid !== 'string' || !uid || spec.selector !== undefined) return;
  const labels = obj(obj(obj(spec, 'template'), 'metadata'), 'labels');
  const name = typeof meta.name === 'string' ? meta.name : '';
  set(labels, 'batch.kubernetes.io/controller-uid', uid);
  set(labels, 'batch.kubernetes.io/job-name', name);
  set(labels, 'controller-uid', uid);
  set(labels, 'job-name', name);
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}

const BY_KIND: Record<string, (o: Obj) => void> = {
  '/Service': defaultService,
  '/Pod': (o) => {
    const spec = obj(o, 'spec');
    defaultPodSpec(spec);
    set(spec, 'enableServiceLinks', true);
  },
  '/PodTemplate': (o) => defaultTemplate(o),
  '/ReplicationController': (o) => {
    const spec = obj(o, 'spec');
    set(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  '/Secret': defaultSecret,
  'apiextensions.k8s.io/CustomResourceDefinition': defaultCRD,
  '/Namespace': (o) => set(obj(o, 'spec'), 'finalizers', ['kubernetes']),
  '/Endpoints': (o) => each(o.subsets, (s) => each(s.ports, (p) => set(p, 'protocol', 'TCP'))),
  '/PersistentVolumeClaim': (o) => set(obj(o, 'spec'), 'volumeMode', 'Filesystem'),
  'apps/Deployment': defaultDeployment,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/DaemonSet': defaultDaemonSet,
  'apps/ReplicaSet': (o) => {
    const spec = obj(o, 'spec');
    set(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'discovery.k8s.io/EndpointSlice': (o) => each(o.ports, (p) => set(p, 'protocol', 'TCP')),
  'rbac.authorization.k8s.io/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultRoleBinding,
};

/** Applies kube's defaults for the kind in place; returns the unknown field paths (`spec.foo`). */
export function defaultAndPruneBuiltin(rt: ResourceType, o: KubeObject): string[] {
  const unknown = rt.schema ? unknownBuiltinFields(rt.schema, o) : [];
  BY_KIND[`${rt.group}/${rt.kind}`]?.(o as Obj);
  return unknown;
}
