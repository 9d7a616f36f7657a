// KubeClient against the embedded API server: CRUD, patches, typed errors, pagination, watch
// resume and discovery.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import {
  AlreadyExistsError,
  ApplyConflictError,
  ConflictError,
  GoneError,
  InvalidError,
  KubeClient,
  type KubeObject,
  NotFoundError,
  UnauthorizedError,
  UnreachableError,
  type WatchEvent,
} from '../../src/kube/index.js';

let server: ApiServer;
let client: KubeClient;
const CM = { apiVersion: 'v1', kind: 'ConfigMap' };

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['alpha'] });
  client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('alpha') }, { name: 'alpha' });
});

after(async () => {
  client?.close();
  await server?.stop();
});

test('create, get, update, patch (merge, json, strategic), delete', async () => {
  const created = await client.create({
    ...CM,
    metadata: { name: 'crud', namespace: 'default' },
    data: { a: '1' },
  });
  assert.ok(created.metadata?.uid);
  const got = await client.get<KubeObject & { data: Record<string, string> }>({
    ...CM,
    namespace: 'default',
    name: 'crud',
  });
  assert.equal(JSON.stringify(got.data), '{"a":"1"}');
  got.data.b = '2';
  const updated = await client.update(got);
  assert.notEqual(updated.metadata?.resourceVersion, got.metadata?.resourceVersion);
  const ref = { ...CM, namespace: 'default', name: 'crud' };
  const merged = await client.patch<KubeObject & { data: Record<string, string> }>(
    ref,
    { data: { c: '3' } },
    'merge',
  );
  assert.deepEqual(merged.data, { a: '1', b: '2', c: '3' });
  const jp = await client.patch<KubeObject & { data: Record<string, string> }>(
    ref,
    [{ op: 'remove', path: '/data/a' }],
    'json',
  );
  assert.deepEqual(jp.data, { b: '2', c: '3' });
  const sp = await client.patch<KubeObject & { metadata: { labels: Record<string, string> } }>(
    ref,
    { metadata: { labels: { x: 'y' } } },
    'strategic',
  );
  assert.deepEqual(sp.metadata.labels, { x: 'y' });
  await client.delete(ref);
  await assert.rejects(client.get(ref), NotFoundError);
});

test('server-side apply: field managers, conflicts, force', async () => {
  const obj = { ...CM, metadata: { name: 'ssa', namespace: 'default' }, data: { owned: 'by-a' } };
  const a = await client.apply(obj, { fieldManager: 'manager-a' });
  assert.deepEqual(
    a.metadata?.managedFields?.map((m) => [m.manager, m.operation]),
    [['manager-a', 'Apply']],
  );
  // Applying again is idempotent.
  const again = await client.apply(obj, { fieldManager: 'manager-a' });
  assert.equal(again.metadata?.resourceVersion, a.metadata?.resourceVersion);
  const conflict = await client
    .apply({ ...obj, data: { owned: 'by-b' } }, { fieldManager: 'manager-b' })
    .catch((e: unknown) => e);
  assert.ok(conflict instanceof ApplyConflictError, String(conflict));
  assert.equal(conflict.retryable, false);
  assert.equal(conflict.causes[0]?.field, '.data.owned');
  assert.match(conflict.message, /apply v1 ConfigMap default\/ssa in cluster "alpha"/);
  const forced = await client.apply<typeof obj>(
    { ...obj, data: { owned: 'by-b' } },
    { fieldManager: 'manager-b', force: true },
  );
  assert.equal(forced.data.owned, 'by-b');
  // Dry run changes nothing.
  await client.apply({ ...obj, data: { owned: 'dry' } }, { fieldManager: 'manager-b', dryRun: true });
  const live = await client.get<typeof obj>({ ...CM, namespace: 'default', name: 'ssa' });
  assert.equal(live.data.owned, 'by-b');
});

test('typed errors name the cluster and the object', async () => {
  const obj = { ...CM, metadata: { name: 'dup', namespace: 'default' }, data: {} };
  const first = await client.create(obj);
  const dup = await client.create(obj).catch((e: unknown) => e);
  assert.ok(dup instanceof AlreadyExistsError);
  assert.equal(dup.code, 'AlreadyExists');
  assert.match(dup.message, /cluster "alpha"/);
  assert.match(dup.message, /v1 ConfigMap default\/dup/);

  // A stale resourceVersion is a Conflict, and retryable.
  await client.update({ ...first, data: { v: '1' } });
  const stale = await client.update({ ...first, data: { v: '2' } }).catch((e: unknown) => e);
  assert.ok(stale instanceof ConflictError, String(stale));
  assert.equal(stale.retryable, true);

  // A failed delete precondition is a Conflict too.
  const pre = await client
    .delete({ ...CM, namespace: 'default', name: 'dup' }, { preconditions: { uid: 'not-the-uid' } })
    .catch((e: unknown) => e);
  assert.ok(pre instanceof ConflictError, String(pre));

  const missing = await client.get({ ...CM, namespace: 'default', name: 'nope' }).catch((e: unknown) => e);
  assert.ok(missing instanceof NotFoundError);
  assert.equal(missing.retryable, false);

  const invalid = await client
    .create({ ...CM, metadata: { name: 'Not_A_Valid_Name', namespace: 'default' } })
    .catch((e: unknown) => e);
  assert.ok(invalid instanceof InvalidError, String(invalid));
  assert.ok(invalid.causes.length > 0);
  assert.equal(invalid.causes[0]?.field, 'metadata.name');

  const unknownKind = await client
    .get({ apiVersion: 'example.com/v1', kind: 'Nope', name: 'x' })
    .catch((e: unknown) => e);
  assert.ok(unknownKind instanceof NotFoundError);
  assert.match(unknownKind.message, /does not serve/);
});

