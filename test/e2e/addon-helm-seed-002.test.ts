// Seed 002 step 3: the deploy-cnpg ClusterProfile (indentation restored, repositoryURL pointed
// at a local chart repository serving the cloudnative-pg fixture charts) installs release cnpg in
// cnpg-system on every `type: services` cluster, upgrades on a chartVersion change, keeps
// maxHistory revisions, and uninstalls when a cluster leaves the selector.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { type ChartRepo, fixtureChart, startChartRepo } from '../../src/helm/testing/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { queryAddons } from '../../src/query/index.js';
import { CP, type Fleet, getOrUndefined, startFleet, until } from './addon-harness.js';
import { CNPG_CHARTS, decodeReleaseSecret, helmStatus, releaseSecrets } from './addon-helm-helpers.js';

let fleet: Fleet;
let repo: ChartRepo;

const SEED = `
apiVersion: config.projectsveltos.io/v1beta1
kind: ClusterProfile
metadata:
  name: deploy-cnpg
spec:
  clusterSelector:
    matchLabels:
      type: services
  syncMode: Continuous
  helmCharts:
  - repositoryURL: https://cloudnative-pg.github.io/charts
    repositoryName: cloudnative-pg
    chartName: cloudnative-pg/cloudnative-pg
    chartVersion: 0.22.1
    releaseName: cnpg
    releaseNamespace: cnpg-system
    helmChartAction: Install
`;

before(async () => {
  repo = await startChartRepo({ charts: CNPG_CHARTS.map(fixtureChart) });
  fleet = await startFleet(['svc-a', 'svc-b', 'work-a']);
  await fleet.register('svc-a', { type: 'services' });
  await fleet.register('svc-b', { type: 'services' });
  await fleet.register('work-a', { type: 'workload' });
  fleet.startControllers();
});

after(async () => {
  await fleet?.close();
  await repo?.stop();
});

async function deployment(cluster: string): Promise<KubeObject | undefined> {
  const c = await fleet.client(cluster);
  return getOrUndefined(c, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'cnpg-system',
    name: 'cnpg-cloudnative-pg',
  });
}

async function secretsOf(cluster: string): Promise<KubeObject[]> {
  return releaseSecrets(await fleet.client(cluster), 'cnpg-system', 'cnpg');
}

