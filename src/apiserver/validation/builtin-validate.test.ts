import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, ResourceType } from '../contracts.js';
import { validator } from './index.js';
import { builtinType } from './test-support.js';

const deploymentRT = builtinType('apps', 'v1', 'Deployment');
const serviceRT = builtinType('', 'v1', 'Service');
const configMapRT = builtinType('', 'v1', 'ConfigMap');
const secretRT = builtinType('', 'v1', 'Secret');
const podRT = builtinType('', 'v1', 'Pod');
const namespaceRT = builtinType('', 'v1', 'Namespace', false);
const jobRT = builtinType('batch', 'v1', 'Job');
const roleBindingRT = builtinType('rbac.authorization.k8s.io', 'v1', 'RoleBinding');

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

function deployment(
  spec: Record<string, unknown> = {},
  labels: Record<string, string> = { app: 'a' },
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'a' } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

test('a valid Deployment, Service, ConfigMap and Pod pass', () => {
  assert.deepEqual(check(deploymentRT, deployment()), []);
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'a' }, ports: [{ port: 80 }] },
  };
  assert.deepEqual(check(serviceRT, svc), []);
  assert.deepEqual(
    check(configMapRT, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { 'a.b': 'x' },
    }),
    [],
  );
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
  assert.deepEqual(check(podRT, pod), []);
});

test('type errors and required fields from the swagger', () => {
  assert.deepEqual(check(deploymentRT, deployment({ replicas: 'three' })), [
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  ]);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} };
  assert.deepEqual(check(podRT, pod), ['spec.containers: Required value']);
  const noImage = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c' }] },
  };
  assert.deepEqual(check(podRT, noImage), ['spec.containers[0].image: Required value']);
});

test('names: DNS subdomain, DNS-1035 label for Services, label for Namespaces', () => {
  assert.deepEqual(check(namespaceRT, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }), [
    "metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: '1web' },
    spec: { ports: [{ port: 80 }] },
  };
  assert.deepEqual(check(serviceRT, svc), [
    "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  const labels = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'a b': 'x' } } };
  assert.deepEqual(check(configMapRT, labels), [
    "metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
});

test('Deployment: selector must match labels, selector immutable, container rules', () => {
  assert.deepEqual(check(deploymentRT, deployment({}, { app: 'b' })), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
  ]);
  const moved = deployment({ selector: { matchLabels: { app: 'a', tier: 'x' } } }, { app: 'a', tier: 'x' });
  assert.deepEqual(check(deploymentRT, moved, deployment()), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"a", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const badContainer = deployment();
  (badContainer.spec as any).template.spec.containers.push(
    { name: 'web', image: 'x', ports: [{ containerPort: 0, protocol: 'ICMP' }] },
    { name: 'Bad', image: 'x', imagePullPolicy: 'Sometimes' },
  );
  assert.deepEqual(check(deploymentRT, badContainer), [
    'spec.template.spec.containers[1].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.template.spec.containers[1].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.template.spec.containers[1].name: Duplicate value: "web"',
    "spec.template.spec.containers[2].name: Invalid value: \"Bad\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    'spec.template.spec.containers[2].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  ]);
  assert.deepEqual(check(deploymentRT, deployment({ replicas: -1 })), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('Service: type, ports, names, clusterIP immutable', () => {
  const svc = (spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec,
  });
  assert.deepEqual(check(serviceRT, svc({ type: 'Magic', ports: [{ port: 80 }] })), [
    'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  ]);
  assert.deepEqual(check(serviceRT, svc({})), ['spec.ports: Required value']);
  assert.deepEqual(check(serviceRT, svc({ ports: [{ port: 80 }, { port: 70000, name: 'b' }] })), [
    'spec.ports[0].name: Required value',
    'spec.ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  assert.deepEqual(
    check(
      serviceRT,
      svc({ clusterIP: '10.0.0.2', ports: [{ port: 80 }] }),
      svc({ clusterIP: '10.0.0.1', ports: [{ port: 80 }] }),
    ),
    ['spec.clusterIPs[0]: Invalid value: "10.0.0.2": may not change once set'],
  );
});

test('ConfigMap and Secret: keys, immutable, type', () => {
  const cm = (data: Record<string, string>, immutable?: boolean) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    data,
    ...(immutable === undefined ? {} : { immutable }),
  });
  assert.deepEqual(check(configMapRT, cm({ 'a b': 'x' })), [
    "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  assert.deepEqual(check(configMapRT, cm({ a: '2' }, true), cm({ a: '1' }, true)), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  const s = (type: string, data: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    type,
    data,
  });
  assert.deepEqual(check(secretRT, s('kubernetes.io/tls', { 'tls.crt': 'eA==' })), [
    'data[tls.key]: Required value',
  ]);
  assert.deepEqual(check(secretRT, s('Other'), s('Opaque')), [
    'type: Invalid value: "Other": field is immutable',
  ]);
});

test('Job: restart policy and immutable template; RoleBinding roleRef', () => {
  const job = (image: string, restartPolicy = 'Never') => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec: { template: { spec: { restartPolicy, containers: [{ name: 'c', image }] } } },
  });
  assert.deepEqual(check(jobRT, job('busybox', 'Always')), [
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
  assert.deepEqual(check(jobRT, job('b'), job('a')), [
    'spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable',
  ]);
  const rb = (name: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'rb' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
  });
  assert.deepEqual(check(roleBindingRT, rb('a')), []);
  assert.deepEqual(check(roleBindingRT, rb('b'), rb('a')), [
    'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
  ]);
});

test('metadata on update: uid immutable, no new finalizers while deleting', () => {
  const cm = (meta: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', ...meta },
  });
  assert.deepEqual(check(configMapRT, cm({ uid: 'b' }), cm({ uid: 'a' })), [
    'metadata.uid: Invalid value: "b": field is immutable',
  ]);
  const deleting = { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['a/x'] };
  assert.deepEqual(check(configMapRT, cm({ ...deleting, finalizers: [] }), cm(deleting)), []);
  assert.deepEqual(check(configMapRT, cm({ ...deleting, finalizers: ['a/x', 'b/y'] }), cm(deleting)), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b/y"}',
  ]);
});

test('metadata wire types are checked (labels must be strings)', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 1 } } };
  assert.deepEqual(check(configMapRT, cm as unknown as KubeObject), [
    'metadata.labels.a: Invalid value: "integer": metadata.labels.a in body must be of type string: "integer"',
  ]);
});

test('defaulting never hides a wrongly typed value', () => {
  const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: 'x' };
  assert.deepEqual(check(deploymentRT, d as unknown as KubeObject), [
    'spec: Invalid value: "string": spec in body must be of type object: "string"',
  ]);
});
