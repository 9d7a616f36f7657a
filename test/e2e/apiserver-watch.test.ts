import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;
let kc: KubeConfig;
let core: CoreV1Api;
before(async () => {
  h = await startHarness(['watch'], { bookmarkIntervalMs: 50 });
  kc = new KubeConfig();
  kc.loadFromFile(h.server.kubeconfigPath('watch'));
  core = kc.makeApiClient(CoreV1Api);
});
after(async () => {
  await h.close();
});

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  obj: any;
}

/** Starts a client-node watch and collects events until `until` says stop. */
async function collect(
  path: string,
  query: Record<string, string | number | boolean>,
  until: (seen: Seen[]) => boolean,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  let abort: AbortController | undefined;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`watch ${path} did not finish; saw ${JSON.stringify(seen.map((s) => s.type))}`)),
      10_000,
    );
    new Watch(kc)
      .watch(
        path,
        query,
        (type, obj) => {
          seen.push({ type, name: obj?.metadata?.name, rv: obj?.metadata?.resourceVersion, obj });
          if (until(seen)) {
            clearTimeout(timer);
            resolve();
          }
        },
        (err) => {
          clearTimeout(timer);
          if (err && !until(seen)) reject(err);
          else resolve();
        },
      )
      .then((a) => (abort = a), reject);
  });
  try {
    await done;
  } finally {
    abort?.abort();
  }
  return seen;
}

test('client-node CRUD round trip', async () => {
  const created = await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'cn' }, data: { a: '1' } },
  });
  assert.equal(created.metadata?.name, 'cn');
  const read = await core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' });
  assert.equal(read.data?.a, '1');
  read.data = { a: '2' };
  const replaced = await core.replaceNamespacedConfigMap({ name: 'cn', namespace: 'default', body: read });
  assert.equal(replaced.data?.a, '2');
  const list = await core.listNamespacedConfigMap({ namespace: 'default' });
  assert.ok(list.items.some((i) => i.metadata?.name === 'cn'));
  assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
  await core.deleteNamespacedConfigMap({ name: 'cn', namespace: 'default' });
  await assert.rejects(
    core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' }),
    (e: any) => e.code === 404,
  );
});

test('watch streams ADDED/MODIFIED/DELETED and resumes from a resourceVersion', async () => {
  const start = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata!.resourceVersion!;
  const events = collect('/api/v1/namespaces/default/configmaps', { resourceVersion: start }, (s) =>
    s.some((e) => e.type === 'DELETED'),
  );
  await new Promise((r) => setTimeout(r, 50));
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1' } } });
  await core
    .patchNamespacedConfigMap(
      { name: 'w1', namespace: 'default', body: { metadata: { labels: { x: 'y' } } } },
      { headers: { 'Content-Type': 'application/merge-patch+json' } } as any,
    )
    .catch(async () => {
      const o = await core.readNamespacedConfigMap({ name: 'w1', namespace: 'default' });
      o.metadata!.labels = { x: 'y' };
      await core.replaceNamespacedConfigMap({ name: 'w1', namespace: 'default', body: o });
    });
  await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
  const seen = (await events).filter((e) => e.type !== 'BOOKMARK');
  assert.deepEqual(
    seen.map((e) => `${e.type}:${e.name}`),
    ['ADDED:w1', 'MODIFIED:w1', 'DELETED:w1'],
  );
  // Resume after the ADDED event: the MODIFIED and DELETED events are replayed.
  const replay = await collect(
    '/api/v1/namespaces/default/configmaps',
    { resourceVersion: seen[0].rv! },
    (s) => s.filter((e) => e.type !== 'BOOKMARK').length >= 2,
  );
  assert.deepEqual(
    replay.filter((e) => e.type !== 'BOOKMARK').map((e) => e.type),
    ['MODIFIED', 'DELETED'],
  );
});

test('a watch without resourceVersion starts with ADDED for existing objects; selectors filter', async () => {
  await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'sel-a', labels: { team: 'a' } } },
  });
  await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'sel-b', labels: { team: 'b' } } },
  });
  const seen = await collect(
    '/api/v1/namespaces/default/configmaps',
    { labelSelector: 'team=a' },
    (s) => s.length >= 1,
  );
  assert.deepEqual(
    seen.map((e) => `${e.type}:${e.name}`),
    ['ADDED:sel-a'],
  );
});

