// helmCharts beyond the seed: OCI registry, two profiles claiming one release, adopting a release
// installed outside flotilla (takeOwnership), DryRun reports, drift correction through the
// agent, and bad input (values template, missing version) leaving the deployed release alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAgent } from '../../src/agent/index.js';
import { installOrUpgrade } from '../../src/helm/action/index.js';
import { loadChart } from '../../src/helm/chart/index.js';
import {
  type ChartRepo,
  fixtureChart,
  type OciRegistry,
  startChartRepo,
  startOciRegistry,
} from '../../src/helm/testing/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { CP, type Fleet, FLEET_NS, getOrUndefined, startFleet, until } from './addon-harness.js';
import {
  CNPG_CHARTS,
  decodeReleaseSecret,
  helmProfile,
  helmStatus,
  releaseSecrets,
} from './addon-helm-helpers.js';

let fleet: Fleet;
let repo: ChartRepo;
let oci: OciRegistry;
const stopAgent = new AbortController();
let agentRun: Promise<void> | undefined;

before(async () => {
  repo = await startChartRepo({ charts: CNPG_CHARTS.map(fixtureChart) });
  oci = await startOciRegistry({ charts: CNPG_CHARTS.map(fixtureChart) });
  fleet = await startFleet(
    ['oci', 'conflict', 'adopt', 'dry', 'drift', 'bad', 'leave', 'values', 'auth', 'ns'],
    {
      conflictRetryMs: 200,
    },
  );
  for (const c of ['oci', 'conflict', 'adopt', 'dry', 'drift', 'bad', 'leave', 'values', 'auth', 'ns'])
    await fleet.register(c, { case: c });
  fleet.startControllers();
});

after(async () => {
  stopAgent.abort();
  await agentRun;
  await fleet?.close();
  await repo?.stop();
  await oci?.stop();
});

function chart(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    repositoryURL: repo.url,
    repositoryName: 'cloudnative-pg',
    chartName: 'cloudnative-pg/cloudnative-pg',
    chartVersion: '0.22.1',
    releaseName: 'cnpg',
    releaseNamespace: 'cnpg-system',
    ...over,
  };
}

function selecting(c: string, helmCharts: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  return { clusterSelector: { matchLabels: { case: c } }, helmCharts, ...extra };
}

async function history(cluster: string, name = 'cnpg', ns = 'cnpg-system'): Promise<string> {
  const s = await releaseSecrets(await fleet.client(cluster), ns, name);
  return s.map((x) => `${x.metadata?.labels?.version}:${x.metadata?.labels?.status}`).join(',');
}

async function updateProfile(name: string, edit: (spec: Record<string, unknown>) => void): Promise<void> {
  const cur = await fleet.mgmt.get<KubeObject & { spec: Record<string, unknown> }>({ ...CP, name });
  edit(cur.spec);
  await fleet.mgmt.update(cur);
}

test('OCI registry: the same chart installs from oci://', async () => {
  await fleet.mgmt.create(
    helmProfile(
      'oci-cnpg',
      selecting('oci', [
        chart({
          repositoryURL: oci.url,
          repositoryName: 'local-oci',
          chartName: 'cloudnative-pg',
          chartVersion: '>=0.22.0 <0.23.0',
          registryCredentialsConfig: { plainHTTP: oci.plainHTTP },
        }),
      ]),
    ),
  );
  await until('cnpg installed from OCI', async () => (await history('oci')) === '1:deployed');
  const rel = decodeReleaseSecret(
    (await releaseSecrets(await fleet.client('oci'), 'cnpg-system', 'cnpg'))[0]!,
  );
  assert.equal((rel.chart as { metadata: { version: string } }).metadata.version, '0.22.1');
  const st = await until('Helm Provisioned', async () => {
    const s = await helmStatus(fleet.mgmt, 'oci-cnpg-sveltos-oci');
    return s.feature?.status === 'Provisioned' && s;
  });
  assert.equal(st.releases[0]?.status, 'Managing');
});

