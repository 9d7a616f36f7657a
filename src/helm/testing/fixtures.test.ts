import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDir } from '../chart/load.js';
import { packDir } from '../chart/pack.js';
import { renderChart } from '../render/index.js';
import { FIXTURE_CHARTS, fixtureChart } from './fixtures.js';

const release = { name: 'rel', namespace: 'ns', isInstall: true, revision: 1 };

test('every fixture chart loads, packs and renders', async () => {
  for (const name of FIXTURE_CHARTS) {
    const chart = await loadDir(fixtureChart(name));
    const packed = await packDir(fixtureChart(name));
    assert.equal(packed.metadata.name, chart.metadata.name, name);
    const r = await renderChart(chart, { release });
    assert.ok(r.manifests.length > 0, `${name} renders resources`);
  }
});

test('umbrella: condition, tags and aliases select the subcharts; import-values reach the parent', async () => {
  const r = await renderChart(await loadDir(fixtureChart('umbrella')), { release });
  assert.match(r.manifest, /# Source: umbrella\/charts\/api\/templates\/service.yaml/);
  assert.match(r.manifest, /# Source: umbrella\/charts\/frontend\/templates\/deployment.yaml/);
  assert.doesNotMatch(r.manifest, /charts\/worker\/|charts\/metrics\//);
  assert.match(r.manifest, /apiHost: "backend.internal"/);
  assert.match(r.manifest, /apiData: "from-backend"/);
  assert.match(r.manifest, /image: "registry.example.com\/nginx"/);
  const on = await renderChart(await loadDir(fixtureChart('umbrella')), {
    release,
    values: { worker: { enabled: true }, tags: { monitoring: true } },
  });
  assert.match(on.manifest, /charts\/worker\/templates\/service.yaml/);
  assert.match(on.manifest, /charts\/metrics\/templates\/servicemonitor.yaml/);
});

test('hooks, CRDs and the two cloudnative-pg versions render what the scenarios rely on', async () => {
  const hooks = await renderChart(await loadDir(fixtureChart('hooks')), { release });
  assert.equal(hooks.hooks.length, 9);
  const crds = await renderChart(await loadDir(fixtureChart('with-crds')), { release });
  assert.equal(crds.crds.length, 1);
  assert.match(crds.manifest, /found: "false"/);
  const a = await renderChart(await loadDir(fixtureChart('cloudnative-pg/0.22.1')), {
    release: { ...release, name: 'cnpg', namespace: 'cnpg-system' },
  });
  const b = await renderChart(await loadDir(fixtureChart('cloudnative-pg/0.27.1')), {
    release: { ...release, name: 'cnpg', namespace: 'cnpg-system' },
  });
  assert.match(a.manifest, /name: cnpg-cloudnative-pg/);
  assert.match(a.manifest, /cloudnative-pg:1.24.1/);
  assert.match(b.manifest, /cloudnative-pg:1.27.1/);
  assert.deepEqual(
    b.crds.map((c) => c.name),
    [
      'cloudnative-pg/crds/clusters.postgresql.cnpg.io.yaml',
      'cloudnative-pg/crds/poolers.postgresql.cnpg.io.yaml',
    ],
  );
});
