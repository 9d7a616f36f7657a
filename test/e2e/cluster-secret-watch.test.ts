// A kubeconfig Secret that appears or changes is picked up at once, not at the next periodic check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIB_API_VERSION } from '../../src/api/index.js';
import { clusterModule, createManagementPlane } from '../../src/controllers/management-plane.js';
import { KubeClient } from '../../src/kube/index.js';
import { Manager } from '../../src/runtime/index.js';
import { ensureNamespace, getCluster, startFleet, until } from './cluster-helpers.js';

test('kubeconfig Secret events trigger the SveltosCluster controller', async () => {
  const { server, mgmt } = await startFleet(['mgmt', 'x', 'y']);
  // Periodic checks and retries an hour away: only events can make progress within the test.
  const plane = await createManagementPlane(
    {
      kubeconfig: { yaml: server.kubeconfig('mgmt') },
      needLeaderElection: false,
      registerManagementCluster: false,
      clusterIntervals: { readyMs: 3_600_000, notReadyMs: 3_600_000 },
      clusterBackoff: { baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 },
    },
    [clusterModule],
  );
  const manager = new Manager({});
  plane.addTo(manager);
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  try {
    await ensureNamespace(mgmt, 'fleet');
    await mgmt.create({
      apiVersion: LIB_API_VERSION,
      kind: 'SveltosCluster',
      metadata: { name: 'x', namespace: 'fleet' },
      spec: { kubeconfigName: 'custom', kubeconfigKeyName: 'cfg' },
    });
    await until(
      'first failure',
      async () => (await getCluster(mgmt, 'fleet', 'x'))?.status?.connectionFailures === 1,
    );

    // The Secret named by spec.kubeconfigName appears: the cluster becomes ready without a retry.
    await mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'custom', namespace: 'fleet' },
      stringData: { cfg: server.kubeconfig('x'), other: 'ignored' },
    });
    await until('fleet/x ready', async () => (await getCluster(mgmt, 'fleet', 'x'))?.status?.ready === true);
    const id = { namespace: 'fleet', name: 'x', type: 'Sveltos' as const };
    const first = plane.connections.get(id);
    assert.ok(first);

    // Pointing the Secret at another cluster replaces the connection.
    await mgmt.apply(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'custom', namespace: 'fleet' },
        stringData: { cfg: server.kubeconfig('y') },
      },
      { fieldManager: 'e2e', force: true },
    );
    await until('connection replaced', () => plane.connections.get(id) !== first);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-in-y', namespace: 'default' } };
    await plane.connections.get(id)!.client.create(cm);
    const y = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('y') }, { name: 'y' });
    assert.ok(await y.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'only-in-y' }));
    y.close();
  } finally {
    stop.abort();
    await running;
    await plane.close();
    mgmt.close();
    await server.stop();
  }
});
