import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONFIG_API_VERSION, LIB_API_VERSION, type SveltosCluster } from '../../src/api/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { type Fleet, startCliFleet } from './cli-show-helpers.js';
import { getCluster } from './cluster-helpers.js';

let fleet: Fleet;
before(async () => {
  fleet = await startCliFleet();
});
after(async () => {
  await fleet?.stop();
});

test('register cluster creates the kubeconfig Secret and the labelled SveltosCluster', async () => {
  const r = await fleet.run([
    'register',
    'cluster',
    '--namespace',
    'fleet',
    '--cluster',
    'c1',
    '--kubeconfig',
    fleet.server.kubeconfigPath('c1'),
    '--labels',
    'env=prod,team=a',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /SveltosCluster fleet\/c1 registered/);
  const c = (await getCluster(fleet.mgmt, 'fleet', 'c1')) as SveltosCluster;
  assert.deepEqual(c.metadata?.labels, { env: 'prod', team: 'a' });
  const s = await fleet.mgmt.get<KubeObject & { data: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'fleet',
    name: 'c1-sveltos-kubeconfig',
  });
  assert.match(Buffer.from(s.data.kubeconfig, 'base64').toString(), /clusters\/c1/);
});

test('register/deregister: bad input exits 2 with what to do', async () => {
  const noCluster = await fleet.run(['register', 'cluster', '--namespace', 'fleet', '--kubeconfig', 'x']);
  assert.equal(noCluster.code, 2);
  assert.match(noCluster.stderr, /--cluster is required/);
  const both = await fleet.run(['register', 'cluster', '--namespace', 'fleet', '--cluster', 'c2']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /exactly one of --kubeconfig FILE or --fleet-cluster-context/);
  const badLabels = await fleet.run([
    'register',
    'cluster',
    '--namespace',
    'fleet',
    '--cluster',
    'c2',
    '--kubeconfig',
    'x',
    '--labels',
    'oops',
  ]);
  assert.equal(badLabels.code, 2);
  const missing = await fleet.run(['deregister', 'cluster', '--namespace', 'fleet', '--cluster', 'ghost']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /SveltosCluster fleet\/ghost is not registered/);
});

