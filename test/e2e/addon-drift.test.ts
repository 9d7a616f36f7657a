// ContinuousWithDriftDetection, management side of the handshake: the deployer writes a
// ResourceSummary (namespace projectsveltos) into the managed cluster; when the drift agent sets
// status.resourcesChanged (simulated here: the agent in src/agent/drift has not landed), the
// change arrives by watch, the feature is re-applied and the flag reset.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CP,
  configMapSource,
  type Fleet,
  featureStatus,
  getOrUndefined,
  startFleet,
  until,
} from './addon-harness.js';
import type { KubeObject } from '../../src/kube/index.js';

let fleet: Fleet;

before(async () => {
  fleet = await startFleet(['c1']);
  await fleet.register('c1', { drift: 'on' });
  fleet.startControllers();
});

after(async () => {
  await fleet?.close();
});

const RS = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'ResourceSummary',
  namespace: 'projectsveltos',
};
const OBJ = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo', name: 'guarded' };

test('a drift report re-applies the feature and resets the flag', async () => {
  const { mgmt } = fleet;
  await mgmt.create(
    configMapSource(
      'guarded-src',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guarded\n  namespace: demo\ndata:\n  level: "safe"\n',
    ),
  );
  await mgmt.create({
    ...CP,
    metadata: { name: 'guard' },
    spec: {
      clusterSelector: { matchLabels: { drift: 'on' } },
      syncMode: 'ContinuousWithDriftDetection',
      driftExclusions: [{ paths: ['/data/ignored'] }],
      policyRefs: [{ kind: 'ConfigMap', name: 'guarded-src', namespace: 'default' }],
    },
  });
  const c1 = await fleet.client('c1');
  await until('deployed', () => getOrUndefined(c1, OBJ));
  const rs = await until('ResourceSummary in the managed cluster', () =>
    getOrUndefined(c1, { ...RS, name: 'guard-sveltos-c1' }),
  );
  assert.deepEqual((rs.spec as { resources: unknown[] }).resources, [
    {
      name: 'guarded',
      namespace: 'demo',
      group: '',
      kind: 'ConfigMap',
      version: 'v1',
      ignoreForConfigurationDrift: false,
    },
  ]);
  assert.deepEqual((rs.spec as { patches: unknown[] }).patches, [
    { patch: '[{"op":"remove","path":"/data/ignored"}]' },
  ]);
  assert.equal(rs.metadata?.annotations?.['projectsveltos.io/cluster-summary-name'], 'guard-sveltos-c1');
  assert.equal(rs.metadata?.annotations?.['projectsveltos.io/cluster-summary-namespace'], 'fleet');
  await until(
    'Provisioned',
    async () => (await featureStatus(mgmt, 'guard-sveltos-c1'))?.status === 'Provisioned',
  );

  // Someone edits the object in the managed cluster; the agent reports the drift.
  await c1.patch(OBJ, { data: { level: 'tampered' } }, 'merge');
  assert.equal(((await c1.get(OBJ)).data as Record<string, string>).level, 'tampered');
  await c1.patch({ ...RS, name: 'guard-sveltos-c1' }, { status: { resourcesChanged: true } }, 'merge', {
    subresource: 'status',
  });
  await until(
    'drift corrected',
    async () => ((await c1.get(OBJ)).data as Record<string, string>).level === 'safe',
  );
  await until('flag reset', async () => {
    const r = await c1.get({ ...RS, name: 'guard-sveltos-c1' });
    return (r.status as { resourcesChanged?: boolean } | undefined)?.resourcesChanged === false;
  });

  // Changing only driftExclusions rewrites what the drift agent ignores.
  const cp = await mgmt.get<KubeObject & { spec: Record<string, unknown> }>({ ...CP, name: 'guard' });
  cp.spec.driftExclusions = [{ paths: ['/data/other'] }];
  await mgmt.update(cp);
  await until('ResourceSummary patches follow driftExclusions', async () => {
    const r = await c1.get({ ...RS, name: 'guard-sveltos-c1' });
    return (
      JSON.stringify((r.spec as { patches?: unknown[] }).patches) ===
      JSON.stringify([{ patch: '[{"op":"remove","path":"/data/other"}]' }])
    );
  });

  // Withdrawal removes the ResourceSummary too.
  await mgmt.delete({ ...CP, name: 'guard' });
  await until('withdrawn', async () => (await getOrUndefined(c1, OBJ)) === undefined);
  await until(
    'ResourceSummary removed',
    async () => (await getOrUndefined(c1, { ...RS, name: 'guard-sveltos-c1' })) === undefined,
  );
});
