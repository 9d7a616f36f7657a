import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { clusterCapabilities, install, rollback, uninstall, upgrade } from '../../src/helm/action/index.js';
import type { ActionConfig } from '../../src/helm/action/index.js';
import { loadChart } from '../../src/helm/chart/index.js';
import { ReleaseStorage, SECRET_TYPE } from '../../src/helm/release/index.js';
import { isNotFound, KubeClient, type KubeObject } from '../../src/kube/index.js';

const FIX = 'test/fixtures/charts';
let server: ApiServer;
let client: KubeClient;
let cfg: ActionConfig;
let clock = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['c1'] });
  client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('c1') }, { name: 'c1' });
  cfg = { client, now: () => clock++, owner: 'test' };
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function exists(kind: string, apiVersion: string, namespace: string | undefined, name: string) {
  try {
    await client.get({ apiVersion, kind, namespace, name });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

async function secret(
  ns: string,
  name: string,
): Promise<KubeObject & { type?: string; data?: Record<string, string> }> {
  return client.get({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name });
}

test('install writes Helm 3 release Secrets that decode to the documented JSON', async () => {
  const chart = await loadChart(`${FIX}/umbrella`);
  const res = await install(cfg, { releaseName: 'web', namespace: 'apps', chart, createNamespace: true });
  assert.equal(res.outcome, 'installed');
  assert.ok(await exists('ConfigMap', 'v1', 'apps', 'web-umbrella'));
  assert.ok(await exists('Deployment', 'apps/v1', 'apps', 'web-frontend'));
  const s = await secret('apps', 'sh.helm.release.v1.web.v1');
  assert.equal(s.type, SECRET_TYPE);
  const labels = s.metadata?.labels ?? {};
  assert.equal(labels.owner, 'helm');
  assert.equal(labels.name, 'web');
  assert.equal(labels.status, 'deployed');
  assert.equal(labels.version, '1');
  assert.match(labels.modifiedAt ?? labels.createdAt ?? '', /^\d+$/);
  const inner = Buffer.from(s.data?.release ?? '', 'base64').toString('utf8');
  const gz = Buffer.from(inner, 'base64');
  assert.deepEqual([...gz.subarray(0, 3)], [0x1f, 0x8b, 0x08]);
  const rel = JSON.parse(gunzipSync(gz).toString('utf8'));
  assert.deepEqual(Object.keys(rel), [
    'name',
    'info',
    'chart',
    'config',
    'manifest',
    'hooks',
    'version',
    'namespace',
  ]);
  assert.equal(rel.name, 'web');
  assert.equal(rel.namespace, 'apps');
  assert.equal(rel.version, 1);
  assert.equal(rel.info.status, 'deployed');
  assert.equal(rel.info.deleted, '0001-01-01T00:00:00Z');
  assert.match(rel.info.first_deployed, /^2026-01-02T03:04:05\.6\d*Z$/);
  assert.equal(rel.info.description, 'Install complete');
  assert.match(rel.info.notes, /installed as web/);
  assert.equal(rel.chart.metadata.name, 'umbrella');
  assert.ok(rel.chart.templates.some((t: { name: string }) => t.name === 'templates/configmap.yaml'));
  assert.equal(
    Buffer.from(
      rel.chart.templates.find((t: { name: string }) => t.name === 'templates/configmap.yaml').data,
      'base64',
    )
      .toString()
      .slice(0, 10),
    'apiVersion',
  );
  assert.deepEqual(rel.config, {});
  assert.match(rel.manifest, /^---\n# Source: umbrella\/templates\/configmap.yaml\n/);
  assert.equal(rel.chart.schema, null);
});

test('install refuses to overwrite objects it does not own, unless takeOwnership', async () => {
  await client.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'own-main', namespace: 'default' },
  });
  const chart = await loadChart(`${FIX}/hooks`);
  await assert.rejects(
    install(cfg, { releaseName: 'own', namespace: 'default', chart, disableHooks: true }),
    /not managed by this release.*ConfigMap default\/own-main.*takeOwnership/,
  );
  assert.equal(await new ReleaseStorage(client, 'default').last('own'), undefined);
  const res = await install(cfg, {
    releaseName: 'own',
    namespace: 'default',
    chart,
    disableHooks: true,
    takeOwnership: true,
  });
  assert.equal(res.outcome, 'installed');
  const cm = await client.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'own-main',
  });
  assert.equal(cm.metadata?.annotations?.['meta.helm.sh/release-name'], 'own');
});

test('a release installed by someone else is adopted only with takeOwnership', async () => {
  const chart = await loadChart(`${FIX}/hooks`);
  const other: ActionConfig = { ...cfg, owner: 'someone-else' };
  await assert.rejects(
    upgrade(other, { releaseName: 'own', namespace: 'default', chart, values: { message: 'x' } }),
    /not installed by someone-else/,
  );
  const res = await upgrade(other, {
    releaseName: 'own',
    namespace: 'default',
    chart,
    values: { message: 'x' },
    takeOwnership: true,
    disableHooks: true,
  });
  assert.equal(res.outcome, 'upgraded');
});

