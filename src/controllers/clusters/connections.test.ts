import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type ClusterEvent,
  ClusterConnections,
  ClusterNotConnectedError,
  kubeconfigHash,
} from './connections.js';

// Nothing here talks to a server: connections are built from kubeconfig text and never asked for
// informers, so the address only has to parse.
const kubeconfig = (token: string) => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: 'https://127.0.0.1:1/clusters/c', insecure-skip-tls-verify: true }
users:
- name: u
  user: { token: ${token} }
contexts:
- name: ctx
  context: { cluster: c, user: u }
current-context: ctx
`;

const id = { namespace: 'ns', name: 'c', type: 'Sveltos' as const };

test('connections are announced when ready, replaced on a new kubeconfig, dropped on removal', async () => {
  const conns = new ClusterConnections();
  const events: ClusterEvent[] = [];
  conns.subscribe((e) => events.push(e));
  const c1 = await conns.connect(id, kubeconfig('one'));
  assert.equal(c1.cluster, 'sveltos/ns/c');
  assert.equal(await conns.connect(id, kubeconfig('one')), c1, 'same text, same client');
  assert.equal(conns.get(id), undefined, 'not ready yet');
  await assert.rejects(
    conns.connection(id),
    (e: unknown) => e instanceof ClusterNotConnectedError && /not ready/.test(e.message),
  );
  assert.equal(events.length, 0);

  conns.setReady(id);
  conns.setReady(id);
  assert.deepEqual(
    events.map((e) => e.type),
    ['added'],
  );
  assert.equal(conns.get(id)?.client, c1);
  assert.equal((await conns.connection(id)).client, c1);
  assert.deepEqual(
    conns.ready().map((c) => c.key),
    ['sveltos/ns/c'],
  );

  const c2 = await conns.connect(id, kubeconfig('two'));
  assert.notEqual(c2, c1);
  assert.equal(events.at(-1)?.type, 'changed');
  assert.equal(conns.get(id)?.client, c2, 'still ready with the new client');

  const queued: string[] = [];
  const offTrigger = conns.trigger({ enqueue: (k) => queued.push(k) }, (e) => [
    `${e.type}:${e.connection.id.name}`,
  ]);
  assert.deepEqual(queued, ['added:c']);
  offTrigger();

  // A late subscriber is told about ready clusters at once.
  const late: string[] = [];
  const off = conns.subscribe((e) => late.push(`${e.type} ${e.connection.key}`));
  assert.deepEqual(late, ['added sveltos/ns/c']);
  off();

  await conns.remove(id);
  assert.equal(events.at(-1)?.type, 'removed');
  assert.equal(conns.get(id), undefined);
  assert.equal(conns.size, 0);
  await assert.rejects(conns.connection(id), /not registered/);
  await conns.remove(id); // idempotent
});

test('concurrent connects of one cluster build one client', async () => {
  const conns = new ClusterConnections();
  const [a, b] = await Promise.all([conns.connect(id, kubeconfig('x')), conns.connect(id, kubeconfig('x'))]);
  assert.equal(a, b);
  await conns.close();
});

test('kubeconfigHash tells texts apart', () => {
  assert.equal(kubeconfigHash('a'), kubeconfigHash('a'));
  assert.notEqual(kubeconfigHash('a'), kubeconfigHash('b'));
  assert.equal(kubeconfigHash('').length, 16);
});
