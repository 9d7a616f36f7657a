// Per-cluster informer sets that come and go with clusters, feeding one controller.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient } from '../../src/kube/index.js';
import { Controller, InformerFactory, mappers, Outcome, splitClusterKey } from '../../src/runtime/index.js';

let server: ApiServer;
const clients = new Map<string, KubeClient>();
const CM = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' };

async function connect(name: string): Promise<KubeClient> {
  const c = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig(name) }, { name });
  clients.set(name, c);
  return c;
}

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['c1', 'c2'] });
});

after(async () => {
  for (const c of clients.values()) c.close();
  await server?.stop();
});

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('clusters join and leave: their informers start, feed the controller, and stop when dropped', async () => {
  const factory = new InformerFactory({ informer: { backoffBaseMs: 20 } });
  const seen: string[] = [];
  const controller = new Controller({
    name: 'fleet',
    needLeaderElection: false,
    reconcile: async (key) => {
      seen.push(key);
      return Outcome.done;
    },
  });
  const unwatch = new Map<string, () => void>();
  const join = async (name: string) => {
    const client = clients.get(name) ?? (await connect(name));
    const inf = factory.informer(client, CM);
    // Two controllers asking for the same kind share one informer.
    assert.equal(factory.informer(client, CM), inf);
    unwatch.set(name, controller.watch(inf, { map: mappers.inCluster(name) }));
    return inf;
  };
  await join('c1');
  await join('c2');
  const ac = new AbortController();
  const runs = [factory.start(ac.signal), controller.start(ac.signal)];
  await clients.get('c1')!.create({ ...CM, metadata: { name: 'one', namespace: 'default' } });
  await clients.get('c2')!.create({ ...CM, metadata: { name: 'two', namespace: 'default' } });
  await until(
    'both clusters reconciled',
    () => seen.includes('c1:default/one') && seen.includes('c2:default/two'),
  );
  assert.deepEqual(splitClusterKey('c2:default/two'), { cluster: 'c2', namespace: 'default', name: 'two' });

  // A cluster added at runtime starts at once.
  await server.addCluster('c3');
  const inf3 = await join('c3');
  await clients.get('c3')!.create({ ...CM, metadata: { name: 'three', namespace: 'default' } });
  await until('c3 reconciled', () => seen.includes('c3:default/three'));
  assert.ok(inf3.store.get('default/three'));
  assert.deepEqual(factory.clusters().sort(), ['c1', 'c2', 'c3']);

  // Dropping c2 stops its watch and frees its cache; the others keep running.
  const inf2 = factory.cluster('c2')!.informer(CM);
  assert.ok(inf2.store.size > 0);
  unwatch.get('c2')!();
  await factory.dropCluster('c2');
  assert.equal(inf2.store.size, 0);
  assert.equal(factory.cluster('c2'), undefined);
  const before = seen.length;
  await clients.get('c2')!.create({ ...CM, metadata: { name: 'ignored', namespace: 'default' } });
  await clients.get('c1')!.create({ ...CM, metadata: { name: 'still', namespace: 'default' } });
  await until('c1 still reconciled', () => seen.includes('c1:default/still'));
  assert.ok(!seen.slice(before).includes('c2:default/ignored'), 'no events from a dropped cluster');

  // Removing a cluster from the server while watched: the informer backs off, then is dropped.
  await server.removeCluster('c3');
  await factory.dropCluster('c3');
  assert.deepEqual(factory.clusters(), ['c1']);

  ac.abort();
  await Promise.all(runs);
  assert.equal(factory.clusters().length, 0);
});
