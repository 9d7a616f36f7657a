import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import type { ActionConfig } from '../../src/helm/action/index.js';
import { installOrUpgrade } from '../../src/helm/action/index.js';
import { loadChart } from '../../src/helm/chart/index.js';
import type { Chart } from '../../src/helm/chart/index.js';
import { ReleaseStorage } from '../../src/helm/release/index.js';
import { KubeClient } from '../../src/kube/index.js';

let server: ApiServer;
let client: KubeClient;
let cfg: ActionConfig;

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['f1'] });
  client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('f1') }, { name: 'f1' });
  cfg = { client, owner: 'test' };
});

after(async () => {
  client?.close();
  await server?.stop();
});

const chart: Chart = {
  metadata: { apiVersion: 'v2', name: 'named', version: '0.1.0' },
  templates: [
    {
      name: 'templates/cm.yaml',
      data: new TextEncoder().encode(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n',
      ),
    },
  ],
  values: { name: 'ok' },
  rawValues: '',
  files: [],
  crds: [],
  dependencies: [],
};

test('failed installs are retried over the failed release; history is reset after recoverAfterConsecutiveFailures', async () => {
  const o = { releaseName: 'rec', namespace: 'default', chart, recoverAfterConsecutiveFailures: 2 };
  const storage = new ReleaseStorage(client, 'default');
  const statuses = async () => (await storage.history('rec')).map((r) => [r.version, r.info.status]);
  await assert.rejects(
    installOrUpgrade(cfg, { ...o, values: { name: 'Bad_Name' } }),
    /applying ConfigMap default\/Bad_Name failed/,
  );
  assert.deepEqual(await statuses(), [[1, 'failed']]);
  await assert.rejects(installOrUpgrade(cfg, { ...o, values: { name: 'Bad_Name' } }));
  assert.deepEqual(await statuses(), [
    [1, 'failed'],
    [2, 'failed'],
  ]);
  // Third attempt: two consecutive failures reached, history is dropped and revision 1 reused.
  const dry = await installOrUpgrade(cfg, { ...o, dryRun: true });
  assert.equal(dry.outcome, 'dry-run');
  assert.deepEqual(dry.changes, [{ action: 'create', object: 'ConfigMap default/ok' }]);
  const res = await installOrUpgrade(cfg, o);
  assert.equal(res.outcome, 'installed');
  assert.deepEqual(await statuses(), [[1, 'deployed']]);
  const again = await installOrUpgrade(cfg, o);
  assert.equal(again.outcome, 'unchanged');
});

test('a release written by the helm CLI is read, and adopted only with takeOwnership', async () => {
  // The shape helm 3 writes (pkg/release JSON, Go time format with a zone offset).
  const rel = {
    name: 'ext',
    info: {
      first_deployed: '2025-06-01T10:00:00.123456789+02:00',
      last_deployed: '2025-06-01T10:00:00.123456789+02:00',
      deleted: '',
      description: 'Install complete',
      status: 'deployed',
      notes: 'hi',
    },
    chart: {
      metadata: { name: 'hooks', version: '0.1.0', apiVersion: 'v2' },
      lock: null,
      templates: [],
      values: { message: 'hello' },
      schema: null,
      files: [],
    },
    config: { message: 'from-helm' },
    manifest:
      '---\n# Source: hooks/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ext-main\ndata:\n  message: "from-helm"\n',
    hooks: [],
    version: 1,
    namespace: 'default',
  };
  const data = gzipSync(Buffer.from(JSON.stringify(rel))).toString('base64');
  await client.create({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: 'sh.helm.release.v1.ext.v1',
      namespace: 'default',
      labels: { owner: 'helm', name: 'ext', status: 'deployed', version: '1', createdAt: '1748764800' },
    },
    data: { release: Buffer.from(data).toString('base64') },
  });
  await client.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'ext-main',
      namespace: 'default',
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
      annotations: { 'meta.helm.sh/release-name': 'ext', 'meta.helm.sh/release-namespace': 'default' },
    },
    data: { message: 'from-helm' },
  });
  const storage = new ReleaseStorage(client, 'default');
  const deployed = await storage.deployed('ext');
  assert.equal(deployed?.version, 1);
  assert.equal(deployed?.chart.metadata.name, 'hooks');
  assert.deepEqual(deployed?.config, { message: 'from-helm' });

  const chart2 = await loadChart('test/fixtures/charts/hooks');
  const o = {
    releaseName: 'ext',
    namespace: 'default',
    chart: chart2,
    values: { message: 'flotilla' },
    disableHooks: true,
  };
  await assert.rejects(installOrUpgrade(cfg, o), /was not installed by test; set takeOwnership/);
  const res = await installOrUpgrade(cfg, { ...o, takeOwnership: true });
  assert.equal(res.outcome, 'upgraded');
  assert.deepEqual(
    (await storage.history('ext')).map((r) => [r.version, r.info.status]),
    [
      [1, 'superseded'],
      [2, 'deployed'],
    ],
  );
  const cm = await client.get<{ data?: Record<string, string> } & Record<string, unknown>>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'ext-main',
  });
  assert.equal(cm.data?.message, 'flotilla');
  // From now on the release is ours: no takeOwnership needed.
  assert.equal((await installOrUpgrade(cfg, { ...o, values: { message: 'again' } })).outcome, 'upgraded');
});
