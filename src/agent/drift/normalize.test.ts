import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../../kube/index.js';
import { driftExclusionsToPatches } from './build.js';
import { driftHash } from './hash.js';
import { applyExclusionPatch, canonicalJson, driftContent, targetMatches } from '../../engine/drift/index.js';

const deploy = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'demo',
    uid: 'u1',
    resourceVersion: '12',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { app: 'web' },
    annotations: { 'deployment.kubernetes.io/revision': '4', team: 'a' },
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  status: { readyReplicas: 2 },
});

test('server-managed metadata, server annotations and status are not compared', () => {
  const a = deploy();
  const b = deploy();
  b.metadata = { ...b.metadata, uid: 'u2', resourceVersion: '99', generation: 9 };
  b.metadata.annotations = { team: 'a', 'deployment.kubernetes.io/revision': '5' };
  b.status = { readyReplicas: 0 };
  assert.equal(driftHash(a), driftHash(b));
  assert.deepEqual(driftContent(a), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' }, annotations: { team: 'a' } },
    spec: a.spec,
  } as never);
});

test('spec, labels and annotations a user changes are compared', () => {
  const base = driftHash(deploy());
  const spec = deploy();
  (spec.spec as { replicas: number }).replicas = 3;
  const label = deploy();
  label.metadata = { ...label.metadata, labels: { app: 'other' } };
  const ann = deploy();
  ann.metadata = { ...ann.metadata, annotations: { team: 'b' } };
  for (const o of [spec, label, ann]) assert.notEqual(driftHash(o), base);
});

test('driftExclusions paths are removed from objects their target selects', () => {
  const patches = driftExclusionsToPatches([
    { paths: ['/spec/replicas', '/spec/template/spec/containers/0/image'], target: { kind: 'Deployment' } },
  ]);
  const a = deploy();
  const b = deploy();
  (b.spec as { replicas: number }).replicas = 7;
  (b.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image =
    'nginx:2';
  assert.notEqual(driftHash(a), driftHash(b));
  assert.equal(driftHash(a, patches), driftHash(b, patches));
  const other = driftExclusionsToPatches([{ paths: ['/spec/replicas'], target: { kind: 'StatefulSet' } }]);
  assert.notEqual(driftHash(a, other), driftHash(b, other));
});

test('exclusion patches: missing paths, ~ escapes, merge patches', () => {
  assert.deepEqual(applyExclusionPatch({ a: 1 }, '[{"op":"remove","path":"/b/c"}]'), { a: 1 });
  assert.deepEqual(applyExclusionPatch({ 'x/y': 1, a: 2 }, '- op: remove\n  path: /x~1y\n'), { a: 2 });
  assert.deepEqual(applyExclusionPatch({ a: { b: 1, c: 2 } }, 'a:\n  b: null\n'), { a: { c: 2 } });
  assert.throws(() => applyExclusionPatch({}, '[unclosed'), /not valid YAML\/JSON/);
});

test('patch targets: kustomize semantics', () => {
  const o = deploy();
  assert.equal(targetMatches(undefined, o), true);
  assert.equal(targetMatches({ group: 'apps', version: 'v1', kind: 'Deployment' }, o), true);
  assert.equal(targetMatches({ group: '', kind: 'Deployment' }, o), true, 'empty group: any');
  assert.equal(targetMatches({ group: 'batch' }, o), false);
  assert.equal(targetMatches({ name: 'w.*' }, o), true);
  assert.equal(targetMatches({ name: 'we' }, o), false, 'anchored');
  assert.equal(targetMatches({ namespace: 'demo|prod' }, o), true);
  assert.equal(targetMatches({ labelSelector: 'app in (web,api)' }, o), true);
  assert.equal(targetMatches({ labelSelector: 'app!=web' }, o), false);
  assert.equal(targetMatches({ annotationSelector: 'team=a' }, o), true);
  assert.equal(targetMatches({ name: '(' }, o), false, 'an invalid expression selects nothing');
});

test('canonical JSON sorts keys at every level and drops undefined', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } }),
    '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
  );
});

test('property: key order and server-managed metadata never change the hash; a data change does', () => {
  const shuffle = (v: unknown, seed: number): unknown => {
    if (Array.isArray(v)) return v.map((x) => shuffle(x, seed));
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>);
    if (seed % 2) entries.reverse();
    return Object.fromEntries(entries.map(([k, x]) => [k, shuffle(x, seed + 1)]));
  };
  fc.assert(
    fc.property(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue(), { maxKeys: 6 }),
      fc.string(),
      fc.nat(),
      (data, rv, seed) => {
        const obj: KubeObject = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'a', namespace: 'n' },
          data,
        };
        const noisy = shuffle(
          {
            ...obj,
            metadata: { ...obj.metadata, resourceVersion: rv, uid: rv, generation: seed },
            status: { rv },
          },
          seed,
        ) as KubeObject;
        assert.equal(driftHash(noisy), driftHash(obj));
        assert.notEqual(driftHash({ ...obj, data: { ...data, 'extra-key': 'x' } }), driftHash(obj));
      },
    ),
    { numRuns: 200 },
  );
});
