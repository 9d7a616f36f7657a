// Templates (seed 002 Job with templateResourceRefs), sync modes, tiers, dependsOn, DryRun, and
// the safety rules: a broken template or an unreadable source never removes what is deployed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import {
  CP,
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
  fleet = await startFleet(['c1', 'c2', 'c3'], { conflictRetryMs: 200 });
  await fleet.register('c1', { type: 'app', mode: 'a' });
  await fleet.register('c2', { type: 'app', mode: 'b' });
  await fleet.register('c3', { type: 'services' });
  fleet.startControllers();
});

after(async () => {
  await fleet?.close();
});

const cm = (name: string, ns = 'demo', data: Record<string, string> = { v: '1' }) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n${Object.entries(
    data,
  )
    .map(([k, v]) => `  ${k}: "${v}"`)
    .join('\n')}\n`;
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo', name });
const profile = (name: string, spec: Record<string, unknown>): KubeObject => ({
  ...CP,
  metadata: { name },
  spec,
});
const dataOf = (o: KubeObject | undefined) => (o?.data ?? {}) as Record<string, string>;

test('seed 002: a templated Job reads pg-credentials and pg-loadbalancer-data through templateResourceRefs', async () => {
  const { mgmt } = fleet;
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'pg-credentials', namespace: FLEET_NS },
    data: {
      user: Buffer.from('todo').toString('base64'),
      password: Buffer.from('s3cr3t').toString('base64'),
    },
  });
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'pg-loadbalancer-data', namespace: FLEET_NS },
    data: { 'external-ip': '10.1.2.3', port: '5432' },
  });
  const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: todo-table
  namespace: todo
  labels:
    cluster: {{ .Cluster.metadata.name }}
spec:
  ttlSecondsAfterFinished: 1000
  template:
    spec:
      containers:
        - name: postgresql-client
          image: postgres:12
          imagePullPolicy: Always
          env:
            - name: PGPASSWORD
              value: {{ get (getResource "Credentials").data \`password\` |b64dec }}
          command: ["psql"]
          args:
            [
              "--host={{ get (getResource \`LoadBalancer\`).data \`external-ip\` }}",
              "--port={{ get (getResource \`LoadBalancer\`).data \`port\` }}",
              "--username={{ get (getResource "Credentials").data \`user\` |b64dec }}",
              "--no-password",
              "--dbname=todo",
            ]
      restartPolicy: Never
`;
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'job-to-create-table',
      namespace: 'default',
      annotations: { 'projectsveltos.io/template': 'ok' },
    },
    data: { 'job-to-create-table.yaml': job },
  });
  await mgmt.create(
    profile('deploy-job', {
      clusterSelector: { matchLabels: { type: 'app' } },
      templateResourceRefs: [
        { resource: { apiVersion: 'v1', kind: 'Secret', name: 'pg-credentials' }, identifier: 'Credentials' },
        {
          resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'pg-loadbalancer-data' },
          identifier: 'LoadBalancer',
        },
      ],
      policyRefs: [{ name: 'job-to-create-table', namespace: 'default', kind: 'ConfigMap' }],
    }),
  );
  const c1 = await fleet.client('c1');
  const j = await until('Job todo-table on c1', () =>
    getOrUndefined(c1, { apiVersion: 'batch/v1', kind: 'Job', namespace: 'todo', name: 'todo-table' }),
  );
  const container = (
    j.spec as { template: { spec: { containers: { env: { value: string }[]; args: string[] }[] } } }
  ).template.spec.containers[0]!;
  assert.equal(container.env[0]!.value, 's3cr3t');
  assert.deepEqual(container.args.slice(0, 3), ['--host=10.1.2.3', '--port=5432', '--username=todo']);
  assert.equal(j.metadata?.labels?.cluster, 'c1');
  assert.ok(
    await getOrUndefined(await fleet.client('c2'), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      namespace: 'todo',
      name: 'todo-table',
    }),
  );
  assert.equal(
    await getOrUndefined(await fleet.client('c3'), {
      apiVersion: 'batch/v1',
      kind: 'Job',
      namespace: 'todo',
      name: 'todo-table',
    }),
    undefined,
  );
});

