// Issue #5, the whole chain for an EventTrigger with helmCharts: a ConfigMap labelled
// `tenant-db: "true"` in the `env: production` cluster → the agent (agentless, in-process) writes
// the EventReport → the EventTrigger (oneForEvent) generates a ClusterProfile whose helmCharts
// entry is templated from the ConfigMap (release name, namespace, values) → the add-on
// controllers install the cloudnative-pg chart from a local repository in the `type: services`
// cluster; a data change upgrades the release; the ConfigMap deleted → after the empty-report
// grace the generated profile is withdrawn and the release uninstalled. A second trigger's
// kustomizationRefs `path` and `targetNamespace` are templated from the event the same way.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Agent } from '../../src/agent/index.js';
import { eventsModule, StaticEventSources } from '../../src/agent/events/index.js';
import { createEventControllers } from '../../src/controllers/event/module.js';
import { writeTarGz } from '../../src/helm/chart/index.js';
import { type ChartRepo, fixtureChart, startChartRepo } from '../../src/helm/testing/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { systemClock } from '../../src/lib/clock.js';
import { InformerFactory, silentLogger } from '../../src/runtime/index.js';
import { CP, type Fleet, getOrUndefined, startFleet, until } from './addon-harness.js';
import { CNPG_CHARTS, decodeReleaseSecret, releaseSecrets } from './addon-helm-helpers.js';

const TRIGGER_LABEL = 'eventtrigger.lib.projectsveltos.io/eventtriggername';
// Short: the deletion step waits for it to pass (polling, no clock assertion).
const GRACE_MS = 300;
const TENANT_NS = 'tenant-a';
const CM = 'orders';
const RELEASE = `pg-${CM}`;
const APP_CM = 'web';

/** A kustomize tree: one base ConfigMap, two overlays that only prefix its name. */
function kustomizeTree(): string {
  const files: Record<string, string> = {
    './base/kustomization.yaml': 'resources:\n- settings.yaml\n',
    './base/settings.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-settings\ndata:\n  mode: web\n',
  };
  for (const o of ['blue', 'green'])
    files[`./overlays/${o}/kustomization.yaml`] = `resources:\n- ../../base\nnamePrefix: ${o}-\n`;
  const entries = Object.entries(files).map(([name, text]) => ({
    name,
    data: new TextEncoder().encode(text),
  }));
  return Buffer.from(writeTarGz(entries)).toString('base64');
}

function eventSource(name: string, label: string): KubeObject {
  return {
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'EventSource',
    metadata: { name },
    spec: {
      collectResources: true,
      resourceSelectors: [
        {
          group: '',
          version: 'v1',
          kind: 'ConfigMap',
          labelFilters: [{ key: label, operation: 'Equal', value: 'true' }],
        },
      ],
    },
  };
}

function eventTrigger(name: string, eventSourceName: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'EventTrigger',
    metadata: { name },
    spec: {
      sourceClusterSelector: { matchLabels: { env: 'production' } },
      destinationClusterSelector: { matchLabels: { type: 'services' } },
      eventSourceName,
      oneForEvent: true,
      ...spec,
    },
  };
}

let fleet: Fleet;
let repo: ChartRepo;
const stop = new AbortController();
const runs: Promise<void>[] = [];

