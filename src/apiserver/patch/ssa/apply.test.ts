import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { KubeObject, SchemaNode } from '../../contracts.js';
import { serverSideApply, trackUpdate } from './index.js';
import { applyCm, cm, cmSchema, depSchema, entry, svcSchema, T1, T2, T3 } from './test-fixtures.js';

test('apply creates the object and records an Apply entry with FieldsV1', () => {
  const out = applyCm(undefined, cm({ a: '1' }, { app: 'x' }), 'alice');
  assert.deepEqual(out.data, { a: '1' });
  assert.deepEqual(out.metadata?.managedFields, [
    {
      manager: 'alice',
      operation: 'Apply',
      apiVersion: 'v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
    },
  ]);
});

test('two managers applying the same value share ownership without conflict', () => {
  const a = applyCm(undefined, cm({ a: '1' }), 'alice');
  const b = applyCm(a, cm({ a: '1', b: '2' }), 'bob', false, T2);
  assert.deepEqual(b.data, { a: '1', b: '2' });
  assert.deepEqual(entry(b, 'alice')?.fieldsV1, { 'f:data': { 'f:a': {} } });
  assert.deepEqual(entry(b, 'bob')?.fieldsV1, { 'f:data': { 'f:a': {}, 'f:b': {} } });
});

test('a different value for a field another applier owns is a 409 conflict; force takes it', () => {
  const a = applyCm(undefined, cm({ a: '1' }), 'alice');
  assert.throws(
    () => applyCm(a, cm({ a: '2' }), 'bob', false, T2),
    (e: any) => {
      assert.equal(e.code, 409);
      assert.equal(e.reason, 'Conflict');
      assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "alice": .data.a');
      assert.deepEqual(e.details.causes, [
        { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.a' },
      ]);
      return true;
    },
  );
  const forced = applyCm(a, cm({ a: '2' }), 'bob', true, T2);
  assert.equal((forced.data as Record<string, string>).a, '2');
  assert.equal(entry(forced, 'alice'), undefined, 'alice owned nothing else and is dropped');
  assert.deepEqual(entry(forced, 'bob')?.fieldsV1, { 'f:data': { 'f:a': {} } });
});

test('several conflicts are grouped by manager', () => {
  const a = applyCm(undefined, cm({ a: '1', b: '1' }), 'alice');
  assert.throws(
    () => applyCm(a, cm({ a: '2', b: '2' }), 'bob'),
    (e: any) =>
      e.message === 'Apply failed with 2 conflicts: conflicts with "alice":\n- .data.a\n- .data.b' &&
      e.details.causes.length === 2,
  );
});

test('fields an applier stops applying are removed unless another manager owns them', () => {
  const a1 = applyCm(undefined, cm({ a: '1', b: '2', c: '3' }, { x: 'y' }), 'alice');
  const b1 = applyCm(a1, cm({ c: '3' }), 'bob', false, T2);
  const a2 = applyCm(b1, cm({ a: '1' }), 'alice', false, T3);
  assert.deepEqual(a2.data, { a: '1', c: '3' }, 'b removed, c kept because bob owns it');
  assert.equal(a2.metadata?.labels, undefined, 'the label alice no longer applies is gone');
  assert.deepEqual(entry(a2, 'alice')?.fieldsV1, { 'f:data': { 'f:a': {} } });
});

test('an Update manager takes ownership of what it changes; re-applying the old value conflicts', () => {
  const applied: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'd' } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1' }] },
      },
    },
  };
  const a = serverSideApply({
    live: undefined,
    applied,
    manager: 'kubectl',
    force: false,
    schema: depSchema,
    apiVersion: 'apps/v1',
    now: T1,
  });
  const fields = entry(a, 'kubectl')!.fieldsV1 as any;
  assert.deepEqual(fields['f:spec']['f:template']['f:spec']['f:containers'], {
    'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} },
  });
  assert.deepEqual(fields['f:spec']['f:selector'], {}, 'selector is an atomic struct');
  const edited = structuredClone(a) as any;
  edited.spec.replicas = 5;
  const mf = trackUpdate({
    old: a,
    updated: edited,
    manager: 'kubectl-edit',
    schema: depSchema,
    apiVersion: 'apps/v1',
    now: T2,
  });
  edited.metadata.managedFields = mf;
  assert.deepEqual(
    mf.map((e) => [e.manager, e.operation]),
    [
      ['kubectl', 'Apply'],
      ['kubectl-edit', 'Update'],
    ],
  );
  assert.deepEqual(mf[1].fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.equal((mf[0].fieldsV1 as any)['f:spec']['f:replicas'], undefined, 'kubectl lost replicas');
  assert.throws(
    () =>
      serverSideApply({
        live: edited,
        applied,
        manager: 'kubectl',
        force: false,
        schema: depSchema,
        apiVersion: 'apps/v1',
        now: T3,
      }),
    (e: any) =>
      e.code === 409 &&
      e.message ===
        'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas' &&
      e.details.causes[0].message === 'conflict with "kubectl-edit" using apps/v1',
  );
  // applying without replicas leaves the edit alone
  const noReplicas = structuredClone(applied) as any;
  delete noReplicas.spec.replicas;
  const again = serverSideApply({
    live: edited,
    applied: noReplicas,
    manager: 'kubectl',
    force: false,
    schema: depSchema,
    apiVersion: 'apps/v1',
    now: T3,
  }) as any;
  assert.equal(again.spec.replicas, 5);
});