test('bad credentials are Unauthorized, a closed port is Unreachable', async () => {
  const yaml = server.kubeconfig('alpha').replace(/token: .*/, 'token: wrong');
  const bad = await KubeClient.fromKubeconfig({ yaml });
  const err = await bad.list(CM).catch((e: unknown) => e);
  assert.ok(err instanceof UnauthorizedError, String(err));
  bad.close();
  const gone = await KubeClient.fromKubeconfig({ yaml: yaml.replace(/:\d+\/clusters/, ':1/clusters') });
  const un = await gone.serverVersion().catch((e: unknown) => e);
  assert.ok(un instanceof UnreachableError, String(un));
  assert.equal(un.retryable, true);
  gone.close();
});

test('list follows continue tokens across pages', async () => {
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paged' } });
  for (let i = 0; i < 25; i++) {
    await client.create({
      ...CM,
      metadata: { name: `p${i}`, namespace: 'paged', labels: { even: String(i % 2 === 0) } },
    });
  }
  const all = await client.list({ ...CM, namespace: 'paged' }, { limit: 4 });
  assert.equal(all.items.length, 25);
  assert.equal(new Set(all.items.map((o) => o.metadata?.name)).size, 25);
  assert.ok(Number(all.resourceVersion) > 0);
  assert.equal(all.items[0]?.kind, 'ConfigMap');
  const even = await client.list({ ...CM, namespace: 'paged' }, { labelSelector: 'even=true', limit: 5 });
  assert.equal(even.items.length, 13);
});

test('watch streams events, resumes from a resourceVersion and reports 410 for an expired one', async () => {
  const type = { ...CM, namespace: 'default' };
  const start = await client.list(type);
  await client.create({ ...CM, metadata: { name: 'w1', namespace: 'default' } });
  await client.create({ ...CM, metadata: { name: 'w2', namespace: 'default' } });
  const ac = new AbortController();
  const seen: WatchEvent[] = [];
  for await (const ev of client.watch(type, { resourceVersion: start.resourceVersion, signal: ac.signal })) {
    seen.push(ev);
    if (seen.length === 2) {
      await client.delete({ ...type, name: 'w1' });
    }
    if (seen.length === 3) ac.abort();
  }
  assert.deepEqual(
    seen.map((e) => [e.type, e.object.metadata?.name]),
    [
      ['ADDED', 'w1'],
      ['ADDED', 'w2'],
      ['DELETED', 'w1'],
    ],
  );
  // Resume after the second event: only the deletion is replayed.
  const resumeAt = seen[1]!.object.metadata!.resourceVersion!;
  const ac2 = new AbortController();
  const replay: string[] = [];
  for await (const ev of client.watch(type, { resourceVersion: resumeAt, signal: ac2.signal })) {
    replay.push(`${ev.type} ${ev.object.metadata?.name}`);
    ac2.abort();
  }
  assert.deepEqual(replay, ['DELETED w1']);

  const expired = await (async () => {
    for await (const _ of client.watch(type, { resourceVersion: '1' })) {
      // nothing expected
    }
  })().catch((e: unknown) => e);
  assert.ok(expired instanceof GoneError, String(expired));
});

test('watch ends when the server-side timeout passes', async () => {
  const events: string[] = [];
  for await (const ev of client.watch(
    { ...CM, namespace: 'kube-system' },
    { timeoutSeconds: 1, allowWatchBookmarks: true },
  )) {
    events.push(ev.type);
  }
  assert.ok(events.every((t) => t === 'ADDED' || t === 'BOOKMARK'));
});

test('discovery finds a CRD kind installed after the first lookup', async () => {
  const type = { apiVersion: 'example.flotilla.io/v1', kind: 'Widget' };
  await assert.rejects(client.list(type), NotFoundError);
  await client.create({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.flotilla.io' },
    spec: {
      group: 'example.flotilla.io',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' } } },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  });
  let info: Awaited<ReturnType<KubeClient['resource']>> | undefined;
  for (let i = 0; i < 50 && !info; i++) {
    info = await client.resource(type.apiVersion, type.kind).catch(() => undefined);
    if (!info) await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(info?.plural, 'widgets');
  assert.equal(info?.namespaced, true);
  const w = await client.create({
    ...type,
    metadata: { name: 'w', namespace: 'default' },
    spec: { size: 1 },
  });
  const withStatus = await client.updateStatus({ ...w, status: { ready: true } });
  assert.deepEqual(withStatus.status, { ready: true });
  // A status write does not change the spec, a main-resource write does not change the status.
  const again = await client.update({ ...withStatus, spec: { size: 2 }, status: { ready: false } });
  assert.deepEqual(again.status, { ready: true });
  assert.deepEqual(again.spec, { size: 2 });
});
