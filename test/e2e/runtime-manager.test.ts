// The whole runtime wired as a composition root would: manager with leader election, a shared
// informer factory, a controller, health and metrics endpoints.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { Controller, InformerFactory, Manager, Outcome, splitKey } from '../../src/runtime/index.js';

let server: ApiServer;
let client: KubeClient;

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt'] });
  client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type CM = KubeObject & { data?: Record<string, string> };

test('manager runs informers and a leader-elected controller that converges objects', async () => {
  const manager = new Manager({
    healthPort: 0,
    healthHost: '127.0.0.1',
    leaderElection: {
      client,
      namespace: 'kube-system',
      name: 'runtime-manager-test',
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 200,
    },
  });
  const informers = new InformerFactory();
  const cms = informers.informer<CM>(client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
  const controller = new Controller({
    name: 'uppercase',
    registry: manager.registry,
    reconcile: async (key, { signal }) => {
      const obj = cms.store.get(key);
      if (!obj?.data?.input) return Outcome.done;
      const want = obj.data.input.toUpperCase();
      if (obj.data.output === want) return Outcome.done;
      const { namespace, name } = splitKey(key);
      await client.apply(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { output: want } },
        { fieldManager: 'uppercase', force: true, signal },
      );
      return Outcome.done;
    },
  });
  controller.watch(cms);
  manager.add(informers, 'informers');
  manager.add(controller, 'uppercase');
  manager.addReadyCheck('informers', () => {
    if (!informers.hasSynced()) throw new Error('caches not synced');
  });
  const ac = new AbortController();
  const run = manager.start(ac.signal);
  try {
    await manager.elected();
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'in', namespace: 'default' },
      data: { input: 'abc' },
    });
    await until('output written', async () => {
      const o = await client.get<CM>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'default',
        name: 'in',
      });
      return o.data?.output === 'ABC';
    });
    await client.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'in' },
      { data: { input: 'xyz' } },
      'merge',
    );
    await until('output follows input', () => cms.store.get('default/in')?.data?.output === 'XYZ');

    const base = `http://127.0.0.1:${manager.port}`;
    await until('ready', async () => (await fetch(`${base}/readyz`)).status === 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /flotilla_reconcile_total\{controller="uppercase",result="done"\} \d+/);
    assert.match(metrics, /flotilla_workqueue_depth\{controller="uppercase"\} 0/);
  } finally {
    ac.abort();
    await run;
  }
  const lease = await client.get<KubeObject & { spec: { holderIdentity?: string } }>({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: 'kube-system',
    name: 'runtime-manager-test',
  });
  assert.equal(lease.spec.holderIdentity, '', 'released on stop');
});
