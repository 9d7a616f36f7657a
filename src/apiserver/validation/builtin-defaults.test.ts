import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../contracts.js';
import { validator } from './index.js';
import { builtinType } from './test-support.js';

test('Service defaults: type, sessionAffinity, protocol, targetPort, traffic and family policies', () => {
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: {
      selector: { app: 'a' },
      ports: [{ port: 80 }, { port: 443, targetPort: 'https', name: 'https' }],
    },
  };
  assert.deepEqual(validator.defaultAndPrune(builtinType('', 'v1', 'Service'), svc), []);
  assert.deepEqual(svc.spec, {
    selector: { app: 'a' },
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 443, targetPort: 'https', name: 'https', protocol: 'TCP' },
    ],
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
  });
});

test('Deployment defaults, container pull policy by tag, and unknown fields (never pruned)', () => {
  const d: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      selector: { matchLabels: { app: 'a' } },
      template: {
        metadata: { labels: { app: 'a' } },
        spec: {
          containers: [
            { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }], bogus: 1 },
            { name: 'b', image: 'nginx:1.27' },
            { name: 'c', image: 'registry:5000/x:latest' },
          ],
        },
      },
    },
  };
  const unknown = validator.defaultAndPrune(builtinType('apps', 'v1', 'Deployment'), d);
  assert.deepEqual(unknown, ['spec.template.spec.containers[0].bogus']);
  const spec = d.spec as any;
  assert.equal(spec.replicas, 1);
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.equal(spec.progressDeadlineSeconds, 600);
  assert.deepEqual(spec.strategy, {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
  });
  const pod = spec.template.spec;
  assert.equal(pod.restartPolicy, 'Always');
  assert.equal(pod.dnsPolicy, 'ClusterFirst');
  assert.equal(pod.schedulerName, 'default-scheduler');
  assert.deepEqual(pod.securityContext, {});
  assert.equal(pod.terminationGracePeriodSeconds, 30);
  assert.deepEqual(
    pod.containers.map((c: any) => c.imagePullPolicy),
    ['Always', 'IfNotPresent', 'Always'],
  );
  assert.equal(pod.containers[0].terminationMessagePath, '/dev/termination-log');
  assert.equal(pod.containers[0].terminationMessagePolicy, 'File');
  assert.deepEqual(pod.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.equal(pod.containers[0].bogus, 1);
});

test('Job, CronJob, Secret, Namespace defaults', () => {
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', uid: 'u1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
  validator.defaultAndPrune(builtinType('batch', 'v1', 'Job'), job);
  const js = job.spec as any;
  assert.deepEqual(
    [js.backoffLimit, js.completions, js.parallelism, js.completionMode, js.suspend],
    [6, 1, 1, 'NonIndexed', false],
  );
  assert.deepEqual(js.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } });
  assert.equal(js.template.metadata.labels['job-name'], 'j');
  const cj: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
  };
  validator.defaultAndPrune(builtinType('batch', 'v1', 'CronJob'), cj);
  const cs = cj.spec as any;
  assert.deepEqual(
    [cs.concurrencyPolicy, cs.suspend, cs.successfulJobsHistoryLimit, cs.failedJobsHistoryLimit],
    ['Allow', false, 3, 1],
  );
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    stringData: { a: 'hé' },
  };
  validator.defaultAndPrune(builtinType('', 'v1', 'Secret'), secret);
  assert.deepEqual(secret, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    type: 'Opaque',
    data: { a: 'aMOp' },
  });
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } };
  validator.defaultAndPrune(builtinType('', 'v1', 'Namespace', false), ns);
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
});
