// SveltosCluster controller, ClusterConnections and mgmt self-registration against the embedded API server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Registry } from 'prom-client';
import { LIB_API_VERSION, type SveltosCluster } from '../../src/api/index.js';
import type { ApiServer } from '../../src/apiserver/index.js';
import type { ClusterEvent } from '../../src/controllers/clusters/index.js';
import {
  clusterModule,
  createManagementPlane,
  type ManagementPlane,
} from '../../src/controllers/management-plane.js';
import { KubeClient } from '../../src/kube/index.js';
import { Controller, Manager, Outcome, splitClusterKey } from '../../src/runtime/index.js';
import { getCluster, registerCluster, startFleet, until, writeKubeconfigSecret } from './cluster-helpers.js';

let server: ApiServer;
let mgmt: KubeClient;
let plane: ManagementPlane;
const stop = new AbortController();
let running: Promise<void>;
const events: ClusterEvent[] = [];
const registry = new Registry();

before(async () => {
  ({ server, mgmt } = await startFleet(['mgmt', 'a', 'b']));
  plane = await createManagementPlane(
    {
      kubeconfig: { yaml: server.kubeconfig('mgmt') },
      needLeaderElection: false,
      informer: { backoffBaseMs: 20, backoffMaxMs: 200 },
      clusterIntervals: { readyMs: 150, notReadyMs: 100 },
      clusterBackoff: { baseDelayMs: 20, maxDelayMs: 150 },
      registry,
    },
    // Only this area: the other modules are tested in their own e2e files.
    [clusterModule],
  );
  plane.connections.subscribe((ev) => events.push(ev));
  const manager = new Manager({});
  plane.addTo(manager);
  running = manager.start(stop.signal);
});

after(async () => {
  stop.abort();
  await running;
  await plane.close();
  mgmt.close();
  await server.stop();
});

const id = (namespace: string, name: string) => ({ namespace, name, type: 'Sveltos' as const });

test('a registered cluster becomes ready with its version, label and a connection', async () => {
  await registerCluster(mgmt, 'fleet', 'a', server.kubeconfig('a'));
  let sc: SveltosCluster | undefined;
  await until('fleet/a ready', async () => {
    sc = await getCluster(mgmt, 'fleet', 'a');
    return sc?.status?.ready === true;
  });
  assert.equal(sc?.status?.connectionStatus, 'Healthy');
  assert.equal(sc?.status?.connectionFailures, 0);
  assert.match(sc?.status?.version ?? '', /^v\d+\.\d+\.\d+/);
  assert.match(sc?.metadata?.labels?.['projectsveltos.io/k8s-version'] ?? '', /^v\d+\.\d+\.\d+$/);
  const conn = plane.connections.get(id('fleet', 'a'));
  assert.ok(conn, 'connection of fleet/a');
  assert.equal(conn.key, 'sveltos/fleet/a');
  // The connection reaches cluster a, not the management cluster.
  await conn.client.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'probe', namespace: 'default' },
  });
  const direct = await plane.connections.get(id('fleet', 'a'))!.client.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'probe',
  });
  assert.equal(direct.metadata?.name, 'probe');
  assert.ok(events.some((e) => e.type === 'added' && e.connection.key === 'sveltos/fleet/a'));
  const metrics = await registry.metrics();
  assert.match(metrics, /flotilla_sveltosclusters\{ready="true",connection_status="Healthy"\} [1-9]/);
  assert.match(metrics, /flotilla_cluster_connections [1-9]/);
});

test('the management cluster registers itself as mgmt/mgmt', async () => {
  await until(
    'mgmt/mgmt ready',
    async () => (await getCluster(mgmt, 'mgmt', 'mgmt'))?.status?.ready === true,
  );
  const secret = await mgmt.get({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'mgmt',
    name: 'mgmt-sveltos-kubeconfig',
  });
  assert.ok((secret.data as Record<string, string>).kubeconfig);
  assert.ok(plane.connections.get(id('mgmt', 'mgmt')));
});

test('a cluster that disappears goes Down after the threshold, and recovers when it is back', async () => {
  await until('fleet/a ready', async () => (await getCluster(mgmt, 'fleet', 'a'))?.status?.ready === true);
  const url = server.url('a');
  await server.removeCluster('a');
  let sc: SveltosCluster | undefined;
  await until('fleet/a Down', async () => {
    sc = await getCluster(mgmt, 'fleet', 'a');
    return sc?.status?.connectionStatus === 'Down';
  });
  assert.ok((sc?.status?.connectionFailures ?? 0) >= 3, `failures ${sc?.status?.connectionFailures}`);
  assert.equal(sc?.status?.ready, true, 'ready stays: a Down cluster keeps its add-ons');
  const msg = sc?.status?.failureMessage ?? '';
  assert.match(msg, /SveltosCluster fleet\/a/);
  assert.ok(msg.includes(url), `message names the URL: ${msg}`);

  // Back, with new credentials: the Secret is rewritten and the connection replaced.
  await server.addCluster('a');
  await writeKubeconfigSecret(mgmt, 'fleet', 'a', server.kubeconfig('a'));
  await until('fleet/a Healthy again', async () => {
    sc = await getCluster(mgmt, 'fleet', 'a');
    return sc?.status?.connectionStatus === 'Healthy';
  });
  assert.equal(sc?.status?.connectionFailures, 0);
  assert.equal(sc?.status?.failureMessage, undefined);
  assert.ok(events.some((e) => e.type === 'changed' && e.connection.key === 'sveltos/fleet/a'));
});

