import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChartLoadError, ChartValidationError } from './errors.js';
import { loadArchive, loadChart, loadDir, loadFiles } from './load.js';
import { packDir, packFiles } from './pack.js';
import { readTarGz } from './tar.js';
import { fixtureChartsDir } from '../testing/fixtures.js';
import { chartFullPath, chartPath, isLibrary, isRoot } from './types.js';

const FIXTURES = fixtureChartsDir();
const enc = new TextEncoder();
const dec = new TextDecoder();
const file = (name: string, text: string) => ({ name, data: enc.encode(text) });

test('loads the umbrella chart directory with subcharts, files and .helmignore', async () => {
  const c = await loadDir(join(FIXTURES, 'umbrella'));
  assert.equal(c.metadata.name, 'umbrella');
  assert.equal(c.metadata.apiVersion, 'v2');
  assert.equal(c.metadata.appVersion, '2.4.0');
  assert.equal(c.metadata.dependencies?.length, 5);
  const api = c.metadata.dependencies?.[1];
  assert.deepEqual(api, {
    name: 'backend',
    repository: '',
    version: '~0.2.0',
    alias: 'api',
    'import-values': [{ child: 'exports.connection', parent: 'apiConnection' }, 'data'],
  });
  assert.deepEqual(c.metadata.dependencies?.[0]?.tags, ['web']);
  assert.deepEqual(
    c.templates.map((t) => t.name),
    ['templates/NOTES.txt', 'templates/_helpers.tpl', 'templates/configmap.yaml'],
  );
  assert.deepEqual(
    c.files.map((f) => f.name),
    ['.helmignore', 'files/app.properties'],
  );
  assert.equal(c.values.greeting, 'hello');
  assert.deepEqual(c.values.frontend, { enabled: true, replicas: 2 });
  assert.match(c.rawValues, /^# Parent values/);
  assert.deepEqual(
    c.dependencies.map((d) => d.metadata.name),
    ['backend', 'common-lib', 'frontend', 'metrics'],
  );
  assert.ok(isRoot(c));
  const lib = c.dependencies.find((d) => d.metadata.name === 'common-lib')!;
  assert.ok(isLibrary(lib));
  assert.equal(lib.parent, c);
  assert.equal(chartFullPath(lib), 'umbrella/charts/common-lib');
  assert.equal(chartPath(lib), 'umbrella.common-lib');
  assert.equal(lib.dependencies.length, 0);
});

test('packs a directory deterministically and loads the archive back to the same chart', async () => {
  const dir = join(FIXTURES, 'umbrella');
  const p1 = await packDir(dir);
  const p2 = await packDir(dir);
  assert.equal(p1.fileName, 'umbrella-1.0.0.tgz');
  assert.equal(p1.digest, p2.digest);
  assert.match(p1.digest, /^[0-9a-f]{64}$/);
  const names = readTarGz(p1.data, 'x').map((e) => e.name);
  assert.equal(names[0], 'umbrella/Chart.yaml');
  assert.ok(!names.some((n) => n.endsWith('.bak') || n.includes('scratch/')), names.join(','));
  const fromDir = await loadDir(dir);
  const fromTgz = loadArchive(p1.data, 'umbrella-1.0.0.tgz');
  assert.deepEqual(fromTgz.metadata, fromDir.metadata);
  assert.deepEqual(fromTgz.values, fromDir.values);
  assert.deepEqual(
    fromTgz.templates.map((t) => [t.name, dec.decode(t.data)]),
    fromDir.templates.map((t) => [t.name, dec.decode(t.data)]),
  );
  assert.deepEqual(
    fromTgz.dependencies.map((d) => d.metadata.name),
    fromDir.dependencies.map((d) => d.metadata.name),
  );
});

test('loads packed .tgz subcharts from charts/ and skips charts/ entries starting with _ or .', async () => {
  const sub = packFiles([file('Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 1.2.3\n')], 'sub');
  const c = loadFiles(
    [
      file('Chart.yaml', 'apiVersion: v2\nname: top\nversion: 0.1.0\n'),
      { name: 'charts/sub-1.2.3.tgz', data: sub.data },
      file('charts/_ignored/Chart.yaml', 'garbage: ['),
      file('charts/.keep', ''),
    ],
    'top',
  );
  assert.deepEqual(
    c.dependencies.map((d) => `${d.metadata.name}@${d.metadata.version}`),
    ['sub@1.2.3'],
  );
  assert.equal(c.dependencies[0]?.parent, c);
  assert.throws(
    () =>
      loadFiles(
        [file('Chart.yaml', 'apiVersion: v2\nname: top\nversion: 0.1.0\n'), file('charts/README.md', 'x')],
        'top',
      ),
    /error unpacking README.md in top/,
  );
});

test('crds/ files are in files and in crds; values.schema.json is the schema; a .tgz path loads', async () => {
  const c = await loadChart(join(FIXTURES, 'with-crds'));
  assert.deepEqual(
    c.crds.map((f) => f.name),
    ['crds/crontabs.yaml'],
  );
  assert.ok(c.files.includes(c.crds[0]!));
  assert.ok(c.schema !== undefined);
  assert.equal(JSON.parse(dec.decode(c.schema)).required[0], 'crontab');
  assert.equal(c.metadata.kubeVersion, '>=1.20.0-0');
  const tmp = await mkdtemp(join(tmpdir(), 'flotilla-chart-'));
  try {
    const packed = await packDir(join(FIXTURES, 'with-crds'));
    const path = join(tmp, packed.fileName);
    await writeFile(path, packed.data);
    const again = await loadChart(path);
    assert.equal(again.metadata.name, 'with-crds');
    assert.equal(again.crds.length, 1);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('a Helm 2 chart: apiVersion defaults to v1, requirements.yaml/lock, YAML 1.1 booleans, numeric appVersion', async () => {
  const c = await loadDir(join(FIXTURES, 'legacy-v1'));
  assert.equal(c.metadata.apiVersion, 'v1');
  assert.equal(c.metadata.appVersion, '1.1');
  assert.deepEqual(c.metadata.dependencies, [
    { name: 'child', repository: '', version: '0.1.0', condition: 'child.enabled' },
  ]);
  assert.equal(c.lock?.digest.slice(0, 7), 'sha256:');
  assert.deepEqual(c.values, { child: { enabled: true } });
  assert.deepEqual(
    c.files.map((f) => f.name),
    ['requirements.lock', 'requirements.yaml'],
  );
  assert.equal(c.dependencies[0]?.metadata.name, 'child');
});

test('the two cloudnative-pg versions load with CRDs, schema and a test hook', async () => {
  const a = await loadDir(join(FIXTURES, 'cloudnative-pg', '0.22.1'));
  const b = await loadDir(join(FIXTURES, 'cloudnative-pg', '0.27.1'));
  assert.equal(a.metadata.name, 'cloudnative-pg');
  assert.equal(b.metadata.name, 'cloudnative-pg');
  assert.equal(a.metadata.version, '0.22.1');
  assert.equal(b.metadata.version, '0.27.1');
  assert.equal(a.crds.length, 1);
  assert.equal(b.crds.length, 2);
  assert.ok(b.templates.some((t) => t.name === 'templates/tests/test-connection.yaml'));
});

test('validation errors name the chart, the field and what to do', () => {
  const load = (chartYaml: string) => () => loadFiles([file('Chart.yaml', chartYaml)], '/charts/demo');
  assert.throws(load('apiVersion: v2\nname: demo\n'), (e: unknown) => {
    assert.ok(e instanceof ChartValidationError);
    assert.equal(e.chart, 'demo');
    assert.equal(e.field, 'chart.metadata.version');
    assert.match(
      e.message,
      /chart "demo" \(\/charts\/demo\/Chart.yaml\): chart.metadata.version is required; add a SemVer/,
    );
    return true;
  });
  assert.throws(
    load('apiVersion: v2\nname: demo\nversion: one\n'),
    /chart.metadata.version "one" is invalid/,
  );
  assert.throws(load('apiVersion: v2\nversion: 1.0.0\n'), /chart.metadata.name is required/);
  assert.throws(load('apiVersion: v2\nname: a/b\nversion: 1.0.0\n'), /chart.metadata.name "a\/b" is invalid/);
  assert.throws(
    load('apiVersion: v2\nname: demo\nversion: 1.0.0\ntype: app\n'),
    /type must be application or library/,
  );
  assert.throws(load('apiVersion: v2\nname: demo\nversion: 1.0.0\nkeywords: abc\n'), (e: unknown) => {
    assert.ok(e instanceof ChartValidationError);
    assert.equal(e.field, 'chart.metadata.keywords');
    return true;
  });
  assert.throws(
    load('apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n- name: x\n  alias: "a b"\n'),
    /alias of dependency "x" has disallowed characters/,
  );
  assert.throws(
    load('apiVersion: v2\nname: demo\nversion: 1.0.0\ndependencies:\n- name: x\n- name: y\n  alias: x\n'),
    /more than one dependency with name or alias "x"/,
  );
  assert.throws(
    load('apiVersion: v2\nname: [demo\n'),
    (e: unknown) => e instanceof ChartLoadError && /Chart.yaml/.test(e.message),
  );
  assert.throws(() => loadFiles([file('values.yaml', 'a: 1')], '/charts/none'), /Chart.yaml file is missing/);
  assert.throws(
    () =>
      loadFiles(
        [file('Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 1.0.0\n'), file('values.yaml', '- a\n')],
        'x',
      ),
    /values.yaml: the top level must be a map/,
  );
});

test('archive problems: not gzip, Chart.yaml outside a top directory, missing path', async () => {
  assert.throws(() => loadArchive(enc.encode('hello'), 'bad.tgz'), /bad.tgz: not a gzipped chart archive/);
  const { writeTarGz } = await import('./tar.js');
  const flat = writeTarGz([{ name: 'Chart.yaml', data: enc.encode('name: x') }]);
  assert.throws(() => loadArchive(flat, 'flat.tgz'), /Chart.yaml is not in a base directory/);
  await assert.rejects(loadChart('/nonexistent/chart'), /no such chart file or directory/);
  const big = writeTarGz([
    { name: 'x/Chart.yaml', data: enc.encode('apiVersion: v2\nname: x\nversion: 1.0.0\n') },
    { name: 'x/files/big.bin', data: new Uint8Array(5 * 1024 * 1024 + 1) },
  ]);
  assert.throws(
    () => loadArchive(big, 'big.tgz'),
    /big.tgz: decompressed chart file "files\/big.bin" is larger than the maximum file size/,
  );
});

test('.helmignore and the default templates/.?* rule apply when reading a directory', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'flotilla-chart-'));
  try {
    await mkdir(join(tmp, 'templates'));
    await mkdir(join(tmp, 'docs'));
    await writeFile(join(tmp, 'Chart.yaml'), 'apiVersion: v2\nname: ign\nversion: 0.0.1\n');
    await writeFile(join(tmp, '.helmignore'), 'docs/\n*.md\n');
    await writeFile(join(tmp, 'templates', '.hidden.yaml'), 'x');
    await writeFile(join(tmp, 'templates', 'a.yaml'), 'x');
    await writeFile(join(tmp, 'docs', 'x.txt'), 'x');
    await writeFile(join(tmp, 'README.md'), 'x');
    const c = await loadDir(tmp);
    assert.deepEqual(
      c.templates.map((t) => t.name),
      ['templates/a.yaml'],
    );
    assert.deepEqual(
      c.files.map((f) => f.name),
      ['.helmignore'],
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test('Chart.lock is read into lock; a v2 chart keeps requirements files out of files', () => {
  const c = loadFiles(
    [
      file(
        'Chart.yaml',
        'apiVersion: v2\nname: locked\nversion: 1.0.0\ndependencies:\n- name: a\n  version: ^1\n  repository: https://x\n',
      ),
      file(
        'Chart.lock',
        'dependencies:\n- name: a\n  repository: https://x\n  version: 1.4.2\ndigest: sha256:abc\ngenerated: "2025-02-03T04:05:06Z"\n',
      ),
    ],
    'locked',
  );
  assert.deepEqual(c.lock, {
    generated: '2025-02-03T04:05:06Z',
    digest: 'sha256:abc',
    dependencies: [{ name: 'a', repository: 'https://x', version: '1.4.2' }],
  });
  assert.deepEqual(c.files, []);
});

test('symlinks are followed, and a link loop is an error rather than a hang', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'flotilla-chart-'));
  try {
    await mkdir(join(tmp, 'c', 'templates'), { recursive: true });
    await mkdir(join(tmp, 'shared'));
    await writeFile(join(tmp, 'c', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.0.1\n');
    await writeFile(join(tmp, 'shared', 'cm.yaml'), 'kind: ConfigMap\n');
    await symlink(join(tmp, 'shared'), join(tmp, 'c', 'templates', 'linked'));
    const c = await loadDir(join(tmp, 'c'));
    assert.deepEqual(
      c.templates.map((t) => t.name),
      ['templates/linked/cm.yaml'],
    );
    await symlink(join(tmp, 'c'), join(tmp, 'c', 'loop'));
    await assert.rejects(loadDir(join(tmp, 'c')), /symbolic link loop/);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