before(async () => {
  repo = await startChartRepo({ charts: CNPG_CHARTS.map(fixtureChart) });
  fleet = await startFleet(['prod', 'svc', 'work']);
  await fleet.register('prod', { env: 'production' });
  await fleet.register('svc', { type: 'services' });
  await fleet.register('work', { type: 'workload' });
  await fleet.mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'projectsveltos' } });
  await fleet.mgmt.create(eventSource('tenant-dbs', 'tenant-db'));
  await fleet.mgmt.create(
    eventTrigger('tenant-postgres', 'tenant-dbs', {
      helmCharts: [
        {
          repositoryURL: repo.url,
          repositoryName: 'cloudnative-pg',
          chartName: 'cloudnative-pg/cloudnative-pg',
          chartVersion: '0.22.1',
          releaseName: 'pg-{{ .Resource.metadata.name }}',
          releaseNamespace: '{{ .Resource.metadata.namespace }}',
          helmChartAction: 'Install',
          values: 'replicaCount: {{ .Resource.data.replicas }}\n',
        },
      ],
    }),
  );
  await fleet.mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'tenant-kustomize', namespace: 'default' },
    binaryData: { 'kustomize.tar.gz': kustomizeTree() },
  });
  await fleet.mgmt.create(eventSource('tenant-apps', 'tenant-app'));
  await fleet.mgmt.create(
    eventTrigger('tenant-app', 'tenant-apps', {
      kustomizationRefs: [
        {
          namespace: 'default',
          name: 'tenant-kustomize',
          kind: 'ConfigMap',
          path: './overlays/{{ .Resource.data.overlay }}/',
          targetNamespace: '{{ .Resource.metadata.namespace }}',
        },
      ],
    }),
  );

  fleet.startControllers();
  const sources = new StaticEventSources();
  const informers = new InformerFactory({ logger: silentLogger() });
  const components = createEventControllers(
    {
      options: { needLeaderElection: false },
      mgmt: fleet.mgmt,
      informers,
      logger: silentLogger(),
      clock: systemClock,
    },
    {
      emptyGraceMs: GRACE_MS,
      sink: (cluster, list) => {
        if (cluster.name === 'prod') sources.replaceAll(list);
      },
    },
  );
  const agent = new Agent({
    client: await fleet.client('prod'),
    clusterName: 'prod',
    clusterNamespace: 'fleet',
    clusterType: 'Sveltos',
    modules: [eventsModule({ management: fleet.mgmt, sources: () => sources })],
  });
  for (const r of [informers, ...components.map((c) => c.runnable), agent]) runs.push(r.start(stop.signal));
});

after(async () => {
  stop.abort();
  await Promise.allSettled(runs);
  await fleet?.close();
  await repo?.stop();
});

async function secretsOn(cluster: string): Promise<KubeObject[]> {
  return releaseSecrets(await fleet.client(cluster), TENANT_NS, RELEASE);
}

async function replicas(): Promise<number | undefined> {
  const d = await getOrUndefined(await fleet.client('svc'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: TENANT_NS,
    name: `${RELEASE}-cloudnative-pg`,
  });
  return (d as { spec?: { replicas?: number } } | undefined)?.spec?.replicas;
}

function generatedProfiles(trigger: string): Promise<KubeObject[]> {
  return fleet.mgmt.list(CP, { labelSelector: `${TRIGGER_LABEL}=${trigger}` }).then((l) => l.items);
}

/** The release's Secrets once the newest one is `sh.helm.release.v1.<release>.v<version>`, deployed. */
async function deployedAt(version: number): Promise<KubeObject[]> {
  return until(`release ${RELEASE} v${version} deployed in svc`, async () => {
    const s = await secretsOn('svc');
    const last = s.at(-1);
    return (
      s.length === version &&
      last?.metadata?.name === `sh.helm.release.v1.${RELEASE}.v${version}` &&
      last.metadata?.labels?.status === 'deployed' &&
      s
    );
  });
}