test('Continuous re-applies changed content; OneTime never re-applies after the first success', async () => {
  const { mgmt } = fleet;
  await mgmt.create(configMapSource('cont-src', cm('cont', 'demo', { v: '1' })));
  await mgmt.create(configMapSource('once-src', cm('once', 'demo', { v: '1' })));
  await mgmt.create(
    profile('cont', {
      clusterSelector: { matchLabels: { mode: 'a' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'cont-src', namespace: 'default' }],
    }),
  );
  await mgmt.create(
    profile('once', {
      clusterSelector: { matchLabels: { mode: 'a' } },
      syncMode: 'OneTime',
      policyRefs: [{ kind: 'ConfigMap', name: 'once-src', namespace: 'default' }],
    }),
  );
  const c1 = await fleet.client('c1');
  await until(
    'both deployed',
    async () => (await getOrUndefined(c1, ref('cont'))) && (await getOrUndefined(c1, ref('once'))),
  );
  await until(
    'once Provisioned',
    async () => (await featureStatus(mgmt, 'once-sveltos-c1'))?.status === 'Provisioned',
  );
  for (const n of ['cont', 'once']) {
    const src = await mgmt.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: `${n}-src`,
    });
    await mgmt.update({ ...src, data: { 'content.yaml': cm(n, 'demo', { v: '2' }) } });
  }
  await until('Continuous re-applied', async () => dataOf(await getOrUndefined(c1, ref('cont'))).v === '2');
  // The Continuous profile saw the change; the OneTime one had the same chance and kept v=1.
  await until(
    'cont Provisioned again',
    async () => (await featureStatus(mgmt, 'cont-sveltos-c1'))?.status === 'Provisioned',
  );
  assert.equal(dataOf(await getOrUndefined(c1, ref('once'))).v, '1', 'OneTime is not re-applied');
  assert.equal((await featureStatus(mgmt, 'once-sveltos-c1'))?.status, 'Provisioned');
});

test('tiers: equal tier keeps the incumbent and reports Conflict; a strictly lower tier takes over', async () => {
  const { mgmt } = fleet;
  await mgmt.create(configMapSource('shared-a', cm('shared', 'demo', { by: 'a' })));
  await mgmt.create(configMapSource('shared-b', cm('shared', 'demo', { by: 'b' })));
  await mgmt.create(configMapSource('shared-c', cm('shared', 'demo', { by: 'c' })));
  const sel = { clusterSelector: { matchLabels: { mode: 'b' } } };
  await mgmt.create(
    profile('owner-a', {
      ...sel,
      policyRefs: [{ kind: 'ConfigMap', name: 'shared-a', namespace: 'default' }],
    }),
  );
  const c2 = await fleet.client('c2');
  await until('a owns shared', async () => dataOf(await getOrUndefined(c2, ref('shared'))).by === 'a');
  await mgmt.create(
    profile('rival-b', {
      ...sel,
      policyRefs: [{ kind: 'ConfigMap', name: 'shared-b', namespace: 'default' }],
    }),
  );
  const fb = await until('b reports a conflict', async () => {
    const f = await featureStatus(mgmt, 'rival-b-sveltos-c2');
    return f?.status === 'Failed' ? f : undefined;
  });
  assert.match(
    fb.failureMessage ?? '',
    /ConfigMap demo\/shared is already managed by ClusterProfile owner-a \(tier 100\)/,
  );
  assert.equal(dataOf(await getOrUndefined(c2, ref('shared'))).by, 'a', 'equal tier: the incumbent keeps it');
  const failed = await until('profile lists the failing cluster', async () => {
    const p = await mgmt.get({ ...CP, name: 'rival-b' });
    const f = (
      p.status as { failedClusters?: { clusterRef: { name: string }; failureMessage: string }[] } | undefined
    )?.failedClusters;
    return f?.length ? f : undefined;
  });
  assert.equal(failed[0]!.clusterRef.name, 'c2');

  await mgmt.create(
    profile('boss-c', {
      ...sel,
      tier: 50,
      policyRefs: [{ kind: 'ConfigMap', name: 'shared-c', namespace: 'default' }],
    }),
  );
  const taken = await until('c takes over', async () => {
    const o = await getOrUndefined(c2, ref('shared'));
    return dataOf(o).by === 'c' ? o : undefined;
  });
  assert.equal(taken.metadata?.annotations?.['projectsveltos.io/owner-name'], 'boss-c');
  assert.equal(taken.metadata?.annotations?.['projectsveltos.io/owner-tier'], '50');
  await until(
    'the previous owner now reports the conflict',
    async () => (await featureStatus(mgmt, 'owner-a-sveltos-c2'))?.status === 'Failed',
  );
  // The winner goes away: withdrawn, and a waiting profile deploys it again.
  await mgmt.delete({ ...CP, name: 'boss-c' });
  await until('an incumbent redeploys', async () =>
    ['a', 'b'].includes(dataOf(await getOrUndefined(c2, ref('shared'))).by ?? ''),
  );
});