test('two profiles claiming one release: the first manages, the other reports Conflict', async () => {
  await fleet.mgmt.create(helmProfile('first', selecting('conflict', [chart()])));
  await until('first installs', async () => (await history('conflict')) === '1:deployed');
  await fleet.mgmt.create(
    helmProfile('second', selecting('conflict', [chart({ values: 'replicaCount: 3' })])),
  );
  const st = await until('second reports Conflict', async () => {
    const s = await helmStatus(fleet.mgmt, 'second-sveltos-conflict');
    return s.releases[0]?.status === 'Conflict' && s;
  });
  assert.match(st.releases[0]!.conflictMessage ?? '', /ClusterProfile\/first/);
  assert.equal(st.feature?.status, 'Failed');
  assert.match(st.feature?.failureMessage ?? '', /managed by ClusterProfile\/first/);
  await until(
    'first Managing',
    async () => (await helmStatus(fleet.mgmt, 'first-sveltos-conflict')).releases[0]?.status === 'Managing',
  );
  assert.equal(await history('conflict'), '1:deployed', 'the loser never touches the release');

  // A strictly lower tier takes the release over: upgraded with its values, the other conflicts.
  await updateProfile('second', (spec) => {
    spec.tier = 50;
  });
  await until('second takes over', async () => (await history('conflict')) === '1:superseded,2:deployed');
  const taken = decodeReleaseSecret(
    (await releaseSecrets(await fleet.client('conflict'), 'cnpg-system', 'cnpg')).at(-1)!,
  );
  assert.deepEqual(taken.config, { replicaCount: 3 });
  await until('first now reports Conflict naming second', async () => {
    const s = await helmStatus(fleet.mgmt, 'first-sveltos-conflict');
    return (
      s.releases[0]?.status === 'Conflict' &&
      /ClusterProfile\/second/.test(s.releases[0].conflictMessage ?? '')
    );
  });
  await until('second Provisioned', async () => {
    const s = await helmStatus(fleet.mgmt, 'second-sveltos-conflict');
    return s.releases[0]?.status === 'Managing' && s.feature?.status === 'Provisioned';
  });

  // The manager goes away: its release is uninstalled, then the other profile installs its own.
  await fleet.mgmt.delete({ ...CP, name: 'second' });
  await until('first manages and installs again', async () => {
    const s = await helmStatus(fleet.mgmt, 'first-sveltos-conflict');
    return s.releases[0]?.status === 'Managing' && s.feature?.status === 'Provisioned';
  });
  assert.equal(await history('conflict'), '1:deployed', 'a fresh release after the uninstall');
  const rel = decodeReleaseSecret(
    (await releaseSecrets(await fleet.client('conflict'), 'cnpg-system', 'cnpg')).at(-1)!,
  );
  assert.deepEqual(rel.config ?? {}, {}, 'first has no values');
});

test('a release installed outside flotilla: Conflict without takeOwnership, adopted with it', async () => {
  const client = await fleet.client('adopt');
  const v1 = await loadChart('test/fixtures/charts/cloudnative-pg/0.22.1');
  await installOrUpgrade(
    { client },
    { releaseName: 'cnpg', namespace: 'cnpg-system', chart: v1, createNamespace: true },
  );
  await fleet.mgmt.create(helmProfile('adopter', selecting('adopt', [chart({ values: 'replicaCount: 2' })])));
  const st = await until('Conflict reported', async () => {
    const s = await helmStatus(fleet.mgmt, 'adopter-sveltos-adopt');
    return s.releases[0]?.status === 'Conflict' && s;
  });
  assert.match(st.releases[0]!.conflictMessage ?? '', /takeOwnership/);
  assert.equal(await history('adopt'), '1:deployed', 'never overwritten');

  await updateProfile('adopter', (spec) => {
    (spec.helmCharts as Record<string, unknown>[])[0]!.options = { installOptions: { takeOwnership: true } };
  });
  await until('adopted: upgraded to v2', async () => (await history('adopt')) === '1:superseded,2:deployed');
  const rel = decodeReleaseSecret((await releaseSecrets(client, 'cnpg-system', 'cnpg'))[1]!);
  assert.deepEqual(rel.config, { replicaCount: 2 });
  await until('adopter Managing', async () => {
    const s = await helmStatus(fleet.mgmt, 'adopter-sveltos-adopt');
    return s.releases[0]?.status === 'Managing' && s.feature?.status === 'Provisioned';
  });
});

