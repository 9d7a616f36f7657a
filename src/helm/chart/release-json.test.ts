import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureChartsDir } from '../testing/fixtures.js';
import { loadDir } from './load.js';
import { chartFromReleaseJson, chartToReleaseJson } from './release-json.js';

test('release.chart JSON: Go field order, base64 data, null lock/schema, round trip', async () => {
  const c = await loadDir(join(fixtureChartsDir(), 'with-crds'));
  const j = chartToReleaseJson(c);
  assert.deepEqual(Object.keys(j), ['metadata', 'lock', 'templates', 'values', 'schema', 'files']);
  assert.deepEqual(Object.keys(j.metadata as object), [
    'name',
    'version',
    'description',
    'apiVersion',
    'appVersion',
    'kubeVersion',
  ]);
  assert.equal(j.lock, null);
  assert.equal(typeof j.schema, 'string');
  const tpl = (j.templates as { name: string; data: string }[])[0]!;
  assert.equal(tpl.name, 'templates/crontab.yaml');
  assert.match(Buffer.from(tpl.data, 'base64').toString(), /^apiVersion: stable.example.com\/v1/);
  const back = chartFromReleaseJson(JSON.parse(JSON.stringify(j)));
  assert.deepEqual(back.metadata, c.metadata);
  assert.deepEqual(back.values, c.values);
  assert.deepEqual(back.schema, c.schema);
  assert.deepEqual(
    back.crds.map((f) => f.name),
    ['crds/crontabs.yaml'],
  );
  assert.deepEqual(back.templates, c.templates);
});

test('dependencies keep name and repository even when empty, and drop empty optional fields', async () => {
  const c = await loadDir(join(fixtureChartsDir(), 'umbrella'));
  const md = chartToReleaseJson(c).metadata as { dependencies: object[]; maintainers: object[] };
  assert.deepEqual(md.dependencies[1], {
    name: 'backend',
    version: '~0.2.0',
    repository: '',
    'import-values': [{ child: 'exports.connection', parent: 'apiConnection' }, 'data'],
    alias: 'api',
  });
  assert.deepEqual(md.maintainers, [{ name: 'flotilla', email: 'dev@flotilla.invalid' }]);
});
