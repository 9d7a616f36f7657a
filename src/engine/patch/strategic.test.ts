import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'yaml';
import { gunzipSync } from 'node:zlib';
import type { PatchSchema } from './schema.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic.js';
import { swaggerPatchSchemas } from './swagger-schema.js';

interface SchemaNode extends PatchSchema {
  type?: string;
  preserveUnknownFields?: boolean;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** The upstream MergeItem test type, as a schema. */
function mergeItemSchema(): SchemaNode {
  const item: SchemaNode = { type: 'object', properties: {} };
  const str: SchemaNode = { type: 'string' };
  const ints = (strategy?: string): SchemaNode => ({
    type: 'array',
    items: { type: 'integer' },
    ...(strategy ? { patchStrategy: strategy } : {}),
  });
  const retainKeysItem: SchemaNode = {
    type: 'object',
    properties: {
      name: str,
      value: str,
      other: str,
      simpleMap: { type: 'object', additionalProperties: str },
      mergingIntList: ints('merge'),
      mergingList: { type: 'array', items: item, patchStrategy: 'merge', patchMergeKey: 'name' },
      nonMergingList: { type: 'array', items: item },
    },
  };
  item.properties = {
    name: str,
    value: str,
    other: str,
    mergingList: { type: 'array', items: item, patchStrategy: 'merge', patchMergeKey: 'name' },
    nonMergingList: { type: 'array', items: item },
    mergingIntList: ints('merge'),
    nonMergingIntList: ints(),
    mergeItemPtr: { ...item, patchStrategy: 'merge', patchMergeKey: 'name' },
    simpleMap: { type: 'object', additionalProperties: str },
    replacingItem: { type: 'object', preserveUnknownFields: true, patchStrategy: 'replace' },
    retainKeysMap: { ...retainKeysItem, patchStrategy: 'retainKeys' },
    retainKeysMergingList: {
      type: 'array',
      items: item,
      patchStrategy: 'merge,retainKeys',
      patchMergeKey: 'name',
    },
  };
  return item;
}

interface Case {
  description: string;
  original: Record<string, unknown>;
  patch: unknown;
  result?: Record<string, unknown>;
  resultAsStored?: Record<string, unknown>;
  error?: string;
}

// testdata is not copied by tsc: from dist/src/... read the source tree's copy
const here = new URL('./testdata/smp-cases.yaml', import.meta.url);
const casesFile = existsSync(here)
  ? here
  : new URL('../../../../src/engine/patch/testdata/smp-cases.yaml', import.meta.url);
const cases = parse(readFileSync(casesFile, 'utf8')) as Case[];
const schema = mergeItemSchema();

for (const c of cases) {
  test(`upstream SMP: ${c.description}`, () => {
    if (c.error) {
      assert.throws(
        () => applyStrategicMergePatch(c.original, c.patch, schema),
        (e: any) => {
          const text = `${e.message} ${JSON.stringify(e.details ?? {})}`;
          assert.ok(text.includes(c.error!) || e.code === 422, `${text} should mention ${c.error}`);
          return true;
        },
      );
      return;
    }
    const before = JSON.stringify(c.original);
    const got = applyStrategicMergePatch(c.original, c.patch, schema);
    assert.deepEqual(got, c.resultAsStored ?? c.result);
    assert.equal(JSON.stringify(c.original), before, 'input untouched');
  });
}

test('error classes: malformed directives are 400, missing merge key is 500 as in kube', () => {
  assert.throws(
    () => applyStrategicMergePatch({ retainKeysMap: {} }, { retainKeysMap: { $retainKeys: 'x' } }, schema),
    (e: any) =>
      e.code === 400 && e.reason === 'BadRequest' && e.message === 'invalid patch format of retainKeys',
  );
  assert.throws(
    () => applyStrategicMergePatch({ mergingList: [{ name: 1 }] }, { mergingList: [{ value: 2 }] }, schema),
    (e: any) =>
      e.code === 500 &&
      e.message === 'Internal error occurred: map: map[value:2] does not contain declared merge key: name',
  );
  assert.throws(
    () => applyStrategicMergePatch({}, [1], schema),
    (e: any) => e.code === 400 && /cannot unmarshal array/.test(e.message),
  );
});

const swaggerFile = new URL('../../../assets/kubernetes/swagger-v1.35.json.gz', import.meta.url);
const builtin = swaggerPatchSchemas(
  JSON.parse(
    gunzipSync(
      readFileSync(
        existsSync(swaggerFile)
          ? swaggerFile
          : new URL('../../../../assets/kubernetes/swagger-v1.35.json.gz', import.meta.url),
      ),
    ).toString('utf8'),
  ),
);
const podSchema = builtin.forKind('', 'v1', 'Pod');
const depSchema = builtin.forKind('apps', 'v1', 'Deployment');

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }],
      },
      { name: 'side', image: 'busybox' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
  },
};

