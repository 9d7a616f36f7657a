import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness(['life']);
});
after(async () => {
  await h.close();
});

const JSON_CT = { 'content-type': 'application/json' };

async function create(path: string, obj: object) {
  const r = await h.http('POST', path, JSON.stringify(obj), JSON_CT);
  return { status: r.status, obj: JSON.parse(r.body) };
}

async function get(path: string) {
  const r = await h.http('GET', path);
  return { status: r.status, obj: JSON.parse(r.body) };
}

/** Waits for asynchronous lifecycle work (garbage collector, namespace finalizer) by polling. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const cm = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...extra },
  data: { k: 'v' },
});

test('create fills uid, creationTimestamp and resourceVersion; duplicates get 409 AlreadyExists', async () => {
  const r = await create('/api/v1/namespaces/default/configmaps', cm('one'));
  assert.equal(r.status, 201);
  assert.match(r.obj.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.match(r.obj.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(r.obj.metadata.resourceVersion, /^\d+$/);
  const dup = await create('/api/v1/namespaces/default/configmaps', cm('one'));
  assert.equal(dup.status, 409);
  assert.equal(dup.obj.reason, 'AlreadyExists');
  assert.equal(dup.obj.message, 'configmaps "one" already exists');
});

test('generateName, invalid names and missing namespaces', async () => {
  const g = await create('/api/v1/namespaces/default/configmaps', {
    ...cm(''),
    metadata: { generateName: 'gen-' },
  });
  assert.equal(g.status, 201);
  assert.match(g.obj.metadata.name, /^gen-[a-z0-9]{5}$/);
  const bad = await create('/api/v1/namespaces/default/configmaps', cm('Bad_Name'));
  assert.equal(bad.status, 422);
  assert.equal(bad.obj.reason, 'Invalid');
  assert.match(
    bad.obj.message,
    /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
  );
  const nons = await create('/api/v1/namespaces/nope/configmaps', cm('x'));
  assert.equal(nons.status, 404);
  assert.equal(nons.obj.message, 'namespaces "nope" not found');
});

test('update with a stale resourceVersion gets 409 Conflict worded as kube', async () => {
  const c = await create('/api/v1/namespaces/default/configmaps', cm('occ'));
  const stale = c.obj.metadata.resourceVersion;
  const u1 = await h.http(
    'PUT',
    '/api/v1/namespaces/default/configmaps/occ',
    JSON.stringify({ ...c.obj, data: { k: 'v2' } }),
    JSON_CT,
  );
  assert.equal(u1.status, 200);
  assert.notEqual(JSON.parse(u1.body).metadata.resourceVersion, stale);
  const u2 = await h.http(
    'PUT',
    '/api/v1/namespaces/default/configmaps/occ',
    JSON.stringify({ ...c.obj, data: { k: 'v3' } }),
    JSON_CT,
  );
  assert.equal(u2.status, 409);
  assert.equal(
    JSON.parse(u2.body).message,
    'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again',
  );
  const missing = await h.http(
    'PUT',
    '/api/v1/namespaces/default/configmaps/nothere',
    JSON.stringify(cm('nothere')),
    JSON_CT,
  );
  assert.equal(missing.status, 404);
});

test('dryRun=All never stores anything', async () => {
  const r = await h.http(
    'POST',
    '/api/v1/namespaces/default/configmaps?dryRun=All',
    JSON.stringify(cm('dry')),
    JSON_CT,
  );
  assert.equal(r.status, 201);
  assert.equal((await get('/api/v1/namespaces/default/configmaps/dry')).status, 404);
  await create('/api/v1/namespaces/default/configmaps', cm('drydel'));
  const d = await h.http('DELETE', '/api/v1/namespaces/default/configmaps/drydel?dryRun=All');
  assert.equal(d.status, 200);
  assert.equal((await get('/api/v1/namespaces/default/configmaps/drydel')).status, 200);
});

test('generation moves on spec changes only; status subresource is separate', async () => {
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'gen' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'gen' } },
      template: {
        metadata: { labels: { app: 'gen' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  };
  const c = await create('/apis/apps/v1/namespaces/default/deployments', dep);
  assert.equal(c.status, 201, JSON.stringify(c.obj));
  assert.equal(c.obj.metadata.generation, 1);
  const labelled = { ...c.obj, metadata: { ...c.obj.metadata, labels: { a: 'b' } } };
  let r = await h.http(
    'PUT',
    '/apis/apps/v1/namespaces/default/deployments/gen',
    JSON.stringify(labelled),
    JSON_CT,
  );
  const afterLabel = JSON.parse(r.body);
  assert.equal(afterLabel.metadata.generation, 1);
  r = await h.http(
    'PUT',
    '/apis/apps/v1/namespaces/default/deployments/gen',
    JSON.stringify({ ...afterLabel, spec: { ...afterLabel.spec, replicas: 3 }, status: { replicas: 9 } }),
    JSON_CT,
  );
  const afterSpec = JSON.parse(r.body);
  assert.equal(afterSpec.metadata.generation, 2);
  assert.equal(afterSpec.status?.replicas, undefined, 'main resource updates ignore status');
  r = await h.http(
    'PUT',
    '/apis/apps/v1/namespaces/default/deployments/gen/status',
    JSON.stringify({ ...afterSpec, spec: { ...afterSpec.spec, replicas: 7 }, status: { replicas: 3 } }),
    JSON_CT,
  );
  const afterStatus = JSON.parse(r.body);
  assert.equal(afterStatus.status.replicas, 3);
  assert.equal(afterStatus.spec.replicas, 3, 'status updates ignore spec');
  assert.equal(afterStatus.metadata.generation, 2);
});

test('finalizers keep a deleted object with a deletionTimestamp until they are removed', async () => {
  await create('/api/v1/namespaces/default/configmaps', cm('held', { finalizers: ['example.com/hold'] }));
  const d = await h.http('DELETE', '/api/v1/namespaces/default/configmaps/held');
  assert.ok(d.status === 200 || d.status === 202);
  const still = await get('/api/v1/namespaces/default/configmaps/held');
  assert.equal(still.status, 200);
  assert.ok(still.obj.metadata.deletionTimestamp);
  const r = await h.http(
    'PATCH',
    '/api/v1/namespaces/default/configmaps/held',
    JSON.stringify({ metadata: { finalizers: null } }),
    { 'content-type': 'application/merge-patch+json' },
  );
  assert.equal(r.status, 200, r.body);
  assert.equal((await get('/api/v1/namespaces/default/configmaps/held')).status, 404);
});

test('delete preconditions on uid and resourceVersion', async () => {
  const c = await create('/api/v1/namespaces/default/configmaps', cm('pre'));
  const body = JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'other' } });
  const r = await h.http('DELETE', '/api/v1/namespaces/default/configmaps/pre', body, JSON_CT);
  assert.equal(r.status, 409);
  assert.match(JSON.parse(r.body).message, /Precondition failed: UID in precondition: other/);
  const ok = JSON.stringify({
    preconditions: { uid: c.obj.metadata.uid, resourceVersion: c.obj.metadata.resourceVersion },
  });
  assert.equal(
    (await h.http('DELETE', '/api/v1/namespaces/default/configmaps/pre', ok, JSON_CT)).status,
    200,
  );
});

async function ownerAndDependent(prefix: string, block: boolean) {
  const owner = await create('/api/v1/namespaces/default/configmaps', cm(`${prefix}-owner`));
  const ref = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: `${prefix}-owner`,
    uid: owner.obj.metadata.uid,
    blockOwnerDeletion: block,
  };
  await create(
    '/api/v1/namespaces/default/configmaps',
    cm(`${prefix}-dep`, { ownerReferences: [ref], finalizers: block ? ['example.com/slow'] : undefined }),
  );
}

test('background deletion garbage-collects dependents after the owner is gone', async () => {
  await ownerAndDependent('bg', false);
  await h.http('DELETE', '/api/v1/namespaces/default/configmaps/bg-owner');
  await eventually(
    async () => (await get('/api/v1/namespaces/default/configmaps/bg-dep')).status === 404,
    'bg-dep to be collected',
  );
});

test('orphan deletion keeps dependents and strips their ownerReferences', async () => {
  await ownerAndDependent('or', false);
  await h.http(
    'DELETE',
    '/api/v1/namespaces/default/configmaps/or-owner',
    JSON.stringify({ propagationPolicy: 'Orphan' }),
    JSON_CT,
  );
  await eventually(
    async () => (await get('/api/v1/namespaces/default/configmaps/or-owner')).status === 404,
    'or-owner to go',
  );
  const dep = await get('/api/v1/namespaces/default/configmaps/or-dep');
  assert.equal(dep.status, 200);
  assert.equal(dep.obj.metadata.ownerReferences, undefined);
});

test('foreground deletion waits for blocking dependents', async () => {
  await ownerAndDependent('fg', true);
  await h.http(
    'DELETE',
    '/api/v1/namespaces/default/configmaps/fg-owner',
    JSON.stringify({ propagationPolicy: 'Foreground' }),
    JSON_CT,
  );
  await eventually(
    async () =>
      Boolean((await get('/api/v1/namespaces/default/configmaps/fg-dep')).obj.metadata?.deletionTimestamp),
    'fg-dep to be deleting',
  );
  const owner = await get('/api/v1/namespaces/default/configmaps/fg-owner');
  assert.equal(owner.status, 200, 'owner waits while the blocking dependent exists');
  assert.deepEqual(owner.obj.metadata.finalizers, ['foregroundDeletion']);
  await h.http(
    'PATCH',
    '/api/v1/namespaces/default/configmaps/fg-dep',
    JSON.stringify({ metadata: { finalizers: null } }),
    { 'content-type': 'application/merge-patch+json' },
  );
  await eventually(
    async () => (await get('/api/v1/namespaces/default/configmaps/fg-owner')).status === 404,
    'fg-owner to go',
  );
});

test('namespace deletion terminates, empties and removes the namespace', async () => {
  assert.equal(
    (
      await create('/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'doomed' },
      })
    ).status,
    201,
  );
  await eventually(
    async () => (await get('/api/v1/namespaces/doomed/serviceaccounts/default')).status === 200,
    'default service account',
  );
  await create('/api/v1/namespaces/doomed/configmaps', cm('inside'));
  const d = await h.http('DELETE', '/api/v1/namespaces/doomed');
  assert.equal(JSON.parse(d.body).status.phase, 'Terminating');
  const late = await create('/api/v1/namespaces/doomed/configmaps', cm('late'));
  if (late.status !== 404) {
    assert.equal(late.status, 403);
    assert.match(late.obj.message, /because it is being terminated/);
  }
  await eventually(
    async () => (await get('/api/v1/namespaces/doomed')).status === 404,
    'namespace doomed to go',
  );
  const list = await get('/api/v1/namespaces/doomed/configmaps');
  assert.equal(list.obj.items.length, 0);
});

test('services get a cluster IP; secrets fold stringData into data', async () => {
  const svc = await create('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { ports: [{ port: 80 }] },
  });
  assert.match(svc.obj.spec.clusterIP, /^10\.9[6-9]\.\d+\.\d+$/);
  assert.deepEqual(svc.obj.spec.clusterIPs, [svc.obj.spec.clusterIP]);
  const headless = await create('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'headless' },
    spec: { clusterIP: 'None', ports: [{ port: 80 }] },
  });
  assert.equal(headless.obj.spec.clusterIP, 'None');
  const sec = await create('/api/v1/namespaces/default/secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    stringData: { password: 'hunter2' },
  });
  assert.equal(sec.obj.data.password, Buffer.from('hunter2').toString('base64'));
  assert.equal(sec.obj.stringData, undefined);
});

test('list pagination with limit/continue and label selectors', async () => {
  await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pages' } });
  for (let i = 0; i < 7; i++)
    await create(
      '/api/v1/namespaces/pages/configmaps',
      cm(`p${i}`, { labels: { parity: i % 2 ? 'odd' : 'even' } }),
    );
  const names: string[] = [];
  let cont = '';
  let pages = 0;
  do {
    const r = await get(
      `/api/v1/namespaces/pages/configmaps?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
    );
    names.push(...r.obj.items.map((x: any) => x.metadata.name));
    cont = r.obj.metadata.continue ?? '';
    pages++;
  } while (cont);
  assert.equal(pages, 3);
  assert.deepEqual(names, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  const odd = await get('/api/v1/namespaces/pages/configmaps?labelSelector=parity%20in%20(odd)');
  assert.deepEqual(
    odd.obj.items.map((x: any) => x.metadata.name),
    ['p1', 'p3', 'p5'],
  );
  const byName = await get('/api/v1/configmaps?fieldSelector=metadata.name%3Dp2');
  assert.deepEqual(
    byName.obj.items.map((x: any) => x.metadata.namespace),
    ['pages'],
  );
  const bad = await get('/api/v1/namespaces/pages/configmaps?labelSelector=%3D%3D');
  assert.equal(bad.status, 400);
});

test('unknown paths are 404, wrong verbs 405, big bodies 413, bad JSON 400', async () => {
  assert.equal((await get('/api/v1/nothings')).status, 404);
  assert.equal((await get('/apis/nope.example.com/v1')).status, 404);
  assert.equal((await h.http('POST', '/api/v1/namespaces/default/configmaps/x', '{}', JSON_CT)).status, 405);
  assert.equal((await h.http('DELETE', '/api/v1/namespaces')).status, 405);
  const big = await h.http(
    'POST',
    '/api/v1/namespaces/default/configmaps',
    `{"data":{"a":"${'x'.repeat(3 * 1024 * 1024)}"}}`,
    JSON_CT,
  );
  assert.equal(big.status, 413);
  assert.equal(JSON.parse(big.body).reason, 'RequestEntityTooLarge');
  const bad = await h.http('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":', JSON_CT);
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body).kind, 'Status');
});

test('fieldValidation: Strict rejects unknown fields, Warn warns and drops them from built-ins', async () => {
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'typo' },
    data: { a: 'b' },
    dat: { x: 'y' },
  });
  const strict = await h.http(
    'POST',
    '/api/v1/namespaces/default/configmaps?fieldValidation=Strict',
    body,
    JSON_CT,
  );
  assert.equal(strict.status, 400);
  assert.equal(
    JSON.parse(strict.body).message,
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dat"',
  );
  const warn = await h.http(
    'POST',
    '/api/v1/namespaces/default/configmaps?fieldValidation=Warn',
    body,
    JSON_CT,
  );
  assert.equal(warn.status, 201);
  assert.equal(warn.headers.warning, '299 - "unknown field \\"dat\\""');
  assert.equal(JSON.parse(warn.body).dat, undefined);
});

test('core/v1 Events can be created and found by involvedObject', async () => {
  const ev = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'ev1' },
    involvedObject: { kind: 'ConfigMap', name: 'one', namespace: 'default' },
    reason: 'Tested',
    message: 'hello',
    type: 'Normal',
  };
  const r = await create('/api/v1/namespaces/default/events', ev);
  assert.equal(r.status, 201, JSON.stringify(r.obj));
  const found = await get(
    '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Done,involvedObject.kind%3DConfigMap',
  );
  assert.deepEqual(
    found.obj.items.map((e: any) => e.metadata.name),
    ['ev1'],
  );
});

test('the default, kube-system and kube-public namespaces may not be deleted', async () => {
  for (const ns of ['default', 'kube-system', 'kube-public']) {
    const r = await h.http('DELETE', `/api/v1/namespaces/${ns}`);
    assert.equal(r.status, 403);
    assert.equal(
      JSON.parse(r.body).message,
      `namespaces "${ns}" is forbidden: this namespace may not be deleted`,
    );
  }
});

test('no-op writes (same update, same server-side apply) do not bump the resourceVersion', async () => {
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'steady', namespace: 'default' },
    data: { a: '1' },
  });
  const ssa = { 'content-type': 'application/apply-patch+yaml' };
  const path = '/api/v1/namespaces/default/configmaps/steady?fieldManager=ctl';
  const first = JSON.parse((await h.http('PATCH', path, body, ssa)).body);
  const second = JSON.parse((await h.http('PATCH', path, body, ssa)).body);
  assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
  const put = JSON.parse(
    (await h.http('PUT', '/api/v1/namespaces/default/configmaps/steady', JSON.stringify(second), JSON_CT))
      .body,
  );
  assert.equal(put.metadata.resourceVersion, first.metadata.resourceVersion);
});
