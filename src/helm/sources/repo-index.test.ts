import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChartCache, digestHex } from './cache.js';
import { userPassFor } from './credentials.js';
import { indexUrl, parseRepoIndex, resolveChartUrl } from './repo-index.js';
import { selectVersion, sortVersionsDesc } from './version-select.js';

test('chart URLs resolve against the repository URL like Helm ResolveReferenceURL', () => {
  assert.equal(resolveChartUrl('https://h/charts', 'a-1.0.0.tgz'), 'https://h/charts/a-1.0.0.tgz');
  assert.equal(resolveChartUrl('https://h/charts/', 'a-1.0.0.tgz'), 'https://h/charts/a-1.0.0.tgz');
  assert.equal(resolveChartUrl('https://h/charts', 'https://cdn/x/a.tgz'), 'https://cdn/x/a.tgz');
  assert.equal(
    resolveChartUrl('https://h/charts?token=1', 'sub/a.tgz'),
    'https://h/charts/sub/a.tgz?token=1',
  );
  assert.equal(resolveChartUrl('https://h/charts', '/root/a.tgz'), 'https://h/root/a.tgz');
  assert.equal(indexUrl('https://h/charts/?x=1'), 'https://h/charts/index.yaml?x=1');
});

test('index.yaml: versions sorted highest first, invalid entries dropped, apiVersion required', () => {
  const idx = parseRepoIndex(
    `apiVersion: v1
entries:
  app:
  - {apiVersion: v2, name: app, version: 1.2.0, urls: [app-1.2.0.tgz]}
  - {apiVersion: v2, name: app, version: 1.10.0, urls: [app-1.10.0.tgz], digest: abc}
  - {apiVersion: v2, name: app, version: not-semver, urls: [x.tgz]}
  - {apiVersion: v2, name: app, version: 1.9.0-rc.1, appVersion: 1.10, urls: [y.tgz]}
`,
    'test',
  );
  assert.deepEqual(
    idx.entries.app!.map((v) => v.version),
    ['1.10.0', '1.9.0-rc.1', '1.2.0'],
  );
  assert.equal(idx.entries.app![1]!.appVersion, '1.1');
  assert.throws(() => parseRepoIndex('entries: {}\n', 'https://h/index.yaml'), /no API version specified/);
  assert.throws(() => parseRepoIndex('<html>', 'https://h/index.yaml'), /index.yaml is not a map/);
});

test('selectVersion: exact string beats the constraint, no match gives undefined', () => {
  const vs = sortVersionsDesc(['1.0.0', '2.0.0', '1.5.0', 'v1.6.0'], (v) => v);
  assert.deepEqual(vs, ['2.0.0', 'v1.6.0', '1.5.0', '1.0.0']);
  const id = (v: string) => v;
  assert.equal(selectVersion(vs, 'v1.6.0', id), 'v1.6.0');
  assert.equal(selectVersion(vs, '1.6.0', id), 'v1.6.0');
  assert.equal(selectVersion(vs, '<1.6', id), '1.5.0');
  assert.equal(selectVersion(vs, '>3', id), undefined);
  assert.throws(() => selectVersion(vs, 'what', id), /improper constraint/);
});

test('the cache stores by sha256, verifies on read and drops corrupt files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-cache-'));
  try {
    const cache = new ChartCache(dir);
    const data = new TextEncoder().encode('chart bytes');
    const hex = await cache.put(data);
    assert.equal(hex, createHash('sha256').update(data).digest('hex'));
    assert.deepEqual(await cache.get(`sha256:${hex}`), data);
    assert.equal(await cache.get('0'.repeat(64)), undefined);
    assert.equal(await cache.get('not-a-digest'), undefined);
    await writeFile(join(dir, 'sha256', hex.slice(0, 2), `${hex}.tgz`), 'tampered');
    assert.equal(await cache.get(hex), undefined);
    assert.deepEqual(await readdir(join(dir, 'sha256', hex.slice(0, 2))), []);
    assert.equal(digestHex(`sha256:${'A'.repeat(64)}`), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('credentials: explicit username wins, docker config by host (auth or username/password)', () => {
  assert.deepEqual(userPassFor({ username: 'u', password: 'p' }, 'h'), { username: 'u', password: 'p' });
  const cfg = JSON.stringify({
    auths: {
      'https://reg.example:5000/v1/': { auth: Buffer.from('a:b:c').toString('base64') },
      'other.example': { username: 'x', password: 'y' },
    },
  });
  assert.deepEqual(userPassFor({ dockerConfigJson: cfg }, 'reg.example:5000'), {
    username: 'a',
    password: 'b:c',
  });
  assert.deepEqual(userPassFor({ dockerConfigJson: cfg }, 'other.example'), { username: 'x', password: 'y' });
  assert.equal(userPassFor({ dockerConfigJson: cfg }, 'nope'), undefined);
  assert.equal(userPassFor(undefined, 'h'), undefined);
});
