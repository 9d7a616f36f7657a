// Informers, caches and controllers against the embedded API server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { Controller, Informer, mappers, Outcome, splitKey } from '../../src/runtime/index.js';

let server: ApiServer;
let client: KubeClient;
const CM = { apiVersion: 'v1', kind: 'ConfigMap' };

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['inf'], bookmarkIntervalMs: 200 });
  client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('inf') });
  for (const ns of ['a', 'b', 'ctl'])
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('informer lists, then watches: cache, handlers and indexes follow the server', async () => {
  await client.create({ ...CM, metadata: { name: 'pre', namespace: 'a', labels: { app: 'web' } } });
  const inf = new Informer(client, CM);
  inf.cache.addLabelIndex('app');
  const events: string[] = [];
  inf.addHandler({
    onAdd: (o, initial) =>
      events.push(`add ${o.metadata?.namespace}/${o.metadata?.name}${initial ? ' (list)' : ''}`),
    onUpdate: (_a, b) => events.push(`update ${b.metadata?.name}`),
    onDelete: (o) => events.push(`delete ${o.metadata?.name}`),
  });
  const ac = new AbortController();
  const running = inf.start(ac.signal);
  assert.equal(await inf.waitForSync(), true);
  assert.ok(events.includes('add a/pre (list)'));
  assert.equal(inf.store.get('a/pre')?.metadata?.managedFields, undefined, 'managedFields are dropped');

  await client.create({ ...CM, metadata: { name: 'x', namespace: 'b', labels: { app: 'web' } } });
  await until('add b/x', () => events.includes('add b/x'));
  await client.patch({ ...CM, namespace: 'b', name: 'x' }, { metadata: { labels: { app: 'db' } } }, 'merge');
  await until('update x', () => events.includes('update x'));
  assert.deepEqual(
    inf.store.byIndex('label:app', 'web').map((o) => o.metadata?.name),
    ['pre'],
  );
  assert.deepEqual(
    inf.store.byLabels({ app: 'db' }).map((o) => o.metadata?.name),
    ['x'],
  );
  assert.deepEqual(
    inf.store.byNamespace('b').map((o) => o.metadata?.name),
    ['x'],
  );
  await client.delete({ ...CM, namespace: 'b', name: 'x' });
  await until('delete x', () => events.includes('delete x'));
  assert.equal(inf.store.get('b/x'), undefined);

  // A late subscriber gets the cached objects first.
  const late: string[] = [];
  inf.addHandler({ onAdd: (o) => late.push(o.metadata?.name ?? '') });
  assert.ok(late.includes('pre'));

  // Bookmarks keep the resourceVersion moving without changes to our kind.
  const rvBefore = Number(inf.resourceVersion);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bump' } });
  await until('bookmark', () => Number(inf.resourceVersion) > rvBefore);

  ac.abort();
  await running;
  assert.equal(inf.store.size, 0, 'a stopped informer frees its cache');
});

test('informer relists after 410 Gone and reports what changed meanwhile', async () => {
  await client.create({ ...CM, metadata: { name: 'r1', namespace: 'a' } });
  // Start watching from a resourceVersion long compacted away: the server answers 410.
  const inf = new Informer(
    client,
    { ...CM, namespace: 'a' },
    { initialResourceVersion: '1', backoffBaseMs: 10 },
  );
  const adds: string[] = [];
  inf.addHandler({ onAdd: (o, initial) => adds.push(`${o.metadata?.name}${initial ? ' (list)' : ''}`) });
  const ac = new AbortController();
  const running = inf.start(ac.signal);
  assert.equal(await inf.waitForSync(), true);
  assert.ok(adds.includes('r1 (list)'));
  assert.ok(Number(inf.resourceVersion) > 1);
  await client.create({ ...CM, metadata: { name: 'r2', namespace: 'a' } });
  await until('r2 by watch', () => adds.includes('r2'));
  ac.abort();
  await running;
});

