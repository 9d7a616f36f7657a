// The add-on controllers inside the management plane: real SveltosCluster readiness and
// ClusterConnections (no status faked), a ClusterProfile deployed to a registered cluster.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { createManagementPlane, type ManagementPlane } from '../../src/controllers/management-plane.js';
import { KubeClient } from '../../src/kube/index.js';
import { Manager } from '../../src/runtime/index.js';
import {
  CP,
  configMapSource,
  FLEET_NS,
  featureStatus,
  getOrUndefined,
  installCrds,
  until,
} from './addon-harness.js';

let server: ApiServer;
let mgmt: KubeClient;
let plane: ManagementPlane;
const stop = new AbortController();
let running: Promise<void>;

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', 'a'] });
  mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'test-mgmt' });
  await installCrds(mgmt);
  await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: FLEET_NS } });
  plane = await createManagementPlane({
    kubeconfig: { yaml: server.kubeconfig('mgmt') },
    needLeaderElection: false,
    registerManagementCluster: false,
    informer: { backoffBaseMs: 20, backoffMaxMs: 200 },
    clusterIntervals: { readyMs: 500, notReadyMs: 100 },
    clusterBackoff: { baseDelayMs: 20, maxDelayMs: 150 },
  });
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

test('a registered cluster becomes ready through the plane and receives the profile', async () => {
  await mgmt.create(
    configMapSource(
      'plane-src',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-plane\n  namespace: default\ndata:\n  x: "1"\n',
    ),
  );
  await mgmt.create({
    ...CP,
    metadata: { name: 'plane' },
    spec: {
      clusterSelector: { matchLabels: { env: 'plane' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'plane-src', namespace: 'default' }],
    },
  });
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'a-sveltos-kubeconfig', namespace: FLEET_NS },
    data: { kubeconfig: Buffer.from(server.kubeconfig('a')).toString('base64') },
  });
  await mgmt.create({
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'SveltosCluster',
    metadata: { name: 'a', namespace: FLEET_NS, labels: { env: 'plane' } },
    spec: {},
  });
  const a = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('a') }, { name: 'test-a' });
  try {
    const obj = await until('deployed to a', () =>
      getOrUndefined(a, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'from-plane' }),
    );
    assert.equal(obj.metadata?.annotations?.['projectsveltos.io/owner-name'], 'plane');
    await until(
      'Provisioned',
      async () => (await featureStatus(mgmt, 'plane-sveltos-a'))?.status === 'Provisioned',
    );
  } finally {
    a.close();
  }
});