test('list-map items are owned per key: each applier keeps its own container', () => {
  const base = (containers: unknown[]): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { template: { spec: { containers } } },
  });
  const run = (live: KubeObject | undefined, applied: KubeObject, manager: string, now: string) =>
    serverSideApply({
      live,
      applied,
      manager,
      force: false,
      schema: depSchema,
      apiVersion: 'apps/v1',
      now,
    }) as any;
  const a = run(undefined, base([{ name: 'a', image: 'a:1' }]), 'alice', T1);
  const b = run(a, base([{ name: 'b', image: 'b:1' }]), 'bob', T2);
  assert.deepEqual(
    b.spec.template.spec.containers.map((c: any) => c.name),
    ['a', 'b'],
  );
  const a2 = run(b, base([{ name: 'a', image: 'a:2' }]), 'alice', T3);
  assert.deepEqual(a2.spec.template.spec.containers, [
    { name: 'a', image: 'a:2' },
    { name: 'b', image: 'b:1' },
  ]);
  const a3 = run(a2, base([{ name: 'c', image: 'c:1' }]), 'alice', T3);
  assert.deepEqual(
    a3.spec.template.spec.containers.map((c: any) => c.name),
    ['b', 'c'],
    "alice's a is pruned",
  );
});

test('multi-key list maps default the protocol key like kube (Service ports)', () => {
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's' },
    spec: { ports: [{ port: 80, targetPort: 8080 }] },
  };
  const out = serverSideApply({
    live: undefined,
    applied: svc,
    manager: 'm',
    force: false,
    schema: svcSchema,
    apiVersion: 'v1',
    now: T1,
  });
  assert.deepEqual((out.metadata!.managedFields![0].fieldsV1 as any)['f:spec']['f:ports'], {
    'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} },
  });
});

test('re-applying the same configuration changes nothing, not even timestamps', () => {
  const a = applyCm(undefined, cm({ a: '1' }, { l: 'v' }), 'alice', false, T1);
  const again = applyCm(a, cm({ a: '1' }, { l: 'v' }), 'alice', false, T3);
  assert.deepEqual(again, a);
});

test('managedFields in the applied configuration are rejected', () => {
  const bad = cm({ a: '1' });
  bad.metadata!.managedFields = [
    { manager: 'x', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} },
  ];
  assert.throws(
    () => applyCm(undefined, bad, 'alice'),
    (e: any) => e.code === 400 && e.message === 'metadata.managedFields must be nil',
  );
});

test('an object never tracked is owned by before-first-apply when first applied', () => {
  const live = cm({ a: '1' });
  assert.throws(
    () => applyCm(live, cm({ a: '2' }), 'alice', false, T2),
    (e: any) => e.code === 409 && /before-first-apply/.test(e.message),
  );
});

// (an empty `data: {}` is left out: Go's omitempty drops it in kube, which this model does not mirror)
const dataArb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('1', '2'), {
  minKeys: 1,
  maxKeys: 4,
  noNullPrototype: true,
});

test('property: applying twice is idempotent (object and managedFields unchanged)', () => {
  fc.assert(
    fc.property(dataArb, dataArb, (first, second) => {
      const a = applyCm(undefined, cm(first), 'alice', false, T1);
      const b = applyCm(a, cm(second), 'alice', false, T2);
      const c = applyCm(b, cm(second), 'alice', false, T3);
      assert.deepEqual(c, b);
      assert.deepEqual(b.data ?? {}, second, 'a sole applier ends with exactly what it applied');
    }),
    { numRuns: 150 },
  );
});