test('dependsOn: the dependent waits for its prerequisite, which follows it to its clusters', async () => {
  const { mgmt } = fleet;
  await mgmt.create(configMapSource('app-src', cm('dep-app')));
  await mgmt.create(
    profile('dep-app', {
      clusterSelector: { matchLabels: { type: 'services' } },
      dependsOn: ['dep-base'],
      policyRefs: [{ kind: 'ConfigMap', name: 'app-src', namespace: 'default' }],
    }),
  );
  // The prerequisite has no selector and its content does not exist yet.
  await mgmt.create(
    profile('dep-base', { policyRefs: [{ kind: 'ConfigMap', name: 'base-src', namespace: 'default' }] }),
  );
  const waiting = await until('dependent waits', async () => {
    const cs = await getOrUndefined(mgmt, {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterSummary',
      namespace: FLEET_NS,
      name: 'dep-app-sveltos-c3',
    });
    const d = (cs?.status as { dependencies?: string } | undefined)?.dependencies;
    return d ? d : undefined;
  });
  assert.match(waiting, /dep-base/);
  const fb = await until('prerequisite fails on the missing source', async () => {
    const f = await featureStatus(mgmt, 'dep-base-sveltos-c3');
    return f?.status === 'Failed' ? f : undefined;
  });
  assert.match(fb.failureMessage ?? '', /ConfigMap default\/base-src referenced by policyRefs not found/);
  const c3 = await fleet.client('c3');
  assert.equal(
    await getOrUndefined(c3, ref('dep-app')),
    undefined,
    'nothing deployed before the prerequisite',
  );
  await mgmt.create(configMapSource('base-src', cm('dep-base')));
  await until(
    'prerequisite then dependent deployed',
    async () => (await getOrUndefined(c3, ref('dep-base'))) && (await getOrUndefined(c3, ref('dep-app'))),
  );
  const base = await getOrUndefined(c3, ref('dep-base'));
  const app = await getOrUndefined(c3, ref('dep-app'));
  assert.ok(
    Number(base!.metadata!.resourceVersion) < Number(app!.metadata!.resourceVersion),
    'prerequisite first',
  );
  // The cluster stops matching: the dependent is withdrawn before its prerequisite.
  const deleted: string[] = [];
  const wac = new AbortController();
  const list = await c3.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo' });
  const watching = (async () => {
    for await (const ev of c3.watch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo' },
      { resourceVersion: list.resourceVersion, signal: wac.signal },
    )) {
      if (ev.type === 'DELETED') deleted.push(ev.object.metadata?.name ?? '');
      if (deleted.length === 2) return;
    }
  })();
  await fleet.setLabels('c3', { type: 'retired' });
  await watching;
  wac.abort();
  assert.deepEqual(deleted, ['dep-app', 'dep-base']);
});

test('dependsOn: a prerequisite follows a dependent created or retargeted after it', async () => {
  const { mgmt } = fleet;
  const summary = (name: string) =>
    getOrUndefined(mgmt, {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterSummary',
      namespace: FLEET_NS,
      name,
    });
  const on = (cluster: string) => [{ kind: 'SveltosCluster', namespace: FLEET_NS, name: cluster }];
  await mgmt.create(profile('late-base', {}));
  await until('prerequisite reconciled alone', async () => {
    const p = await getOrUndefined(mgmt, { ...CP, name: 'late-base' });
    return (
      (p?.status as { reconciliationSuspended?: boolean } | undefined)?.reconciliationSuspended === false
    );
  });
  await mgmt.create(profile('late-app', { clusterRefs: on('c1'), dependsOn: ['late-base'] }));
  await until('prerequisite follows the new dependent to c1', () => summary('late-base-sveltos-c1'));
  await mgmt.patch({ ...CP, name: 'late-app' }, { spec: { clusterRefs: on('c2') } }, 'merge');
  await until('prerequisite follows the dependent from c1 to c2', async () =>
    (await summary('late-base-sveltos-c2')) && !(await summary('late-base-sveltos-c1')) ? true : undefined,
  );
  await mgmt.delete({ ...CP, name: 'late-app' });
  await until('prerequisite withdrawn with its only dependent', async () =>
    !(await summary('late-base-sveltos-c2')) ? true : undefined,
  );
  await mgmt.delete({ ...CP, name: 'late-base' });
});

