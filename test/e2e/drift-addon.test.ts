// The whole drift loop with the real management plane: the add-on controllers deploy with
// ContinuousWithDriftDetection and write the ResourceSummary, the agent (src/agent) watches the
// deployed object, an out-of-band edit in the managed cluster is reported and corrected, with no
// simulated step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAgent, driftModule } from '../../src/agent/index.js';
import type { ResourceSummary } from '../../src/api/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import {
  CP,
  CS,
  configMapSource,
  type Fleet,
  featureStatus,
  getOrUndefined,
  startFleet,
  until,
} from './addon-harness.js';

let fleet: Fleet;
let c1: KubeClient;
const stop = new AbortController();
let agentRun: Promise<void> | undefined;

const RS = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'ResourceSummary',
  namespace: 'projectsveltos',
};
const OBJ = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo', name: 'guarded' };
const SUMMARY = 'guard-sveltos-c1';

const source = (level: string) =>
  configMapSource(
    'guarded-src',
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guarded\n  namespace: demo\ndata:\n  level: "${level}"\n`,
  );

const level = async () => ((await c1.get(OBJ)).data as Record<string, string>).level;
const rs = async () => (await getOrUndefined(c1, { ...RS, name: SUMMARY })) as ResourceSummary | undefined;
/** Baseline present, no drift reported. */
const settled = async () => {
  const r = await rs();
  return r?.status?.resourcesChanged === false && r.status.resourceHashes?.length === 1 && r;
};

/**
 * Waits until the ResourceSummary and the ClusterSummary stop changing, so each edit is checked
 * against a settled state. (The add-on controller sets the baselines from what it applied, so an
 * edit racing a re-apply is drift too: test/e2e/drift-baseline.test.ts.)
 */
async function quiet(): Promise<void> {
  const rv = async () =>
    `${(await rs())?.metadata?.resourceVersion}/${(await getOrUndefined(fleet.mgmt, { ...CS, namespace: 'fleet', name: SUMMARY }))?.metadata?.resourceVersion}`;
  for (let before = await rv(); ; ) {
    await new Promise((r) => setTimeout(r, 400));
    const now = await rv();
    if (now === before) return;
    before = now;
  }
}

before(async () => {
  fleet = await startFleet(['c1']);
  await fleet.register('c1', { drift: 'on' });
  fleet.startControllers();
  c1 = await fleet.client('c1');
  const agent = createAgent({
    client: c1,
    clusterName: 'c1',
    clusterNamespace: 'fleet',
    clusterType: 'Sveltos',
    modules: [driftModule()],
  });
  agentRun = agent.start(stop.signal);
});

after(async () => {
  stop.abort();
  await agentRun;
  await fleet?.close();
});

test('an out-of-band edit is reported by the agent and re-applied by the management plane', async () => {
  const { mgmt } = fleet;
  await mgmt.create(source('safe'));
  await mgmt.create({
    ...CP,
    metadata: { name: 'guard' },
    spec: {
      clusterSelector: { matchLabels: { drift: 'on' } },
      syncMode: 'ContinuousWithDriftDetection',
      policyRefs: [{ kind: 'ConfigMap', name: 'guarded-src', namespace: 'default' }],
    },
  });
  await until('Provisioned', async () => (await featureStatus(mgmt, SUMMARY))?.status === 'Provisioned');
  const first = await until('baseline', settled);

  for (const tampered of ['tampered', 'again']) {
    await quiet();
    await c1.patch(OBJ, { data: { level: tampered } }, 'merge');
    await until(`drift "${tampered}" corrected`, async () => (await level()) === 'safe');
    const now = await until('settled after the correction', settled);
    assert.deepEqual(now.status?.resourceHashes, first.status?.resourceHashes);
  }

  await quiet();
  await c1.delete(OBJ);
  await until('deleted object re-created', async () => (await getOrUndefined(c1, OBJ)) !== undefined);
  assert.equal(await level(), 'safe');
  await until('settled after the re-creation', settled);
});

test('a profile content change converges: new content deployed and baselined, no endless redeploy', async () => {
  const { mgmt } = fleet;
  await mgmt.update({
    ...source('v2'),
    metadata: {
      ...(await mgmt.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'guarded-src' }))
        .metadata,
    },
  });
  await until('new content deployed', async () => (await level()) === 'v2');
  const a = await until('settled with the new content', settled);
  await quiet();
  await c1.patch(OBJ, { data: { level: 'tampered' } }, 'merge');
  await until('drift on the new content corrected', async () => (await level()) === 'v2');
  const b = await until('settled again', settled);
  assert.deepEqual(b.status?.resourceHashes, a.status?.resourceHashes);
});