test('an object leaving the label selection is seen as DELETED', async () => {
  const rv = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata!.resourceVersion!;
  const events = collect(
    '/api/v1/namespaces/default/configmaps',
    { resourceVersion: rv, labelSelector: 'team=a' },
    (s) => s.some((e) => e.type === 'DELETED'),
  );
  await new Promise((r) => setTimeout(r, 50));
  const o = await core.readNamespacedConfigMap({ name: 'sel-a', namespace: 'default' });
  o.metadata!.labels = { team: 'c' };
  await core.replaceNamespacedConfigMap({ name: 'sel-a', namespace: 'default', body: o });
  const seen = await events;
  assert.deepEqual(
    seen.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type}:${e.name}`),
    ['DELETED:sel-a'],
  );
});

test('bookmarks arrive periodically when allowed', async () => {
  const rv = (await core.listNamespacedConfigMap({ namespace: 'default' })).metadata!.resourceVersion!;
  const seen = await collect(
    '/api/v1/namespaces/default/configmaps',
    { resourceVersion: rv, allowWatchBookmarks: true },
    (s) => s.filter((e) => e.type === 'BOOKMARK').length >= 2,
  );
  const b = seen.find((e) => e.type === 'BOOKMARK')!;
  assert.match(b.rv!, /^\d+$/);
});

test('resuming from a resourceVersion older than the window gets 410 Expired', async () => {
  for (let i = 0; i < 1100; i++)
    await h.http(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: `flood-${i}` } }),
      { 'content-type': 'application/json' },
    );
  const r = await h.http('GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2');
  assert.equal(r.status, 200);
  const ev = JSON.parse(r.body.trim().split('\n')[0]);
  assert.equal(ev.type, 'ERROR');
  assert.equal(ev.object.code, 410);
  assert.equal(ev.object.reason, 'Expired');
  assert.match(ev.object.message, /^too old resource version: 2 \(\d+\)$/);
});

test('timeoutSeconds ends the watch', async () => {
  const r = await h.http(
    'GET',
    '/api/v1/namespaces/kube-system/configmaps?watch=1&timeoutSeconds=1&resourceVersion=0',
  );
  assert.equal(r.status, 200);
});

test('sendInitialEvents ends the initial list with an initial-events-end bookmark', async () => {
  await core.createNamespacedConfigMap({ namespace: 'kube-public', body: { metadata: { name: 'init-1' } } });
  const seen = await collect(
    '/api/v1/namespaces/kube-public/configmaps',
    { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
    (s) => s.some((e) => e.type === 'BOOKMARK'),
  );
  assert.deepEqual(
    seen.map((e) => e.type),
    ['ADDED', 'BOOKMARK'],
  );
  assert.equal(seen[1].obj.metadata.annotations['k8s.io/initial-events-end'], 'true');
});

test('legacy /watch/ paths watch one object by name', async () => {
  await core.createNamespacedConfigMap({ namespace: 'kube-public', body: { metadata: { name: 'one' } } });
  await core.createNamespacedConfigMap({ namespace: 'kube-public', body: { metadata: { name: 'two' } } });
  const r = await h.http('GET', '/api/v1/watch/namespaces/kube-public/configmaps/one?timeoutSeconds=1');
  const events = r.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    events.map((e) => `${e.type}:${e.object.metadata.name}`),
    ['ADDED:one'],
  );
});

test('cluster-wide watches of namespaced kinds see every namespace', async () => {
  const rv = (await core.listConfigMapForAllNamespaces()).metadata!.resourceVersion!;
  const events = collect(
    '/api/v1/configmaps',
    { resourceVersion: rv },
    (s) => s.filter((e) => e.type === 'ADDED').length >= 2,
  );
  await new Promise((r) => setTimeout(r, 50));
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cw-a' } } });
  await core.createNamespacedConfigMap({ namespace: 'kube-system', body: { metadata: { name: 'cw-b' } } });
  const seen = (await events).filter((e) => e.type === 'ADDED');
  assert.deepEqual(
    seen.map((e) => `${e.obj.metadata.namespace}/${e.name}`),
    ['default/cw-a', 'kube-system/cw-b'],
  );
});

test('metadata-only responses for PartialObjectMetadata accept headers', async () => {
  const accept = {
    accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
  };
  const list = JSON.parse(
    (await h.http('GET', '/api/v1/namespaces/kube-public/configmaps', undefined, accept)).body,
  );
  assert.equal(list.kind, 'PartialObjectMetadataList');
  assert.ok(list.items.length > 0);
  assert.equal(list.items[0].kind, 'PartialObjectMetadata');
  assert.equal(list.items[0].data, undefined);
  const one = JSON.parse(
    (
      await h.http('GET', '/api/v1/namespaces/kube-public/configmaps/one', undefined, {
        accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      })
    ).body,
  );
  assert.deepEqual([one.kind, one.metadata.name], ['PartialObjectMetadata', 'one']);
  const w = await h.http(
    'GET',
    '/api/v1/watch/namespaces/kube-public/configmaps/one?timeoutSeconds=1',
    undefined,
    {
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    },
  );
  assert.equal(JSON.parse(w.body.trim().split('\n')[0]).object.kind, 'PartialObjectMetadata');
});