test('DryRun writes a ClusterReport and changes nothing', async () => {
  const { mgmt } = fleet;
  const c1 = await fleet.client('c1');
  await mgmt.create(configMapSource('dry-src', `${cm('dry-new')}---\n${cm('cont', 'demo', { v: '2' })}`));
  await mgmt.create(
    profile('dry', {
      clusterSelector: { matchLabels: { mode: 'a' } },
      syncMode: 'DryRun',
      policyRefs: [{ kind: 'ConfigMap', name: 'dry-src', namespace: 'default' }],
    }),
  );
  const report = await until('ClusterReport', async () => {
    const r = await getOrUndefined(mgmt, {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterReport',
      namespace: FLEET_NS,
      name: 'dry--sveltos--c1',
    });
    return (r?.status as { resourceReports?: unknown[] } | undefined)?.resourceReports ? r : undefined;
  });
  const rr = (
    report.status as { resourceReports: { resource: { name: string }; action: string; message?: string }[] }
  ).resourceReports;
  assert.deepEqual(
    rr.map((r) => [r.resource.name, r.action]),
    [
      ['dry-new', 'Create'],
      ['cont', 'Conflict'],
    ],
  );
  assert.match(rr[1]!.message ?? '', /already managed by ClusterProfile cont/);
  assert.equal(await getOrUndefined(c1, ref('dry-new')), undefined, 'DryRun creates nothing');
});

test('a paused profile freezes its clusters until the annotation goes', async () => {
  const { mgmt } = fleet;
  await mgmt.create(configMapSource('pause-src', cm('paused', 'demo', { v: '1' })));
  await mgmt.create(
    profile('pausable', {
      clusterSelector: { matchLabels: { mode: 'a' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'pause-src', namespace: 'default' }],
    }),
  );
  const c1 = await fleet.client('c1');
  await until('deployed', async () => dataOf(await getOrUndefined(c1, ref('paused'))).v === '1');
  await mgmt.patch(
    { ...CP, name: 'pausable' },
    { metadata: { annotations: { 'profile.projectsveltos.io/paused': 'true' } } },
    'merge',
  );
  await until('suspended in status', async () => {
    const p = await mgmt.get({ ...CP, name: 'pausable' });
    return (p.status as { reconciliationSuspended?: boolean } | undefined)?.reconciliationSuspended === true;
  });
  const src = await mgmt.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'pause-src',
  });
  await mgmt.update({ ...src, data: { 'content.yaml': cm('paused', 'demo', { v: '2' }) } });
  // A sibling profile on the same content change proves the change was seen.
  await mgmt.create(configMapSource('witness-src', cm('witness', 'demo', { v: '1' })));
  await mgmt.create(
    profile('witness', {
      clusterSelector: { matchLabels: { mode: 'a' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'witness-src', namespace: 'default' }],
    }),
  );
  await until('witness deployed', () => getOrUndefined(c1, ref('witness')));
  assert.equal(dataOf(await getOrUndefined(c1, ref('paused'))).v, '1', 'paused: not re-applied');
  await mgmt.patch(
    { ...CP, name: 'pausable' },
    { metadata: { annotations: { 'profile.projectsveltos.io/paused': null } } },
    'merge',
  );
  await until(
    'resumed and re-applied',
    async () => dataOf(await getOrUndefined(c1, ref('paused'))).v === '2',
  );
});