test('DryRun: nothing installed; releaseReports with Install, then Upgrade with value changes', async () => {
  const reportOf = async () => {
    const r = await getOrUndefined(fleet.mgmt, {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterReport',
      namespace: FLEET_NS,
      name: 'dry-cnpg--sveltos--dry',
    });
    return (r?.status as { releaseReports?: Record<string, string>[] } | undefined)?.releaseReports;
  };
  await fleet.mgmt.create(helmProfile('dry-cnpg', selecting('dry', [chart()], { syncMode: 'DryRun' })));
  const r1 = await until(
    'Install reported',
    async () => (await reportOf())?.[0]?.action === 'Install' && reportOf(),
  );
  assert.deepEqual(
    (r1 || []).map((r) => [r.chartName, r.releaseNamespace, r.chartVersion, r.action]),
    [['cnpg', 'cnpg-system', '0.22.1', 'Install']],
  );
  assert.equal(await history('dry'), '', 'nothing installed in DryRun');

  // Deploy for real, then dry-run an upgrade.
  await updateProfile('dry-cnpg', (spec) => {
    spec.syncMode = 'Continuous';
  });
  await until('installed', async () => (await history('dry')) === '1:deployed');
  await updateProfile('dry-cnpg', (spec) => {
    spec.syncMode = 'DryRun';
    const h = (spec.helmCharts as Record<string, unknown>[])[0]!;
    h.chartVersion = '0.27.1';
    h.values = 'replicaCount: 4';
  });
  const r2 = await until('Upgrade reported', async () => {
    const r = await reportOf();
    return r?.[0]?.action === 'Upgrade' && r;
  });
  assert.equal(r2[0]!.chartVersion, '0.27.1');
  assert.match(r2[0]!.message ?? '', /replicaCount: added 4/);
  assert.equal(await history('dry'), '1:deployed', 'DryRun changed nothing');
});

test('drift on a chart resource is corrected (agent flags helmResourcesChanged)', async () => {
  const client = await fleet.client('drift');
  agentRun = createAgent({
    client,
    clusterName: 'drift',
    clusterNamespace: FLEET_NS,
    clusterType: 'Sveltos',
  }).start(stopAgent.signal);
  await fleet.mgmt.create(
    helmProfile('drift-cnpg', selecting('drift', [chart()], { syncMode: 'ContinuousWithDriftDetection' })),
  );
  const dep = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'cnpg-system',
    name: 'cnpg-cloudnative-pg',
  };
  await until('installed', async () => (await history('drift')) === '1:deployed');
  const rs = await until('ResourceSummary lists the chart resources', async () => {
    const o = await getOrUndefined(client, {
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'ResourceSummary',
      namespace: 'projectsveltos',
      name: 'drift-cnpg-sveltos-drift',
    });
    const cr = (
      o?.spec as { chartResources?: { releaseName: string; group: { kind: string }[] }[] } | undefined
    )?.chartResources;
    return cr?.[0]?.group.some((g) => g.kind === 'Deployment') && cr;
  });
  assert.equal(rs[0]!.releaseName, 'cnpg');
  // Wait for the agent's baseline of the Deployment before changing it.
  await until('agent baseline taken', async () => {
    const o = await client.get({
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'ResourceSummary',
      namespace: 'projectsveltos',
      name: 'drift-cnpg-sveltos-drift',
    });
    const h = (o.status as { helmResourceHashes?: { kind: string }[] } | undefined)?.helmResourceHashes ?? [];
    return h.some((x) => x.kind === 'Deployment');
  });
  const live = await client.get<KubeObject & { spec: { replicas?: number } }>(dep);
  await client.update({ ...live, spec: { ...live.spec, replicas: 7 } });
  await until('replicas restored by a re-applied release', async () => {
    const d = await client.get<KubeObject & { spec: { replicas?: number } }>(dep);
    return d.spec.replicas === 1;
  });
  await client.delete(dep);
  await until('deleted Deployment re-created', async () => (await getOrUndefined(client, dep)) !== undefined);
});

