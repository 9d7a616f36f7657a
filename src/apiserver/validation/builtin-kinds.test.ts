import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, ResourceType } from '../contracts.js';
import { validator } from './index.js';
import { builtinType } from './test-support.js';

function check(rt: ResourceType, obj: KubeObject, old?: KubeObject): string[] {
  const o = structuredClone(obj);
  validator.defaultAndPrune(rt, o);
  let prev: KubeObject | undefined;
  if (old) {
    prev = structuredClone(old);
    validator.defaultAndPrune(rt, prev);
  }
  return validator.validate(rt, o, prev).map((e) => `${e.field}: ${e.message}`);
}

const podTemplate = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };

test('Role and ClusterRole rules', () => {
  const rt = builtinType('rbac.authorization.k8s.io', 'v1', 'Role');
  const role = (rules: unknown[]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'r' },
    rules,
  });
  assert.deepEqual(check(rt, role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])), []);
  assert.deepEqual(check(rt, role([{ resources: ['pods'], verbs: [] }])), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
  ]);
});

test('Ingress paths need a pathType and an absolute path', () => {
  const rt = builtinType('networking.k8s.io', 'v1', 'Ingress');
  const backend = { service: { name: 's', port: { number: 80 } } };
  const ing = (path: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'i' },
    spec: { rules: [{ host: 'example.com', http: { paths: [{ backend, ...path }] } }] },
  });
  assert.deepEqual(check(rt, ing({ path: '/', pathType: 'Prefix' })), []);
  assert.deepEqual(check(rt, ing({ path: 'x' })), [
    'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path',
  ]);
  assert.deepEqual(check(rt, ing({ path: '/', pathType: 'Glob' })), [
    'spec.rules[0].http.paths[0].pathType: Unsupported value: "Glob": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  ]);
});

test('StatefulSet spec updates are limited; DaemonSet selector immutable', () => {
  const rt = builtinType('apps', 'v1', 'StatefulSet');
  const sts = (serviceName: string, replicas = 1) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's' },
    spec: { serviceName, replicas, selector: { matchLabels: { app: 'a' } }, template: podTemplate },
  });
  assert.deepEqual(check(rt, sts('a', 3), sts('a')), []);
  assert.deepEqual(check(rt, sts('b'), sts('a')), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  const drt = builtinType('apps', 'v1', 'DaemonSet');
  const ds = (app: string) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'd' },
    spec: { selector: { matchLabels: { app } }, template: { ...podTemplate, metadata: { labels: { app } } } },
  });
  assert.deepEqual(check(drt, ds('a')), []);
  assert.equal(check(drt, ds('b'), ds('a')).length, 1);
});

test('CronJob schedule and concurrency policy', () => {
  const rt = builtinType('batch', 'v1', 'CronJob');
  const cj = (schedule: string, concurrencyPolicy = 'Allow') => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: {
      schedule,
      concurrencyPolicy,
      jobTemplate: {
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'x' }] } } },
      },
    },
  });
  assert.deepEqual(check(rt, cj('*/5 * * * *')), []);
  assert.deepEqual(check(rt, cj('@hourly')), []);
  assert.deepEqual(check(rt, cj('* * *')), [
    'spec.schedule: Invalid value: "* * *": Expected exactly 5 fields, found 3: * * *',
  ]);
  assert.deepEqual(check(rt, cj('* * * * *', 'Sometimes')), [
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  ]);
});

test('Pod volumes and mounts', () => {
  const rt = builtinType('', 'v1', 'Pod');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', configMap: { name: 'c' } }, { name: 'none' }],
      containers: [
        {
          name: 'c',
          image: 'x',
          volumeMounts: [{ name: 'missing', mountPath: '/m' }],
          resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
        },
      ],
    },
  };
  assert.deepEqual(check(rt, pod), [
    'spec.volumes[1].name: Duplicate value: "data"',
    'spec.volumes[2]: Required value: must specify a volume type',
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
  ]);
});

test('core Event: metadata is not reported missing by the swagger check', () => {
  const rt = builtinType('', 'v1', 'Event');
  const ev = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
    reason: 'Started',
    message: 'ok',
    type: 'Normal',
  };
  assert.deepEqual(check(rt, ev), []);
  const { involvedObject: _, ...noRef } = ev;
  assert.deepEqual(check(rt, noRef), ['involvedObject: Required value']);
});