test('informer re-watches from its resourceVersion when the server ends a watch (no relist)', async () => {
  const inf = new Informer(client, { ...CM, namespace: 'b' }, { watchTimeoutSeconds: 1 });
  const adds: string[] = [];
  inf.addHandler({ onAdd: (o, initial) => adds.push(`${o.metadata?.name}${initial ? ' (list)' : ''}`) });
  const ac = new AbortController();
  const running = inf.start(ac.signal);
  await inf.waitForSync();
  // Outlive two server-side watch timeouts, then change something.
  await new Promise((r) => setTimeout(r, 2200));
  await client.create({ ...CM, metadata: { name: 'after-timeout', namespace: 'b' } });
  await until('event after re-watch', () => adds.includes('after-timeout'));
  assert.ok(
    !adds.some((a) => a.endsWith('(list)') && a.startsWith('after-timeout')),
    'came by watch, not relist',
  );
  ac.abort();
  await running;
});

test('controller maps owned objects to their owner and reconciles each key once at a time', async () => {
  const owners = new Informer(client, { ...CM, namespace: 'ctl', labelSelector: 'role=owner' });
  const owned = new Informer(client, { ...CM, namespace: 'ctl', labelSelector: 'role=owned' });
  const reconciled: string[] = [];
  let active = 0;
  let overlap = false;
  const controller = new Controller({
    name: 'owner-sync',
    workers: 3,
    reconcile: async (key, { signal }) => {
      if (++active > 1 && reconciled.includes(key)) overlap = true;
      try {
        reconciled.push(key);
        const { namespace, name } = splitKey(key);
        const owner = owners.store.getByName(namespace, name);
        if (!owner) return Outcome.done;
        // Observe → decide → act: ensure one child per owner.
        const childName = `${name}-child`;
        if (!owned.store.getByName(namespace, childName)) {
          await client
            .create(
              {
                ...CM,
                metadata: {
                  name: childName,
                  namespace,
                  labels: { role: 'owned' },
                  ownerReferences: [
                    {
                      apiVersion: 'v1',
                      kind: 'ConfigMap',
                      name,
                      uid: owner.metadata!.uid!,
                      controller: true,
                    },
                  ],
                },
              },
              { signal },
            )
            .catch((err) => {
              if ((err as Error).name !== 'AlreadyExistsError') throw err;
            });
        }
        return Outcome.done;
      } finally {
        active--;
      }
    },
  });
  controller.watch(owners);
  controller.watch(owned, { map: mappers.toOwner('ConfigMap') });
  const ac = new AbortController();
  const runs = [owners.start(ac.signal), owned.start(ac.signal), controller.start(ac.signal)];
  await client.create({ ...CM, metadata: { name: 'o1', namespace: 'ctl', labels: { role: 'owner' } } });
  await until('child created', () => owned.store.getByName('ctl', 'o1-child') !== undefined);
  // Deleting the child re-triggers the owner (mapped key), which recreates it.
  const n = reconciled.length;
  await client.delete({ ...CM, namespace: 'ctl', name: 'o1-child' });
  await until('owner reconciled again', () => reconciled.length > n);
  await until('child recreated', () => owned.store.getByName('ctl', 'o1-child') !== undefined);
  ac.abort();
  await Promise.all(runs);
  assert.equal(overlap, false);
  assert.ok(
    reconciled.every((k) => k === 'ctl/o1'),
    reconciled.join(','),
  );
});

test('a stopped informer cannot be restarted and waitForSync reports false', async () => {
  const inf = new Informer<KubeObject>(
    client,
    { apiVersion: 'example.invalid/v1', kind: 'Nothing' },
    { backoffBaseMs: 5 },
  );
  const ac = new AbortController();
  const running = inf.start(ac.signal);
  const sync = inf.waitForSync();
  setTimeout(() => ac.abort(), 50);
  assert.equal(await sync, false);
  await running;
  await assert.rejects(inf.start(new AbortController().signal), /started twice/);
});