test('built-in Pod: containers merge by name, env by name, labels as a map', () => {
  const out = applyStrategicMergePatch(
    pod,
    {
      metadata: { labels: { tier: 'front', app: null } },
      spec: { containers: [{ name: 'web', image: 'nginx:2', env: [{ name: 'B', value: '2' }] }] },
    },
    podSchema,
  ) as any;
  assert.deepEqual(out.metadata.labels, { tier: 'front' });
  assert.equal(out.spec.containers.length, 2);
  assert.equal(out.spec.containers[0].image, 'nginx:2');
  // upstream puts patch items the server order does not know first
  assert.deepEqual(out.spec.containers[0].env, [
    { name: 'B', value: '2' },
    { name: 'A', value: '1' },
  ]);
  assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.equal(out.spec.containers[1].name, 'side');
});

test('built-in Pod: finalizers merge as a set, $deleteFromPrimitiveList removes', () => {
  const out = applyStrategicMergePatch(pod, { metadata: { finalizers: ['c', 'a'] } }, podSchema) as any;
  assert.deepEqual(out.metadata.finalizers, ['c', 'a', 'b']);
  const out2 = applyStrategicMergePatch(
    pod,
    { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
    podSchema,
  ) as any;
  assert.deepEqual(out2.metadata.finalizers, ['b']);
});

test('built-in Pod: volumes use merge,retainKeys; $retainKeys swaps the volume source', () => {
  const out = applyStrategicMergePatch(
    pod,
    { spec: { volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } },
    podSchema,
  ) as any;
  assert.deepEqual(out.spec.volumes, [{ name: 'data', configMap: { name: 'cm' } }]);
});

test('built-in Deployment: kubectl apply style patch with $setElementOrder and a deleted container', () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'd' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: {
          containers: [
            { name: 'a', image: 'a:1' },
            { name: 'b', image: 'b:1' },
          ],
        },
      },
    },
  };
  const patch = {
    spec: {
      replicas: 3,
      strategy: { $retainKeys: ['type'], type: 'Recreate' },
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }],
          containers: [
            { name: 'c', image: 'c:1' },
            { name: 'b', $patch: 'delete' },
          ],
        },
      },
    },
  };
  const out = applyStrategicMergePatch(dep, patch, depSchema) as any;
  assert.equal(out.spec.replicas, 3);
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  assert.deepEqual(out.spec.template.spec.containers, [
    { name: 'c', image: 'c:1' },
    { name: 'a', image: 'a:1' },
  ]);
});

test('directives left in parts copied as they are are dropped, as typed decoding does', () => {
  const out = applyStrategicMergePatch(
    { spec: {} },
    {
      spec: {
        template: { spec: { '$setElementOrder/containers': [{ name: 'x' }], containers: [{ name: 'x' }] } },
      },
    },
    depSchema,
  ) as any;
  assert.deepEqual(out, { spec: { template: { spec: { containers: [{ name: 'x' }] } } } });
});

test('no schema: lists are replaced, maps merged', () => {
  const out = applyStrategicMergePatch({ a: [1, 2], m: { x: 1 } }, { a: [3], m: { y: 2 } }, undefined);
  assert.deepEqual(out, { a: [3], m: { x: 1, y: 2 } });
});

const plainObject = (nulls: boolean) =>
  fc.dictionary(
    fc.constantFrom('a', 'b', 'c'),
    fc.oneof(
      fc.integer(),
      fc.string({ maxLength: 2 }),
      fc.dictionary(
        fc.constantFrom('x', 'y'),
        nulls ? fc.oneof(fc.integer(), fc.constant(null)) : fc.integer(),
        {
          noNullPrototype: true,
        },
      ),
      ...(nulls ? [fc.constant(null)] : []),
    ),
    { noNullPrototype: true },
  );

test('property: without lists or directives a strategic merge patch is a JSON merge patch', () => {
  fc.assert(
    fc.property(plainObject(false), plainObject(true), (doc, patch) => {
      assert.deepEqual(applyStrategicMergePatch(doc, patch, undefined), applyMergePatch(doc, patch));
    }),
    { numRuns: 200 },
  );
});