test('a missing kubeconfig Secret is a failure that names the Secret', async () => {
  await mgmt.create({
    apiVersion: LIB_API_VERSION,
    kind: 'SveltosCluster',
    metadata: { name: 'nosecret', namespace: 'fleet' },
    spec: { consecutiveFailureThreshold: 1 },
  });
  let sc: SveltosCluster | undefined;
  await until('fleet/nosecret Down', async () => {
    sc = await getCluster(mgmt, 'fleet', 'nosecret');
    return sc?.status?.connectionStatus === 'Down';
  });
  assert.match(sc?.status?.failureMessage ?? '', /Secret fleet\/nosecret-sveltos-kubeconfig not found/);
  assert.notEqual(sc?.status?.ready, true);
  assert.equal(plane.connections.get(id('fleet', 'nosecret')), undefined);
});

test('ClusterConnections feed controllers from every ready cluster and drop deleted ones', async () => {
  const seen = new Set<string>();
  const controller = new Controller({
    name: 'fleet-configmaps',
    needLeaderElection: false,
    reconcile: async (key) => {
      seen.add(key);
      return Outcome.done;
    },
  });
  const unwatch = plane.connections.watchAll(controller, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
  });
  const ac = new AbortController();
  const run = controller.start(ac.signal);
  try {
    await registerCluster(mgmt, 'fleet', 'b', server.kubeconfig('b'));
    await until('fleet/b connected', () => plane.connections.get(id('fleet', 'b')) !== undefined);
    const conn = plane.connections.get(id('fleet', 'b'))!;
    await conn.client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm-b', namespace: 'default' },
    });
    await until('cm-b reconciled', () => seen.has('sveltos/fleet/b:default/cm-b'));
    assert.deepEqual(splitClusterKey('sveltos/fleet/b:default/cm-b'), {
      cluster: 'sveltos/fleet/b',
      namespace: 'default',
      name: 'cm-b',
    });
    assert.equal(plane.connections.getByKey('sveltos/fleet/b'), conn);
    const inf = conn.informers.informer({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
    assert.ok(inf.store.get('default/cm-b'));
    // Only the kinds asked for are watched.
    assert.equal(conn.informers.size, 1);

    await mgmt.delete({ apiVersion: LIB_API_VERSION, kind: 'SveltosCluster', namespace: 'fleet', name: 'b' });
    await until('fleet/b dropped', () => plane.connections.get(id('fleet', 'b')) === undefined);
    assert.ok(events.some((e) => e.type === 'removed' && e.connection.key === 'sveltos/fleet/b'));
    await until('fleet/b caches freed', () => inf.store.size === 0);
  } finally {
    unwatch();
    ac.abort();
    await run;
  }
});

test('readiness checks gate ready: Lua over the selected objects', async () => {
  await server.addCluster('c');
  await registerCluster(mgmt, 'fleet', 'c', server.kubeconfig('c'), {
    readinessChecks: [
      {
        name: 'gate-present',
        resourceSelectors: [
          {
            group: '',
            version: 'v1',
            kind: 'ConfigMap',
            namespace: 'default',
            labelFilters: [{ key: 'gate', operation: 'Has' }],
          },
        ],
        condition: `function evaluate()
  local hs = {}
  hs.pass = #resources > 0
  hs.message = "gates: " .. #resources
  return hs
end`,
      },
    ],
  });
  let sc: SveltosCluster | undefined;
  await until('fleet/c reachable but not ready', async () => {
    sc = await getCluster(mgmt, 'fleet', 'c');
    return sc?.status?.connectionStatus === 'Healthy';
  });
  assert.notEqual(sc?.status?.ready, true);
  assert.match(sc?.status?.failureMessage ?? '', /readiness check "gate-present" did not pass: gates: 0/);
  assert.equal(plane.connections.get(id('fleet', 'c')), undefined, 'not announced before ready');

  const direct = await clientFor('c');
  await direct.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'gate', namespace: 'default', labels: { gate: 'open' } },
  });
  direct.close();
  await until('fleet/c ready', async () => (await getCluster(mgmt, 'fleet', 'c'))?.status?.ready === true);
  assert.ok(plane.connections.get(id('fleet', 'c')));
});

function clientFor(name: string): Promise<KubeClient> {
  return KubeClient.fromKubeconfig({ yaml: server.kubeconfig(name) }, { name });
}

test('activeWindow pauses the cluster outside the window and unpauses it inside', async () => {
  // Windows relative to the current hour, so the test does not depend on the date.
  const h = (d: number) => (new Date().getUTCHours() + d) % 24;
  const outside = { from: `0 ${h(1)} * * *`, to: `0 ${h(2)} * * *` }; // opens in an hour
  const inside = { from: `0 ${h(2)} * * *`, to: `0 ${h(1)} * * *` }; // closes in an hour
  await registerCluster(mgmt, 'fleet', 'win', server.kubeconfig('c'), { activeWindow: outside });
  let sc: SveltosCluster | undefined;
  await until('fleet/win paused', async () => {
    sc = await getCluster(mgmt, 'fleet', 'win');
    return sc?.spec?.paused === true && sc.status?.nextUnpause !== undefined;
  });
  assert.ok(sc?.status?.nextPause && sc.status.activeWindowHash);
  assert.notEqual(sc?.status?.ready, true, 'a paused cluster is not probed');

  await mgmt.patch(
    { apiVersion: LIB_API_VERSION, kind: 'SveltosCluster', namespace: 'fleet', name: 'win' },
    { spec: { activeWindow: inside } },
    'merge',
  );
  await until('fleet/win unpaused and ready', async () => {
    sc = await getCluster(mgmt, 'fleet', 'win');
    return sc?.spec?.paused === false && sc.status?.ready === true;
  });
});