test('seed 002 step 3: deploy-cnpg installs, upgrades, keeps maxHistory, uninstalls', async () => {
  const profile = parse(SEED) as KubeObject & { spec: { helmCharts: Record<string, unknown>[] } };
  profile.spec.helmCharts[0]!.repositoryURL = repo.url;
  await fleet.mgmt.create(profile);

  for (const c of ['svc-a', 'svc-b']) {
    await until(`release cnpg v1 deployed on ${c}`, async () => {
      const s = await secretsOf(c);
      return s.length === 1 && s[0]!.metadata?.labels?.status === 'deployed';
    });
    assert.ok(await deployment(c), `Deployment of the chart on ${c}`);
  }
  const [secret] = await secretsOf('svc-a');
  assert.equal(secret!.metadata?.name, 'sh.helm.release.v1.cnpg.v1');
  assert.equal((secret as { type?: string }).type, 'helm.sh/release.v1');
  assert.deepEqual(
    [
      secret!.metadata?.labels?.owner,
      secret!.metadata?.labels?.name,
      secret!.metadata?.labels?.status,
      secret!.metadata?.labels?.version,
    ],
    ['helm', 'cnpg', 'deployed', '1'],
  );
  const rel = decodeReleaseSecret(secret!) as {
    name: string;
    namespace: string;
    version: number;
    info: { status: string; first_deployed: string; last_deployed: string };
    chart: { metadata: { name: string; version: string; appVersion?: string }; templates: unknown[] };
    manifest: string;
    config?: unknown;
  };
  assert.equal(rel.name, 'cnpg');
  assert.equal(rel.namespace, 'cnpg-system');
  assert.equal(rel.version, 1);
  assert.equal(rel.info.status, 'deployed');
  assert.match(rel.info.first_deployed, /^\d{4}-\d\d-\d\dT/);
  assert.equal(rel.chart.metadata.name, 'cloudnative-pg');
  assert.equal(rel.chart.metadata.version, '0.22.1');
  assert.ok(rel.chart.templates.length > 0);
  assert.match(rel.manifest, /# Source: cloudnative-pg\/templates\/deployment.yaml/);

  // Not on clusters outside the selector.
  assert.deepEqual(await secretsOf('work-a'), []);
  assert.equal(await deployment('work-a'), undefined);

  const st = await until('Helm feature Provisioned on svc-a', async () => {
    const x = await helmStatus(fleet.mgmt, 'deploy-cnpg-sveltos-svc-a');
    return x.feature?.status === 'Provisioned' && x;
  });
  assert.deepEqual(
    st.releases.map((r) => [r.releaseNamespace, r.releaseName, r.status]),
    [['cnpg-system', 'cnpg', 'Managing']],
  );

  // `show addons` rows list the helm chart.
  const rows = await until('show addons lists cnpg on both clusters', async () => {
    const r = (await queryAddons(fleet.mgmt)).filter((x) => x.resourceType === 'helm chart');
    return r.length === 2 && r;
  });
  assert.deepEqual(
    rows.map((r) => [r.cluster, r.namespace, r.name, r.version, r.profiles.join(',')]).sort(),
    [
      ['fleet/svc-a', 'cnpg-system', 'cnpg', '0.22.1', 'ClusterProfile/deploy-cnpg'],
      ['fleet/svc-b', 'cnpg-system', 'cnpg', '0.22.1', 'ClusterProfile/deploy-cnpg'],
    ],
  );
  assert.ok(rows.every((r) => /^\d{4}-\d\d-\d\dT/.test(r.time)));

  // chartVersion 0.27.1 upgrades: v2 deployed, v1 superseded.
  const cur = await fleet.mgmt.get<typeof profile>({ ...CP, name: 'deploy-cnpg' });
  cur.spec.helmCharts[0]!.chartVersion = '0.27.1';
  await fleet.mgmt.update(cur);
  for (const c of ['svc-a', 'svc-b']) {
    await until(`cnpg upgraded on ${c}`, async () => {
      const s = await secretsOf(c);
      return (
        s.map((x) => `${x.metadata?.labels?.version}:${x.metadata?.labels?.status}`).join(',') ===
        '1:superseded,2:deployed'
      );
    });
  }
  const v2 = decodeReleaseSecret((await secretsOf('svc-a'))[1]!) as typeof rel;
  assert.equal(v2.chart.metadata.version, '0.27.1');
  await until(
    'show addons reports 0.27.1',
    async () =>
      (await queryAddons(fleet.mgmt)).filter((x) => x.resourceType === 'helm chart' && x.version === '0.27.1')
        .length === 2,
  );

  // A values change upgrades again; history is kept to maxHistory (default 2, here 2).
  const cur2 = await fleet.mgmt.get<typeof profile>({ ...CP, name: 'deploy-cnpg' });
  cur2.spec.helmCharts[0]!.values = 'replicaCount: {{ len .Cluster.metadata.labels | add 1 }}\n';
  cur2.spec.helmCharts[0]!.options = { upgradeOptions: { maxHistory: 2 } };
  await fleet.mgmt.update(cur2);
  await until('cnpg v3 deployed with history kept to 2 on svc-a', async () => {
    const s = await secretsOf('svc-a');
    return (
      s.map((x) => `${x.metadata?.labels?.version}:${x.metadata?.labels?.status}`).join(',') ===
      '2:superseded,3:deployed'
    );
  });
  const v3 = decodeReleaseSecret((await secretsOf('svc-a'))[1]!) as typeof rel;
  assert.deepEqual(v3.config, { replicaCount: 2 });
  assert.equal(((await deployment('svc-a'))?.spec as { replicas?: number } | undefined)?.replicas, 2);

  // Relabelling svc-b out of the selector uninstalls: objects and release Secrets gone.
  await fleet.setLabels('svc-b', { type: 'workload' });
  await until('cnpg uninstalled from svc-b', async () => (await secretsOf('svc-b')).length === 0);
  await until('Deployment gone from svc-b', async () => (await deployment('svc-b')) === undefined);
  assert.ok(await deployment('svc-a'), 'svc-a keeps the release');
  await until('show addons lists only svc-a', async () => {
    const r = (await queryAddons(fleet.mgmt)).filter((x) => x.resourceType === 'helm chart');
    return r.length === 1 && r[0]!.cluster === 'fleet/svc-a';
  });
});
