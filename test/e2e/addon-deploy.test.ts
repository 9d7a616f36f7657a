// ClusterProfile → ClusterSummary → resources in managed clusters, by label; a joining cluster;
// a cluster that stops matching (WithdrawPolicies and LeavePolicies).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CP,
  CS,
  configMapSource,
  type Fleet,
  FLEET_NS,
  featureStatus,
  getOrUndefined,
  startFleet,
  until,
} from './addon-harness.js';

let fleet: Fleet;

before(async () => {
  fleet = await startFleet(['c1', 'c2', 'c3']);
  await fleet.register('c1', { env: 'prod' });
  await fleet.register('c2', { env: 'prod' });
  await fleet.register('c3', { env: 'dev' });
  fleet.startControllers();
});

after(async () => {
  await fleet?.close();
});

const APP_CM = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'app', name: 'app-settings' };
const docs = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings
  namespace: app
data:
  level: info
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-runner
  namespace: app
`;

test('deploy by label, a joining cluster, withdraw on stop matching, LeavePolicies', async () => {
  const { mgmt } = fleet;
  await mgmt.create(configMapSource('app-content', docs));
  await mgmt.create({
    ...CP,
    metadata: { name: 'app' },
    spec: {
      clusterSelector: { matchLabels: { env: 'prod' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'app-content', namespace: 'default' }],
    },
  });
  for (const c of ['c1', 'c2']) {
    const client = await fleet.client(c);
    const cm = await until(`ConfigMap on ${c}`, () => getOrUndefined(client, APP_CM));
    const ann = cm.metadata?.annotations ?? {};
    assert.equal(ann['projectsveltos.io/owner-kind'], 'ClusterProfile');
    assert.equal(ann['projectsveltos.io/owner-name'], 'app');
    assert.equal(ann['projectsveltos.io/owner-tier'], '100');
    assert.equal(ann['projectsveltos.io/reference-kind'], 'ConfigMap');
    assert.equal(ann['projectsveltos.io/reference-name'], 'app-content');
    assert.equal(ann['projectsveltos.io/reference-namespace'], 'default');
    assert.match(ann['projectsveltos.io/hash'] ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(cm.metadata?.labels?.['projectsveltos.io/reason'], 'Resources');
    assert.equal((cm.data as Record<string, string>).level, 'info');
    const mf = cm.metadata?.managedFields?.find((m) => m.operation === 'Apply');
    assert.equal(mf?.manager, 'application/apply-patch');
    assert.ok(
      await getOrUndefined(client, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        namespace: 'app',
        name: 'app-runner',
      }),
    );
    await until(
      `summary of ${c} Provisioned`,
      async () => (await featureStatus(mgmt, `app-sveltos-${c}`))?.status === 'Provisioned',
    );
  }
  const c3 = await fleet.client('c3');
  assert.equal(await getOrUndefined(c3, APP_CM), undefined, 'c3 does not match');
  const profile = await until('matchingClusters', async () => {
    const p = await mgmt.get({ ...CP, name: 'app' });
    const m = (p.status as { matchingClusters?: { name: string }[] } | undefined)?.matchingClusters ?? [];
    return m.length === 2 ? p : undefined;
  });
  assert.deepEqual(
    (profile.status as { matchingClusters: unknown[] }).matchingClusters,
    ['c1', 'c2'].map((name) => ({
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'SveltosCluster',
      namespace: FLEET_NS,
      name,
    })),
  );
  assert.deepEqual(profile.metadata?.finalizers, ['clusterprofilefinalizer.projectsveltos.io']);
  const cs = await mgmt.get({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterSummary',
    namespace: FLEET_NS,
    name: 'app-sveltos-c1',
  });
  assert.equal(cs.metadata?.labels?.['projectsveltos.io/cluster-profile-name'], 'app');
  assert.equal(cs.metadata?.labels?.['projectsveltos.io/cluster-name'], 'c1');
  assert.equal(cs.metadata?.labels?.['projectsveltos.io/cluster-type'], 'sveltos');
  assert.equal(cs.metadata?.ownerReferences?.[0]?.name, 'app');
  assert.deepEqual((cs.spec as { clusterProfileSpec: unknown }).clusterProfileSpec, profile.spec);
  const cc = await mgmt.get({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterConfiguration',
    namespace: FLEET_NS,
    name: 'sveltos--c1',
  });
  const entry = (
    cc.status as {
      clusterProfileResources: {
        clusterProfileName: string;
        Features: { featureID: string; resources: { kind: string; name: string }[] }[];
      }[];
    }
  ).clusterProfileResources[0]!;
  assert.equal(entry.clusterProfileName, 'app');
  assert.deepEqual(entry.Features[0]!.resources.map((r) => `${r.kind}/${r.name}`).sort(), [
    'ConfigMap/app-settings',
    'ServiceAccount/app-runner',
  ]);

  // A new cluster joins with the label: it receives the add-ons.
  await fleet.register('c4', { env: 'prod' });
  const c4 = await fleet.client('c4');
  await until('ConfigMap on joining c4', () => getOrUndefined(c4, APP_CM));

  // c2 loses the label: its summary goes and the resources are withdrawn.
  await fleet.setLabels('c2', { env: 'staging' });
  const c2 = await fleet.client('c2');
  await until('withdrawn from c2', async () => (await getOrUndefined(c2, APP_CM)) === undefined);
  await until(
    'c2 summary deleted',
    async () =>
      (await getOrUndefined(mgmt, { ...CS, namespace: FLEET_NS, name: 'app-sveltos-c2' })) === undefined,
  );
  assert.ok(
    await getOrUndefined(c2, { apiVersion: 'v1', kind: 'Namespace', name: 'app' }),
    'namespaces are not withdrawn',
  );
  assert.ok(await getOrUndefined(await fleet.client('c1'), APP_CM), 'c1 keeps its copy');

  // LeavePolicies: the object stays, without the ownership record.
  await mgmt.create(
    configMapSource(
      'keep-content',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  namespace: app\ndata:\n  a: "1"\n',
    ),
  );
  await mgmt.create({
    ...CP,
    metadata: { name: 'keep' },
    spec: {
      clusterSelector: { matchLabels: { env: 'prod' } },
      stopMatchingBehavior: 'LeavePolicies',
      policyRefs: [{ kind: 'ConfigMap', name: 'keep-content', namespace: 'default' }],
    },
  });
  const KEPT = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'app', name: 'kept' };
  await until('kept on c4', () => getOrUndefined(c4, KEPT));
  await until(
    'keep Provisioned on c4',
    async () => (await featureStatus(mgmt, 'keep-sveltos-c4'))?.status === 'Provisioned',
  );
  await fleet.setLabels('c4', { env: 'none' });
  await until(
    'c4 summary of keep deleted',
    async () =>
      (await getOrUndefined(mgmt, { ...CS, namespace: FLEET_NS, name: 'keep-sveltos-c4' })) === undefined,
  );
  const left = await getOrUndefined(c4, KEPT);
  assert.ok(left, 'LeavePolicies leaves the object');
  assert.equal(left.metadata?.annotations?.['projectsveltos.io/owner-name'], undefined);
  assert.equal(left.metadata?.labels?.['projectsveltos.io/reason'], undefined);
  await until('app withdrawn from c4', async () => (await getOrUndefined(c4, APP_CM)) === undefined);

  // Deleting the profile withdraws everywhere and releases its finalizer.
  await mgmt.delete({ ...CP, name: 'app' });
  const c1 = await fleet.client('c1');
  await until('withdrawn from c1', async () => (await getOrUndefined(c1, APP_CM)) === undefined);
  await until('profile gone', async () => (await getOrUndefined(mgmt, { ...CP, name: 'app' })) === undefined);
});

test('a namespaced Profile deploys to clusters of its namespace, references defaulting to it', async () => {
  const { mgmt } = fleet;
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'team-content', namespace: FLEET_NS },
    data: {
      'c.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team\n  namespace: team\ndata:\n  t: "1"\n',
    },
  });
  await mgmt.create({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'Profile',
    metadata: { name: 'team', namespace: FLEET_NS },
    spec: {
      clusterSelector: { matchLabels: { env: 'dev' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'team-content' }],
    },
  });
  const c3 = await fleet.client('c3');
  const obj = await until('Profile content on c3', () =>
    getOrUndefined(c3, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team', name: 'team' }),
  );
  assert.equal(obj.metadata?.annotations?.['projectsveltos.io/owner-kind'], 'Profile');
  assert.equal(obj.metadata?.annotations?.['projectsveltos.io/reference-namespace'], FLEET_NS);
  await until(
    'p-- summary Provisioned',
    async () => (await featureStatus(mgmt, 'p--team-sveltos-c3'))?.status === 'Provisioned',
  );
  const cs = await mgmt.get({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterSummary',
    namespace: FLEET_NS,
    name: 'p--team-sveltos-c3',
  });
  assert.equal(cs.metadata?.labels?.['projectsveltos.io/profile-name'], 'team');
  const p = await mgmt.get({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'Profile',
    namespace: FLEET_NS,
    name: 'team',
  });
  assert.deepEqual(p.metadata?.finalizers, ['profilefinalizer.projectsveltos.io']);
});

test('a namespace deleted in the cluster after a deploy is created again by the next deploy', async () => {
  const { mgmt } = fleet;
  const content = (level: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  namespace: gone\ndata:\n  level: ${level}\n`;
  await mgmt.create(configMapSource('gone-content', content('one')));
  await mgmt.create({
    ...CP,
    metadata: { name: 'gone' },
    spec: {
      clusterSelector: { matchLabels: { env: 'dev' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'gone-content', namespace: 'default' }],
    },
  });
  const c3 = await fleet.client('c3');
  const KEPT = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'gone', name: 'kept' };
  await until('deployed into namespace gone', () => getOrUndefined(c3, KEPT));
  await c3.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'gone' });
  await until(
    'namespace gone removed',
    async () =>
      (await getOrUndefined(c3, { apiVersion: 'v1', kind: 'Namespace', name: 'gone' })) === undefined,
  );
  const src = await mgmt.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'gone-content',
  });
  await mgmt.update({ ...src, data: { 'content.yaml': content('two') } });
  await until(
    'redeployed into the re-created namespace',
    async () =>
      ((await getOrUndefined(c3, KEPT))?.data as Record<string, string> | undefined)?.level === 'two',
  );
  const st = await until('Provisioned', async () => {
    const f = await featureStatus(mgmt, 'gone-sveltos-c3');
    return f?.status === 'Provisioned' && f;
  });
  assert.equal(st.failureMessage, undefined);
});