test('kubectl --server-side after client-side apply: takes over its own fields and syncs the annotation', () => {
  const lastApplied = JSON.stringify(cm({ a: '1' }));
  const live = cm({ a: '1', z: '9' }) as any;
  live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied };
  live.metadata.managedFields = trackUpdate({
    old: undefined,
    updated: live,
    manager: 'kubectl-client-side-apply',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T1,
  });
  const out = serverSideApply({
    live,
    applied: cm({ a: '2' }),
    manager: 'kubectl',
    force: false,
    schema: cmSchema,
    apiVersion: 'v1',
    now: T2,
  }) as any;
  assert.equal(out.data.a, '2');
  assert.equal(
    out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'],
    '{"apiVersion":"v1","data":{"a":"2"},"kind":"ConfigMap","metadata":{"name":"c","namespace":"default"}}\n',
  );
  // another manager gets the conflict as usual
  assert.throws(
    () =>
      serverSideApply({
        live,
        applied: cm({ a: '2' }),
        manager: 'helm',
        force: false,
        schema: cmSchema,
        apiVersion: 'v1',
        now: T2,
      }),
    (e: any) => e.code === 409 && /kubectl-client-side-apply/.test(e.message),
  );
  // fields kubectl never set still conflict for kubectl
  assert.throws(
    () =>
      serverSideApply({
        live,
        applied: cm({ a: '1', z: '0' }),
        manager: 'kubectl',
        force: false,
        schema: cmSchema,
        apiVersion: 'v1',
        now: T2,
      }),
    (e: any) => e.code === 409 && e.message.endsWith('.data.z'),
  );
});

test('set lists (finalizers) are owned per value and pruned per value', () => {
  const withFin = (fins: string[]): KubeObject => ({ ...cm({}), metadata: { name: 'c', finalizers: fins } });
  const a = applyCm(undefined, withFin(['x/a', 'x/b']), 'alice');
  assert.deepEqual((entry(a, 'alice')!.fieldsV1 as any)['f:metadata'], {
    'f:finalizers': { 'v:"x/a"': {}, 'v:"x/b"': {} },
  });
  const b = applyCm(a, withFin(['x/c']), 'bob', false, T2);
  assert.deepEqual(b.metadata?.finalizers, ['x/a', 'x/b', 'x/c']);
  const a2 = applyCm(b, withFin(['x/a']), 'alice', false, T3);
  assert.deepEqual(a2.metadata?.finalizers, ['x/a', 'x/c']);
});

test('atomic structs conflict as a whole (Deployment selector)', () => {
  const d = (labels: Record<string, string>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { selector: { matchLabels: labels } },
  });
  const run = (live: KubeObject | undefined, applied: KubeObject, manager: string) =>
    serverSideApply({
      live,
      applied,
      manager,
      force: false,
      schema: depSchema,
      apiVersion: 'apps/v1',
      now: T1,
    }) as any;
  const a = run(undefined, d({ app: 'a', tier: 'x' }), 'alice');
  assert.throws(
    () => run(a, d({ app: 'a' }), 'bob'),
    (e: any) =>
      e.code === 409 && e.message === 'Apply failed with 1 conflict: conflict with "alice": .spec.selector',
  );
  const same = run(a, d({ app: 'a', tier: 'x' }), 'bob');
  assert.deepEqual(same.spec.selector, { matchLabels: { app: 'a', tier: 'x' } });
});

test('apply to the status subresource owns status only and is keyed by subresource', () => {
  const dep: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { replicas: 1 },
  };
  const live = serverSideApply({
    live: undefined,
    applied: dep,
    manager: 'ctl',
    force: false,
    schema: depSchema,
    apiVersion: 'apps/v1',
    now: T1,
  });
  const status: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    status: { replicas: 1 },
  };
  const out = serverSideApply({
    live,
    applied: status,
    manager: 'ctl',
    force: false,
    schema: depSchema,
    apiVersion: 'apps/v1',
    subresource: 'status',
    now: T2,
  });
  const mf = out.metadata!.managedFields!;
  assert.deepEqual(
    mf.map((e) => [e.manager, e.operation, e.subresource ?? '']),
    [
      ['ctl', 'Apply', ''],
      ['ctl', 'Apply', 'status'],
    ],
  );
  assert.deepEqual(mf[1].fieldsV1, { 'f:status': { 'f:replicas': {} } });
  assert.deepEqual(mf[0].fieldsV1, { 'f:spec': { 'f:replicas': {} } });
});

test('a field also set by an Update manager survives when the applier stops applying it', () => {
  const a = applyCm(undefined, cm({ a: '1', b: '1' }), 'alice');
  const edited = structuredClone(a) as any;
  edited.data.b = '2';
  edited.metadata.managedFields = trackUpdate({
    old: a,
    updated: edited,
    manager: 'ed',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T2,
  });
  const a2 = applyCm(edited, cm({ a: '1' }), 'alice', false, T3);
  assert.deepEqual(a2.data, { a: '1', b: '2' });
});