test('Continuous re-renders when templateResourceRefs data or the cluster labels change', async () => {
  const { mgmt } = fleet;
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c1-settings', namespace: FLEET_NS },
    data: { color: 'blue' },
  });
  const tpl = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered\n  namespace: demo\ndata:\n  color: "{{ (getResource "Settings").data.color }}"\n  tint: "{{ index .Cluster.metadata.labels "tint" | default "none" }}"\n`;
  await mgmt.create(configMapSource('rendered-src', tpl, { 'projectsveltos.io/template': 'ok' }));
  await mgmt.create(
    profile('rendered', {
      clusterSelector: { matchLabels: { type: 'app', mode: 'a' } },
      templateResourceRefs: [
        {
          identifier: 'Settings',
          resource: { apiVersion: 'v1', kind: 'ConfigMap', name: '{{ .Cluster.metadata.name }}-settings' },
        },
      ],
      policyRefs: [{ kind: 'ConfigMap', name: 'rendered-src', namespace: 'default' }],
    }),
  );
  const c1 = await fleet.client('c1');
  await until('rendered', async () => dataOf(await getOrUndefined(c1, ref('rendered'))).color === 'blue');
  const s = await mgmt.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: FLEET_NS, name: 'c1-settings' });
  await mgmt.update({ ...s, data: { color: 'green' } });
  await until(
    're-rendered on templateResourceRefs change',
    async () => dataOf(await getOrUndefined(c1, ref('rendered'))).color === 'green',
  );
  assert.equal(dataOf(await getOrUndefined(c1, ref('rendered'))).tint, 'none');
  await fleet.setLabels('c1', { type: 'app', mode: 'a', tint: 'red' });
  await until(
    're-rendered on a cluster label change',
    async () => dataOf(await getOrUndefined(c1, ref('rendered'))).tint === 'red',
  );
});

test('deploymentType Local applies into the management cluster and withdraws from there', async () => {
  const { mgmt } = fleet;
  const tpl = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local-{{ .Cluster.metadata.name }}\n  namespace: mgmt-side\ndata:\n  for: "{{ .Cluster.metadata.name }}"\n`;
  await mgmt.create(configMapSource('local-src', tpl, { 'projectsveltos.io/template': 'ok' }));
  await mgmt.create(
    profile('local', {
      clusterSelector: { matchLabels: { type: 'app' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'local-src', namespace: 'default', deploymentType: 'Local' }],
    }),
  );
  const LOCAL = (c: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'mgmt-side',
    name: `local-${c}`,
  });
  for (const c of ['c1', 'c2']) {
    const o = await until(`Local object for ${c}`, () => getOrUndefined(mgmt, LOCAL(c)));
    assert.equal(o.metadata?.annotations?.['projectsveltos.io/owner-name'], 'local');
    assert.equal(dataOf(o).for, c);
  }
  assert.equal(
    await getOrUndefined(await fleet.client('c1'), LOCAL('c1')),
    undefined,
    'not in the managed cluster',
  );
  await until(
    'Provisioned',
    async () => (await featureStatus(mgmt, 'local-sveltos-c1'))?.status === 'Provisioned',
  );
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
        Features: { resources: { name: string; deploymentType: string }[] }[];
      }[];
    }
  ).clusterProfileResources.find((e) => e.clusterProfileName === 'local');
  assert.deepEqual(
    entry?.Features[0]?.resources.map((r) => [r.name, r.deploymentType]),
    [['local-c1', 'Local']],
  );
  // One cluster's withdrawal leaves the other cluster's Local object alone.
  await fleet.setLabels('c2', { mode: 'b' });
  await until(
    'c2 Local object withdrawn',
    async () => (await getOrUndefined(mgmt, LOCAL('c2'))) === undefined,
  );
  await until(
    'c2 summary gone',
    async () =>
      (await getOrUndefined(mgmt, {
        apiVersion: 'config.projectsveltos.io/v1beta1',
        kind: 'ClusterSummary',
        namespace: FLEET_NS,
        name: 'local-sveltos-c2',
      })) === undefined,
  );
  assert.ok(await getOrUndefined(mgmt, LOCAL('c1')), 'c1 keeps its Local object');
  await mgmt.delete({ ...CP, name: 'local' });
  await until(
    'c1 Local object withdrawn',
    async () => (await getOrUndefined(mgmt, LOCAL('c1'))) === undefined,
  );
});