test('bad values template and missing chart version: Failed with a clear message, release untouched', async () => {
  await fleet.mgmt.create(helmProfile('bad-cnpg', selecting('bad', [chart()])));
  await until('installed', async () => (await history('bad')) === '1:deployed');
  await updateProfile('bad-cnpg', (spec) => {
    (spec.helmCharts as Record<string, unknown>[])[0]!.values =
      'replicaCount: 2\nregion: {{ .Cluster.metadata.labels.nope.deeper }}\n';
  });
  const st = await until('Failed on the values template', async () => {
    const s = await helmStatus(fleet.mgmt, 'bad-cnpg-sveltos-bad');
    return s.feature?.status === 'Failed' && s;
  });
  assert.match(st.feature?.failureMessage ?? '', /cloudnative-pg\/cloudnative-pg 0\.22\.1/);
  assert.match(st.feature?.failureMessage ?? '', /values/);
  assert.match(st.feature?.failureMessage ?? '', /:2:/, 'names the template line');
  assert.equal(await history('bad'), '1:deployed');

  await updateProfile('bad-cnpg', (spec) => {
    const h = (spec.helmCharts as Record<string, unknown>[])[0]!;
    h.values = 'replicaCount: 2';
    h.chartVersion = '9.9.9';
  });
  const st2 = await until('Failed on the missing version', async () => {
    const s = await helmStatus(fleet.mgmt, 'bad-cnpg-sveltos-bad');
    return s.feature?.status === 'Failed' && /9\.9\.9/.test(s.feature.failureMessage ?? '') && s;
  });
  assert.match(st2.feature?.failureMessage ?? '', /cloudnative-pg/);
  assert.equal(await history('bad'), '1:deployed', 'the previous release stays');
  const rows = await fleet.mgmt.get({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterConfiguration',
    namespace: FLEET_NS,
    name: 'sveltos--bad',
  });
  assert.match(JSON.stringify(rows.status), /"releaseName":"cnpg"/, 'still recorded as deployed');
});

test('stopMatchingBehavior LeavePolicies: the release stays when the cluster stops matching', async () => {
  await fleet.mgmt.create(
    helmProfile('leave-cnpg', selecting('leave', [chart()], { stopMatchingBehavior: 'LeavePolicies' })),
  );
  await until('installed', async () => (await history('leave')) === '1:deployed');
  await fleet.setLabels('leave', { case: 'elsewhere' });
  await until(
    'summary gone',
    async () =>
      (await getOrUndefined(fleet.mgmt, {
        apiVersion: 'config.projectsveltos.io/v1beta1',
        kind: 'ClusterSummary',
        namespace: FLEET_NS,
        name: 'leave-cnpg-sveltos-leave',
      })) === undefined,
  );
  assert.equal(await history('leave'), '1:deployed', 'release left in place');
});