test('register --fleet-cluster-context, then deregister removes both objects', async () => {
  const r = await fleet.run([
    'register',
    'cluster',
    '--namespace',
    'fleet',
    '--cluster',
    'self',
    '--fleet-cluster-context',
    'mgmt',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(await getCluster(fleet.mgmt, 'fleet', 'self'));
  const d = await fleet.run(['deregister', 'cluster', '--namespace', 'fleet', '--cluster', 'self']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(await getCluster(fleet.mgmt, 'fleet', 'self'), undefined);
});

test('show addons: table from ClusterConfigurations, filters and -o json', async () => {
  await fleet.put({
    apiVersion: CONFIG_API_VERSION,
    kind: 'ClusterConfiguration',
    metadata: { name: 'sveltos--c1', namespace: 'fleet', labels: { 'projectsveltos.io/cluster-name': 'c1' } },
    status: {
      clusterProfileResources: [
        {
          clusterProfileName: 'kyverno',
          Features: [
            {
              featureID: 'Helm',
              charts: [
                {
                  repoURL: 'https://kyverno.github.io/kyverno',
                  releaseName: 'kyverno-latest',
                  namespace: 'kyverno',
                  chartVersion: '3.3.3',
                  lastAppliedTime: '2026-11-21T10:00:00Z',
                },
              ],
            },
            {
              featureID: 'Resources',
              resources: [
                {
                  group: '',
                  version: 'v1',
                  kind: 'Secret',
                  namespace: 'default',
                  name: 'creds',
                  lastAppliedTime: '2026-11-21T10:00:01Z',
                },
              ],
            },
          ],
        },
      ],
    },
  });
  const r = await fleet.run(['show', 'addons']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^\+-+\+/);
  assert.match(
    lines[1],
    /\|\s+CLUSTER\s+\|\s+RESOURCE TYPE\s+\|\s+NAMESPACE\s+\|\s+NAME\s+\|\s+VERSION\s+\|\s+TIME\s+\|\s+DEPLOYMENT TYPE\s+\|\s+PROFILES\s+\|/,
  );
  assert.match(
    r.stdout,
    /\| fleet\/c1 \| :Secret\s+\| default\s+\| creds\s+\| N\/A\s+\|.*\| Remote\s+\| ClusterProfile\/kyverno \|/,
  );
  assert.match(r.stdout, /\| fleet\/c1 \| helm chart\s+\| kyverno\s+\| kyverno-latest \| 3\.3\.3\s+\|/);
  const charts = await fleet.run(['show', 'addons', '--helm-charts', '-o', 'json']);
  assert.equal(charts.code, 0, charts.stderr);
  const rows = JSON.parse(charts.stdout) as { name: string; profiles: string[] }[];
  assert.deepEqual(
    rows.map((x) => x.name),
    ['kyverno-latest'],
  );
  const none = await fleet.run(['show', 'addons', '--profile', 'ClusterProfile/other', '-o', 'yaml']);
  assert.equal(none.stdout, '[]\n');
  const bad = await fleet.run(['show', 'addons', '--profile', 'kyverno']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is not kind\/name/);
});

test('show dryrun from ClusterReports (and --raw-diff)', async () => {
  await fleet.put({
    apiVersion: CONFIG_API_VERSION,
    kind: 'ClusterReport',
    metadata: {
      name: 'kyverno--sveltos--c1',
      namespace: 'fleet',
      labels: { 'projectsveltos.io/cluster-profile-name': 'kyverno' },
    },
    spec: { clusterNamespace: 'fleet', clusterName: 'c1' },
    status: {
      releaseReports: [
        {
          chartName: 'kyverno-latest',
          releaseNamespace: 'kyverno',
          chartVersion: '3.3.4',
          action: 'Upgrade',
        },
      ],
      resourceReports: [
        {
          resource: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'cfg' },
          action: 'Update',
          message: '--- a\n+++ b\n-x: 1\n+x: 2\n',
        },
      ],
    },
  });
  const r = await fleet.run(['show', 'dryrun', '--cluster', 'c1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /\|\s+CLUSTER\s+\|\s+RESOURCE TYPE\s+\|\s+NAMESPACE\s+\|\s+NAME\s+\|\s+ACTION\s+\|\s+MESSAGE\s+\|\s+PROFILE\s+\|/,
  );
  assert.match(r.stdout, /\| fleet\/c1 \| helm release\s+\| kyverno\s+\| kyverno-latest \| Upgrade\s+\|/);
  assert.match(
    r.stdout,
    /\| :ConfigMap\s+\| default\s+\| cfg\s+\| Update\s+\| use --raw-diff option to see diff \| ClusterProfile\/kyverno \|/,
  );
  const raw = await fleet.run(['show', 'dryrun', '--raw-diff']);
  assert.match(
    raw.stdout,
    /Profile: ClusterProfile\/kyverno Cluster: fleet\/c1\n--- a\n\+\+\+ b\n-x: 1\n\+x: 2\n/,
  );
});

test('show usage: profiles → matching clusters; ConfigMaps → clusters', async () => {
  await fleet.put({
    apiVersion: CONFIG_API_VERSION,
    kind: 'ClusterProfile',
    metadata: { name: 'kyverno' },
    spec: {
      clusterSelector: { matchLabels: { env: 'prod' } },
      policyRefs: [{ kind: 'ConfigMap', namespace: 'default', name: 'policies' }],
    },
    status: {
      matchingClusters: [
        { apiVersion: LIB_API_VERSION, kind: 'SveltosCluster', namespace: 'fleet', name: 'c1' },
      ],
    },
  });
  await fleet.put({
    apiVersion: CONFIG_API_VERSION,
    kind: 'ClusterSummary',
    metadata: {
      name: 'kyverno-sveltos-c1',
      namespace: 'fleet',
      labels: { 'projectsveltos.io/cluster-profile-name': 'kyverno' },
    },
    spec: {
      clusterNamespace: 'fleet',
      clusterName: 'c1',
      clusterType: 'Sveltos',
      clusterProfileSpec: { policyRefs: [{ kind: 'ConfigMap', namespace: 'default', name: 'policies' }] },
    },
    status: { featureSummaries: [{ featureID: 'Resources', status: 'Provisioned', hash: 'aGFzaA==' }] },
  });
  const r = await fleet.run(['show', 'usage']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /\|\s+RESOURCE KIND\s+\|\s+RESOURCE NAMESPACE\s+\|\s+RESOURCE NAME\s+\|\s+CLUSTERS\s+\|/,
  );
  assert.match(r.stdout, /\| ClusterProfile \|\s+\| kyverno\s+\| fleet\/c1 \|/);
  assert.match(r.stdout, /\| ConfigMap\s+\| default\s+\| policies\s+\| fleet\/c1 \|/);
  const bad = await fleet.run(['show', 'usage', '--kind', 'Pod']);
  assert.equal(bad.code, 2);
});

test('show resources from HealthCheckReports', async () => {
  await fleet.put({
    apiVersion: LIB_API_VERSION,
    kind: 'HealthCheckReport',
    metadata: { name: 'sveltos--deps--c1', namespace: 'fleet' },
    spec: {
      clusterNamespace: 'fleet',
      clusterName: 'c1',
      clusterType: 'Sveltos',
      healthCheckName: 'deps',
      resourceStatuses: [
        {
          objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'nginx' },
          healthStatus: 'Degraded',
          message: '0/2 replicas ready',
        },
      ],
    },
  });
  const r = await fleet.run(['show', 'resources', '--kind', 'Deployment']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /\| fleet\/c1 \| apps\/v1, Kind=Deployment \| web\s+\| nginx \| Degraded: 0\/2 replicas ready \|/,
  );
});

test('redeploy cluster clears the status of its ClusterSummaries', async () => {
  const r = await fleet.run(['redeploy', 'cluster', '--namespace', 'fleet', '--cluster', 'c1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ClusterSummary fleet\/kyverno-sveltos-c1 status cleared/);
  const s = await fleet.mgmt.get({
    apiVersion: CONFIG_API_VERSION,
    kind: 'ClusterSummary',
    namespace: 'fleet',
    name: 'kyverno-sveltos-c1',
  });
  assert.equal((s.status as { featureSummaries?: unknown } | undefined)?.featureSummaries, undefined);
  const bad = await fleet.run([
    'redeploy',
    'cluster',
    '--namespace',
    'fleet',
    '--cluster',
    'c1',
    '--cluster-type',
    'Foo',
  ]);
  assert.equal(bad.code, 2);
});

test('version prints client and server versions', async () => {
  const r = await fleet.run(['version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Client Version: \d+\.\d+\.\d+\nServer Version: v?\d+\.\d+/);
});
