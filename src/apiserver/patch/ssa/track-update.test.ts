import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../contracts.js';
import { trackUpdate } from './index.js';
import { applyCm, cm, cmSchema, depSchema, T1, T2, T3 } from './test-fixtures.js';

test('trackUpdate on create: the creator owns every field it set, maps record themselves', () => {
  const created = cm({ a: '1' }, { app: 'x' });
  const mf = trackUpdate({
    old: undefined,
    updated: created,
    manager: 'kubectl-create',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T1,
  });
  assert.deepEqual(mf, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
    },
  ]);
  // an update that changes nothing keeps managedFields as they are
  const withMf = { ...created, metadata: { ...created.metadata, managedFields: mf } };
  assert.deepEqual(
    trackUpdate({
      old: withMf,
      updated: structuredClone(withMf),
      manager: 'other',
      schema: cmSchema,
      apiVersion: 'v1',
      now: T2,
    }),
    mf,
  );
});

test('trackUpdate: removed fields leave every manager; Update entries merge per manager and version', () => {
  const a = applyCm(undefined, cm({ a: '1', b: '2' }), 'alice');
  const upd = structuredClone(a) as any;
  delete upd.data.b;
  upd.data.c = '3';
  const mf = trackUpdate({
    old: a,
    updated: upd,
    manager: 'ed',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T2,
  });
  assert.deepEqual(mf.find((e) => e.manager === 'alice')?.fieldsV1, { 'f:data': { 'f:a': {} } });
  assert.deepEqual(mf.find((e) => e.manager === 'ed')?.fieldsV1, { 'f:data': { 'f:c': {} } });
  upd.metadata.managedFields = mf;
  const upd2 = structuredClone(upd);
  upd2.data.d = '4';
  const mf2 = trackUpdate({
    old: upd,
    updated: upd2,
    manager: 'ed',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T3,
  });
  assert.deepEqual(
    mf2.find((e) => e.manager === 'ed'),
    {
      manager: 'ed',
      operation: 'Update',
      apiVersion: 'v1',
      time: T3,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:c': {}, 'f:d': {} } },
    },
  );
});

test('status on the main resource is not tracked; the status subresource tracks only status', () => {
  const dep: any = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { replicas: 1 },
  };
  const withStatus = { ...dep, status: { replicas: 1 } };
  const main = trackUpdate({
    old: dep,
    updated: withStatus,
    manager: 'm',
    schema: depSchema,
    apiVersion: 'apps/v1',
    now: T1,
  });
  assert.deepEqual(main, []);
  const sub = trackUpdate({
    old: dep,
    updated: withStatus,
    manager: 'm',
    schema: depSchema,
    apiVersion: 'apps/v1',
    subresource: 'status',
    now: T1,
  });
  // status is a value struct in Go, present in the zero object: kube records no `.` for it
  assert.deepEqual(sub[0].fieldsV1, { 'f:status': { 'f:replicas': {} } });
  assert.equal(sub[0].subresource, 'status');
});

test('entries are sorted: Apply before Update, then by time and manager', () => {
  const a = applyCm(undefined, cm({ a: '1' }), 'zed', false, T2);
  const u = structuredClone(a) as any;
  u.data.b = '2';
  u.metadata.managedFields = trackUpdate({
    old: a,
    updated: u,
    manager: 'amy',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T1,
  });
  const b = applyCm(u, cm({ c: '3' }), 'bob', false, T1);
  assert.deepEqual(
    b.metadata!.managedFields!.map((e) => e.manager),
    ['bob', 'zed', 'amy'],
  );
});

test('more than ten Update managers: the oldest merge into ancient-changes', () => {
  let obj: KubeObject = cm({});
  for (let i = 0; i < 12; i++) {
    const next = structuredClone(obj) as any;
    next.data[`k${i}`] = 'v';
    const now = `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`;
    next.metadata.managedFields = trackUpdate({
      old: obj,
      updated: next,
      manager: `m${i}`,
      schema: cmSchema,
      apiVersion: 'v1',
      now,
    });
    obj = next;
  }
  const mf = obj.metadata!.managedFields!;
  assert.equal(mf.length, 10);
  const ancient = mf.find((e) => e.manager === 'ancient-changes')!;
  assert.deepEqual(ancient.fieldsV1, { 'f:data': { 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
  assert.equal(ancient.time, '2026-01-01T00:00:02Z');
  assert.ok(!mf.some((e) => ['m0', 'm1', 'm2'].includes(e.manager)));
});

test('server-maintained metadata never shows up in managed fields', () => {
  const created = cm({ a: '1' }) as any;
  created.metadata.uid = 'u1';
  created.metadata.resourceVersion = '5';
  created.metadata.creationTimestamp = T1;
  created.metadata.generation = 1;
  const mf = trackUpdate({
    old: undefined,
    updated: created,
    manager: 'm',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T1,
  });
  assert.deepEqual(mf[0].fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
  const bumped = structuredClone(created);
  bumped.metadata.resourceVersion = '6';
  bumped.metadata.managedFields = mf;
  const after = trackUpdate({
    old: { ...created, metadata: { ...created.metadata, managedFields: mf } },
    updated: bumped,
    manager: 'x',
    schema: cmSchema,
    apiVersion: 'v1',
    now: T2,
  });
  assert.deepEqual(after, mf);
});

test('managedFields sent in an update replace the stored ones; [{}] clears them', () => {
  const a = applyCm(undefined, cm({ a: '1' }), 'alice');
  const cleared = structuredClone(a) as any;
  cleared.metadata.managedFields = [{}];
  assert.deepEqual(
    trackUpdate({ old: a, updated: cleared, manager: 'x', schema: cmSchema, apiVersion: 'v1', now: T2 }),
    [],
  );
});

test('created objects: value structs of built-ins have no `.`, pointer structs and CR fields do', () => {
  const dep: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: { app: 'd' } },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: { spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } },
    },
  };
  const mf = trackUpdate({
    old: undefined,
    updated: dep,
    manager: 'kubectl-create',
    schema: depSchema,
    apiVersion: 'apps/v1',
    now: T1,
  });
  assert.deepEqual(mf[0].fieldsV1, {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} }, 'f:type': {} },
      'f:template': {
        'f:spec': {
          'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } },
        },
      },
    },
  });
  const cr: KubeObject = { apiVersion: 'x.io/v1', kind: 'Thing', metadata: { name: 't' }, spec: { size: 1 } };
  const crMf = trackUpdate({
    old: undefined,
    updated: cr,
    manager: 'm',
    schema: undefined,
    apiVersion: 'x.io/v1',
    now: T1,
  });
  assert.deepEqual(crMf[0].fieldsV1, { 'f:spec': { '.': {}, 'f:size': {} } });
});
