// Controllers stopped in the middle of a rollout and restarted after the content changed:
// the fleet converges to exactly the new content, nothing duplicated or orphaned.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CP,
  CS,
  configMapSource,
  type Fleet,
  FLEET_NS,
  featureStatus,
  startFleet,
  until,
} from './addon-harness.js';

let fleet: Fleet;
const clusters = ['c1', 'c2', 'c3'];

before(async () => {
  fleet = await startFleet(clusters, { workers: 1 });
  for (const c of clusters) await fleet.register(c, { ring: 'one' });
});

after(async () => {
  await fleet?.close();
});

const content = (ids: number[]) =>
  ids
    .map(
      (i) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: item-${i}\n  namespace: demo\ndata:\n  i: "${i}"\n`,
    )
    .join('---\n');
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

async function owned(cluster: string): Promise<string[]> {
  const client = await fleet.client(cluster);
  const l = await client.list(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo' },
    { labelSelector: 'projectsveltos.io/reason' },
  );
  return l.items
    .filter((o) => o.metadata?.annotations?.['projectsveltos.io/owner-name'] === 'ring')
    .map((o) => o.metadata?.name ?? '')
    .sort();
}

test('restart mid-rollout converges with nothing duplicated or orphaned', async () => {
  const { mgmt } = fleet;
  await mgmt.create(configMapSource('ring-src', content(range(0, 20))));
  await mgmt.create({
    ...CP,
    metadata: { name: 'ring' },
    spec: {
      clusterSelector: { matchLabels: { ring: 'one' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'ring-src', namespace: 'default' }],
    },
  });
  fleet.startControllers();
  await until('rollout started', async () => {
    for (const c of clusters) if ((await owned(c)).length > 0) return true;
    return false;
  });
  await fleet.stopControllers();
  // The content changes while nothing runs: items 10-19 go, 20-24 come.
  const src = await mgmt.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'ring-src' });
  await mgmt.update({ ...src, data: { 'content.yaml': content([...range(0, 10), ...range(20, 25)]) } });
  fleet.startControllers();
  const want = [...range(0, 10), ...range(20, 25)].map((i) => `item-${i}`).sort();
  for (const c of clusters) {
    await until(`${c} converged`, async () => JSON.stringify(await owned(c)) === JSON.stringify(want));
    await until(
      `${c} Provisioned`,
      async () => (await featureStatus(mgmt, `ring-sveltos-${c}`))?.status === 'Provisioned',
    );
    const cc = await mgmt.get({
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterConfiguration',
      namespace: FLEET_NS,
      name: `sveltos--${c}`,
    });
    const entries = (
      cc.status as {
        clusterProfileResources: {
          clusterProfileName: string;
          Features: { resources: { name: string }[] }[];
        }[];
      }
    ).clusterProfileResources.filter((e) => e.clusterProfileName === 'ring');
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]!.Features[0]!.resources.map((r) => r.name).sort(), want);
  }
  const summaries = await mgmt.list(CS, { labelSelector: 'projectsveltos.io/cluster-profile-name=ring' });
  assert.deepEqual(
    summaries.items.map((s) => s.metadata?.name).sort(),
    clusters.map((c) => `ring-sveltos-${c}`),
  );
});