test('a list item co-owned by another applier survives when one applier drops it', () => {
  const d = (containers: unknown[]): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { template: { spec: { containers } } },
  });
  const run = (live: KubeObject | undefined, applied: KubeObject, manager: string) =>
    serverSideApply({
      live,
      applied,
      manager,
      force: false,
      schema: depSchema,
      apiVersion: 'apps/v1',
      now: T1,
    }) as any;
  const a = run(
    undefined,
    d([
      { name: 'x', image: 'i' },
      { name: 'y', image: 'j' },
    ]),
    'alice',
  );
  const b = run(a, d([{ name: 'x', image: 'i' }]), 'bob');
  const a2 = run(b, d([]), 'alice');
  assert.deepEqual(a2.spec.template.spec.containers, [{ name: 'x', image: 'i' }]);
});

test('CRD schemas: x-kubernetes-list-type map/set/atomic and map-type atomic drive ownership', () => {
  const crd: SchemaNode = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            listType: 'map',
            listMapKeys: ['name'],
            items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'integer' } } },
          },
          tags: { type: 'array', listType: 'set', items: { type: 'string' } },
          args: { type: 'array', items: { type: 'string' } },
          sel: { type: 'object', mapType: 'atomic', additionalProperties: { type: 'string' } },
          free: { type: 'object', preserveUnknownFields: true },
        },
      },
    },
  };
  const obj = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'x.io/v1',
    kind: 'T',
    metadata: { name: 't' },
    spec,
  });
  const run = (live: KubeObject | undefined, applied: KubeObject, manager: string) =>
    serverSideApply({
      live,
      applied,
      manager,
      force: false,
      schema: crd,
      apiVersion: 'x.io/v1',
      now: T1,
    }) as any;
  const a = run(
    undefined,
    obj({
      items: [{ name: 'a', v: 1 }],
      tags: ['t1'],
      args: ['x'],
      sel: { k: 'v' },
      free: { deep: { x: 1 } },
    }),
    'alice',
  );
  assert.deepEqual(a.metadata.managedFields[0].fieldsV1, {
    'f:spec': {
      'f:args': {},
      // keys of free-form maps are members themselves (they are not named fields)
      'f:free': { 'f:deep': { '.': {}, 'f:x': {} } },
      'f:items': { 'k:{"name":"a"}': { '.': {}, 'f:name': {}, 'f:v': {} } },
      'f:sel': {},
      'f:tags': { 'v:"t1"': {} },
    },
  });
  const b = run(a, obj({ items: [{ name: 'b', v: 2 }], tags: ['t2'] }), 'bob');
  assert.deepEqual(b.spec.items, [
    { name: 'a', v: 1 },
    { name: 'b', v: 2 },
  ]);
  assert.deepEqual(b.spec.tags, ['t1', 't2']);
  assert.throws(
    () => run(b, obj({ args: ['y'] }), 'bob'),
    (e: any) => e.code === 409 && e.message.endsWith('.spec.args'),
  );
  assert.throws(
    () => run(b, obj({ items: [{ v: 3 }] }), 'bob'),
    (e: any) => e.code === 500 && /omits key field "name"/.test(e.message),
  );
});

test('resetStatus false: apply and update own status on the main resource (CRD without status subresource)', () => {
  const schema: SchemaNode = {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { size: { type: 'integer' } } },
      status: { type: 'object', properties: { phase: { type: 'string' } } },
    },
  } as SchemaNode;
  const w = (phase: string): KubeObject => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec: { size: 1 },
    status: { phase },
  });
  const args = { schema, apiVersion: 'example.com/v1', now: T1 };
  const reset = serverSideApply({ ...args, live: undefined, applied: w('A'), manager: 'a', force: false });
  assert.equal(entry(reset, 'a')?.fieldsV1?.['f:status'], undefined);
  const kept = serverSideApply({
    ...args,
    live: undefined,
    applied: w('A'),
    manager: 'a',
    force: false,
    resetStatus: false,
  });
  assert.deepEqual(entry(kept, 'a')?.fieldsV1?.['f:status'], { 'f:phase': {} });
  const mf = trackUpdate({ ...args, old: kept, updated: w('B'), manager: 'b', resetStatus: false });
  assert.deepEqual(mf.find((e) => e.manager === 'b')?.fieldsV1, { 'f:status': { 'f:phase': {} } });
});
