import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { type ActionConfig, installOrUpgrade, uninstall } from '../../src/helm/action/index.js';
import { loadChart } from '../../src/helm/chart/index.js';
import { ReleaseStorage } from '../../src/helm/release/index.js';
import { isNotFound, KubeClient } from '../../src/kube/index.js';

let server: ApiServer;
let client: KubeClient;
let cfg: ActionConfig;

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['pg'] });
  client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('pg') }, { name: 'pg' });
  cfg = { client, owner: 'clustersummary/default/pg' };
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function exists(apiVersion: string, kind: string, namespace: string | undefined, name: string) {
  try {
    await client.get({ apiVersion, kind, namespace, name });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

test('cloudnative-pg: install 0.22.1 with CRDs into a new namespace, upgrade to 0.27.1, uninstall', async () => {
  const base = { releaseName: 'cnpg', namespace: 'cnpg-system', createNamespace: true, maxHistory: 2 };
  const v1 = await loadChart('test/fixtures/charts/cloudnative-pg/0.22.1');
  const r1 = await installOrUpgrade(cfg, { ...base, chart: v1 });
  assert.equal(r1.outcome, 'installed');
  assert.ok(
    await exists(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      undefined,
      'clusters.postgresql.cnpg.io',
    ),
  );
  assert.equal(
    await exists(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      undefined,
      'poolers.postgresql.cnpg.io',
    ),
    false,
  );
  const v2 = await loadChart('test/fixtures/charts/cloudnative-pg/0.27.1');
  const r2 = await installOrUpgrade(cfg, { ...base, chart: v2, runTests: true });
  assert.equal(r2.outcome, 'upgraded');
  assert.ok(
    r2.hooksRun.some((h) => h.includes('test')),
    `test hook run: ${r2.hooksRun.join(', ')}`,
  );
  // New CRDs of the new version are created; existing ones are left alone without upgradeCRDs.
  assert.ok(
    await exists(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      undefined,
      'poolers.postgresql.cnpg.io',
    ),
  );
  const storage = new ReleaseStorage(client, 'cnpg-system');
  const hist = await storage.history('cnpg');
  assert.deepEqual(
    hist.map((h) => [h.version, h.info.status, h.chart.metadata.version]),
    [
      [1, 'superseded', '0.22.1'],
      [2, 'deployed', '0.27.1'],
    ],
  );
  assert.equal((await installOrUpgrade(cfg, { ...base, chart: v2 })).outcome, 'unchanged');
  await uninstall(cfg, { releaseName: 'cnpg', namespace: 'cnpg-system' });
  assert.deepEqual(await storage.history('cnpg'), []);
  assert.ok(
    await exists(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      undefined,
      'clusters.postgresql.cnpg.io',
    ),
  );
});