it('ConfigMap event → templated Helm release in the services cluster; data change upgrades; deletion uninstalls after the grace', async () => {
  const prod = await fleet.client('prod');
  await prod.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: TENANT_NS } });
  // A ConfigMap without the label is no event.
  await prod.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'unlabelled', namespace: TENANT_NS },
    data: { replicas: '5' },
  });
  await prod.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CM, namespace: TENANT_NS, labels: { 'tenant-db': 'true' } },
    data: { replicas: '2' },
  });

  // Install: v1 deployed, named and placed from the event, the value in the Deployment.
  const [v1] = await deployedAt(1);
  const rel = decodeReleaseSecret(v1!) as {
    name: string;
    namespace: string;
    version: number;
    info: { status: string };
    config?: Record<string, unknown>;
  };
  assert.deepEqual(
    [rel.name, rel.namespace, rel.version, rel.info.status],
    [RELEASE, TENANT_NS, 1, 'deployed'],
  );
  assert.deepEqual(rel.config, { replicaCount: 2 });
  assert.equal(await until('Deployment with 2 replicas', async () => (await replicas()) === 2 && 2), 2);
  const [profile] = await until('one generated ClusterProfile', async () => {
    const l = await generatedProfiles('tenant-postgres');
    return l.length === 1 && l;
  });
  const charts = (profile as { spec: { helmCharts: Record<string, unknown>[] } }).spec.helmCharts;
  assert.deepEqual(
    [charts[0]!.releaseName, charts[0]!.releaseNamespace, charts[0]!.values],
    [RELEASE, TENANT_NS, 'replicaCount: 2\n'],
  );
  // Only the labelled ConfigMap, only the services cluster.
  assert.deepEqual(
    (await releaseSecrets(await fleet.client('svc'), TENANT_NS, 'pg-unlabelled')).map(
      (s) => s.metadata?.name,
    ),
    [],
  );
  assert.deepEqual(
    (await releaseSecrets(await fleet.client('work'), TENANT_NS, RELEASE)).map((s) => s.metadata?.name),
    [],
  );

  // Upgrade: the ConfigMap's data changed → v2 deployed, v1 superseded, 3 replicas.
  const cur = await prod.get<KubeObject & { data: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: TENANT_NS,
    name: CM,
  });
  await prod.update({ ...cur, data: { replicas: '3' } });
  const [old, v2] = await deployedAt(2);
  assert.equal(old!.metadata?.labels?.status, 'superseded');
  assert.deepEqual((decodeReleaseSecret(v2!) as { config?: unknown }).config, { replicaCount: 3 });
  await until('Deployment with 3 replicas', async () => (await replicas()) === 3);

  // Deletion: the report empties → after the grace the profile is withdrawn, the release uninstalled.
  await prod.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: TENANT_NS, name: CM });
  await until(
    'generated ClusterProfile withdrawn',
    async () => (await generatedProfiles('tenant-postgres')).length === 0,
  );
  await until('release uninstalled from svc', async () => (await secretsOn('svc')).length === 0);
  await until('Deployment removed from svc', async () => (await replicas()) === undefined);
});

async function settings(prefix: string): Promise<KubeObject | undefined> {
  return getOrUndefined(await fleet.client('svc'), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: TENANT_NS,
    name: `${prefix}-app-settings`,
  });
}

it('kustomizationRefs path templated from the event: the overlay named by the ConfigMap, switched on change, withdrawn after the grace', async () => {
  const prod = await fleet.client('prod');
  if (!(await getOrUndefined(prod, { apiVersion: 'v1', kind: 'Namespace', name: TENANT_NS })))
    await prod.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: TENANT_NS } });
  await prod.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: APP_CM, namespace: TENANT_NS, labels: { 'tenant-app': 'true' } },
    data: { overlay: 'blue' },
  });

  const blue = await until('blue-app-settings in svc', () => settings('blue'));
  assert.equal(blue.metadata?.labels?.['projectsveltos.io/reason'], 'Kustomize');
  assert.equal(await settings('green'), undefined);
  const [profile] = await until('one generated ClusterProfile for tenant-app', async () => {
    const l = await generatedProfiles('tenant-app');
    return l.length === 1 && l;
  });
  const refs = (profile as { spec: { kustomizationRefs: Record<string, unknown>[] } }).spec.kustomizationRefs;
  assert.deepEqual([refs[0]!.path, refs[0]!.targetNamespace], ['./overlays/blue/', TENANT_NS]);
  assert.equal(
    await getOrUndefined(await fleet.client('work'), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: TENANT_NS,
      name: 'blue-app-settings',
    }),
    undefined,
  );

  const cur = await prod.get<KubeObject>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: TENANT_NS,
    name: APP_CM,
  });
  await prod.update({ ...cur, data: { overlay: 'green' } });
  await until('green-app-settings in svc', () => settings('green'));
  await until('blue-app-settings removed from svc', async () => (await settings('blue')) === undefined);

  await prod.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: TENANT_NS, name: APP_CM });
  await until(
    'tenant-app profile withdrawn',
    async () => (await generatedProfiles('tenant-app')).length === 0,
  );
  await until('green-app-settings removed from svc', async () => (await settings('green')) === undefined);
});