test('hooks run in weight order with delete policies; upgrade only on change; history; rollback; uninstall', async () => {
  const chart = await loadChart(`${FIX}/hooks`);
  const base = { releaseName: 'hk', namespace: 'default', chart };
  const r1 = await install(cfg, base);
  assert.deepEqual(r1.hooksRun, ['hk-pre-install-a', 'hk-pre-install-b', 'hk-migrate', 'hk-post-install']);
  // hook-succeeded deletes; before-hook-creation alone keeps the object.
  assert.equal(await exists('ConfigMap', 'v1', 'default', 'hk-pre-install-a'), false);
  assert.equal(await exists('ConfigMap', 'v1', 'default', 'hk-pre-install-b'), true);
  assert.equal(await exists('Job', 'batch/v1', 'default', 'hk-migrate'), false);
  assert.equal(r1.release?.hooks?.find((h) => h.name === 'hk-pre-install-a')?.last_run.phase, 'Succeeded');

  const same = await upgrade(cfg, base);
  assert.equal(same.outcome, 'unchanged');

  const dry = await upgrade(cfg, { ...base, values: { message: 'bye' }, dryRun: true });
  assert.equal(dry.outcome, 'dry-run');
  assert.deepEqual(dry.valueChanges, [{ path: 'message', change: 'added', to: 'bye' }]);
  assert.ok(dry.changes?.some((c) => c.action === 'update' && c.object === 'ConfigMap default/hk-main'));

  for (let i = 0; i < 4; i++) {
    // The fixture's pre-upgrade hook has only `hook-failed`: it stays after success, so (as
    // with Helm) a second upgrade running hooks fails on it; later upgrades skip hooks.
    const r = await upgrade(cfg, {
      ...base,
      values: { message: `m${i}` },
      maxHistory: 3,
      disableHooks: i > 0,
    });
    assert.equal(r.outcome, 'upgraded');
    if (i === 0) assert.deepEqual(r.hooksRun, ['hk-pre-upgrade', 'hk-migrate', 'hk-post-upgrade']);
  }
  const storage = new ReleaseStorage(client, 'default');
  const hist = await storage.history('hk');
  assert.deepEqual(
    hist.map((h) => [h.version, h.info.status]),
    [
      [3, 'superseded'],
      [4, 'superseded'],
      [5, 'deployed'],
    ],
  );
  const message = async () =>
    (
      await client.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'default',
        name: 'hk-main',
      })
    ).data?.message;
  assert.equal(await message(), 'm3');

  await assert.rejects(
    upgrade(cfg, { ...base, values: { message: 'boom' }, atomic: true }),
    /pre-upgrade hook .*already exists.*|rolled back to revision 5/,
  );
  assert.deepEqual(
    (await storage.history('hk')).map((h) => [h.version, h.info.status, h.info.description.split(':')[0]]),
    [
      [3, 'superseded', 'Upgrade complete'],
      [4, 'superseded', 'Upgrade complete'],
      [5, 'superseded', 'Upgrade complete'],
      [6, 'failed', 'Upgrade "hk" failed'],
      [7, 'deployed', 'Rollback to 5'],
    ],
  );
  assert.equal(await message(), 'm3');

  const rb = await rollback(cfg, { releaseName: 'hk', namespace: 'default', version: 4 });
  assert.equal(rb.outcome, 'rolled-back');
  assert.equal(rb.release?.version, 8);
  assert.equal(rb.release?.info.description, 'Rollback to 4');
  assert.equal(await message(), 'm2');
  assert.equal((await storage.deployed('hk'))?.version, 8);

  const un = await uninstall(cfg, { releaseName: 'hk', namespace: 'default', keepHistory: true });
  assert.equal(un.outcome, 'uninstalled');
  assert.deepEqual(un.hooksRun, ['hk-pre-delete', 'hk-post-delete']);
  assert.equal(await exists('ConfigMap', 'v1', 'default', 'hk-main'), false);
  assert.equal((await storage.last('hk'))?.info.status, 'uninstalled');
  await uninstall(cfg, { releaseName: 'hk', namespace: 'default' });
  assert.deepEqual(await storage.history('hk'), []);
});

test('objects dropped from the chart are deleted on upgrade; CRDs installed first and kept', async () => {
  const chart = await loadChart(`${FIX}/umbrella`);
  await install(cfg, { releaseName: 'u2', namespace: 'default', chart });
  assert.ok(await exists('Deployment', 'apps/v1', 'default', 'u2-frontend'));
  const r = await upgrade(cfg, {
    releaseName: 'u2',
    namespace: 'default',
    chart,
    values: { frontend: { enabled: false } },
  });
  assert.equal(r.outcome, 'upgraded');
  assert.equal(await exists('Deployment', 'apps/v1', 'default', 'u2-frontend'), false);

  const crdChart = await loadChart(`${FIX}/with-crds`);
  const c = await install(cfg, {
    releaseName: 'cr',
    namespace: 'default',
    chart: crdChart,
    values: { crontab: { name: 'n', schedule: '* * * * *' } },
  });
  assert.equal(c.outcome, 'installed');
  assert.ok(
    await exists(
      'CustomResourceDefinition',
      'apiextensions.k8s.io/v1',
      undefined,
      'crontabs.stable.example.com',
    ),
  );
  await uninstall(cfg, { releaseName: 'cr', namespace: 'default' });
  assert.ok(
    await exists(
      'CustomResourceDefinition',
      'apiextensions.k8s.io/v1',
      undefined,
      'crontabs.stable.example.com',
    ),
  );
});

test('capabilities come from the cluster discovery', async () => {
  const caps = await clusterCapabilities(client);
  assert.match(caps.kubeVersion.version, /^v1\.\d+/);
  assert.equal(caps.kubeVersion.major, '1');
  assert.ok(caps.apiVersions.includes('v1'));
  assert.ok(caps.apiVersions.includes('apps/v1'));
  assert.ok(caps.apiVersions.includes('apps/v1/Deployment'));
  assert.ok(caps.apiVersions.includes('v1/ConfigMap'));
});