test('valuesFrom: templated over plain over values; a ConfigMap change upgrades', async () => {
  const cm = (name: string, data: string, template: boolean) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: FLEET_NS,
      ...(template ? { annotations: { 'projectsveltos.io/template': 'ok' } } : {}),
    },
    data: { 'values.yaml': data },
  });
  await fleet.mgmt.create(
    cm('cnpg-templated', 'config:\n  data:\n    cluster: "{{ .Cluster.metadata.name }}"\n', true),
  );
  await fleet.mgmt.create(cm('cnpg-plain', 'replicaCount: 3\nconfig:\n  data:\n    cluster: plain\n', false));
  await fleet.mgmt.create(
    helmProfile(
      'values-cnpg',
      selecting('values', [
        chart({
          values: 'replicaCount: 1\nconfig:\n  data:\n    from: values\n',
          // Listed first, still applied last: templated valuesFrom win.
          valuesFrom: [
            { kind: 'ConfigMap', name: 'cnpg-templated' },
            { kind: 'ConfigMap', name: 'cnpg-plain' },
          ],
        }),
      ]),
    ),
  );
  await until('installed', async () => (await history('values')) === '1:deployed');
  const client = await fleet.client('values');
  const rel = decodeReleaseSecret((await releaseSecrets(client, 'cnpg-system', 'cnpg'))[0]!);
  assert.deepEqual(rel.config, { replicaCount: 3, config: { data: { from: 'values', cluster: 'values' } } });

  const cur = await fleet.mgmt.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: FLEET_NS,
    name: 'cnpg-plain',
  });
  await fleet.mgmt.update({ ...cur, data: { 'values.yaml': 'replicaCount: 5\n' } });
  await until(
    'ConfigMap change upgrades',
    async () => (await history('values')) === '1:superseded,2:deployed',
  );
  const rel2 = decodeReleaseSecret((await releaseSecrets(client, 'cnpg-system', 'cnpg'))[1]!);
  assert.deepEqual(rel2.config, { replicaCount: 5, config: { data: { from: 'values', cluster: 'values' } } });
});

test('registryCredentialsConfig: basic auth and CA from Secrets (HTTPS repository)', async () => {
  const secure = await startChartRepo({
    charts: [fixtureChart('cloudnative-pg/0.22.1')],
    auth: { username: 'flo', password: 's3cret' },
    tls: true,
  });
  try {
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    await fleet.mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'repo-creds', namespace: FLEET_NS },
      data: { username: b64('flo'), password: b64('s3cret') },
    });
    await fleet.mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'repo-ca', namespace: FLEET_NS },
      data: { 'ca.crt': b64(secure.caPem ?? '') },
    });
    await fleet.mgmt.create(
      helmProfile(
        'auth-cnpg',
        selecting('auth', [
          chart({
            repositoryURL: secure.url,
            registryCredentialsConfig: { credentials: { name: 'repo-creds' }, ca: { name: 'repo-ca' } },
          }),
        ]),
      ),
    );
    await until('installed through auth + CA', async () => (await history('auth')) === '1:deployed');
  } finally {
    await secure.stop();
  }
});

test('a namespaced Profile installs and, when deleted, uninstalls its release', async () => {
  const prof = {
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'Profile',
    metadata: { name: 'ns-cnpg', namespace: FLEET_NS },
    spec: selecting('ns', [chart({ releaseName: 'pg', releaseNamespace: 'db' })]),
  };
  await fleet.mgmt.create(prof);
  await until('installed by the Profile', async () => (await history('ns', 'pg', 'db')) === '1:deployed');
  const st = await until('Profile summary Provisioned', async () => {
    const s = await helmStatus(fleet.mgmt, 'p--ns-cnpg-sveltos-ns');
    return s.feature?.status === 'Provisioned' && s;
  });
  assert.equal(st.releases[0]?.status, 'Managing');
  await fleet.mgmt.delete({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'Profile',
    namespace: FLEET_NS,
    name: 'ns-cnpg',
  });
  await until('uninstalled with the Profile', async () => (await history('ns', 'pg', 'db')) === '');
});
