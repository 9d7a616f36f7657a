import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { packFiles } from '../chart/pack.js';
import { type ChartRepo, fixtureChart, startChartRepo } from '../testing/index.js';
import { ChartSources } from './chart-source.js';
import { ChartSourceError } from './errors.js';

const CNPG_OLD = fixtureChart('cloudnative-pg/0.22.1');
const CNPG_NEW = fixtureChart('cloudnative-pg/0.27.1');
const enc = new TextEncoder();
const tiny = (version: string) =>
  packFiles(
    [{ name: 'Chart.yaml', data: enc.encode(`apiVersion: v2\nname: tiny\nversion: ${version}\n`) }],
    'tiny',
  );

let tmp: string;
let plain: ChartRepo;
let secure: ChartRepo;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'flotilla-sources-'));
  plain = await startChartRepo({
    charts: [CNPG_OLD, CNPG_NEW, fixtureChart('hooks'), tiny('1.0.0'), tiny('1.1.0-rc.1'), tiny('0.9.0')],
  });
  secure = await startChartRepo({
    charts: [CNPG_OLD, CNPG_NEW],
    tls: true,
    auth: { username: 'admin', password: 's3cret' },
    absoluteUrls: true,
    basePath: '/helm/stable',
  });
});

after(async () => {
  await plain.stop();
  await secure.stop();
  await rm(tmp, { recursive: true, force: true });
});

test('fetches an exact version over HTTP (repositoryName/chart form), then serves it from the cache', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'c1'), indexTtlMs: 0 });
  const req = {
    repositoryURL: plain.url,
    repositoryName: 'cloudnative-pg',
    chartName: 'cloudnative-pg/cloudnative-pg',
    chartVersion: '0.22.1',
  };
  const first = await sources.fetch(req);
  assert.equal(first.chart.metadata.name, 'cloudnative-pg');
  assert.equal(first.version, '0.22.1');
  assert.equal(first.fromCache, false);
  assert.equal(first.digest, plain.charts.find((c) => c.metadata.version === '0.22.1')!.digest);
  assert.equal(first.chart.crds.length, 1);
  const downloads = () => plain.requests.filter((r) => r.endsWith('.tgz')).length;
  const before = downloads();
  const second = await sources.fetch(req);
  assert.equal(second.fromCache, true);
  assert.equal(second.digest, first.digest);
  assert.equal(downloads(), before);
  // A new ChartSources on the same directory reuses the cache too.
  const third = await new ChartSources({ cacheDir: join(tmp, 'c1') }).fetch(req);
  assert.equal(third.fromCache, true);
});

test('version ranges resolve as Helm does: highest match, exact string first, prereleases only when asked', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'c2') });
  const v = async (chartVersion: string, chartName = 'tiny') =>
    (await sources.resolve({ repositoryURL: plain.url, chartName, chartVersion })).version;
  assert.equal(await v(''), '1.0.0');
  assert.equal(await v('*'), '1.0.0');
  assert.equal(await v('>=1.1.0-0'), '1.1.0-rc.1');
  assert.equal(await v('~0.9'), '0.9.0');
  assert.equal(await v('<1.0.0'), '0.9.0');
  assert.equal(await v('1.1.0-rc.1'), '1.1.0-rc.1');
  assert.equal(await v('^0.22.0', 'cloudnative-pg'), '0.22.1');
  assert.equal(await v('>=0.22.0', 'cloudnative-pg'), '0.27.1');
});

test('HTTPS with basic auth, a CA bundle and absolute URLs', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'c3') });
  const req = { repositoryURL: secure.url, chartName: 'cloudnative-pg', chartVersion: '0.27.1' };
  const got = await sources.fetch(req, { username: 'admin', password: 's3cret', caPem: secure.caPem });
  assert.equal(got.version, '0.27.1');
  assert.match(got.url, /^https:\/\/127\.0\.0\.1:\d+\/helm\/stable\/cloudnative-pg-0\.27\.1\.tgz$/);
  assert.equal(got.chart.crds.length, 2);

  const insecure = await new ChartSources({ cacheDir: join(tmp, 'c3b') }).fetch(req, {
    username: 'admin',
    password: 's3cret',
    insecureSkipTLSVerify: true,
  });
  assert.equal(insecure.digest, got.digest);

  const dockerCfg = JSON.stringify({
    auths: { [new URL(secure.url).host]: { auth: Buffer.from('admin:s3cret').toString('base64') } },
  });
  const viaDocker = await new ChartSources({ cacheDir: join(tmp, 'c3c') }).resolve(req, {
    dockerConfigJson: dockerCfg,
    caPem: secure.caPem,
  });
  assert.equal(viaDocker.version, '0.27.1');
});

test('errors name the chart, version and repository and say what to do', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'c4') });
  const kind = async (p: Promise<unknown>, k: string, re: RegExp) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof ChartSourceError, String(e));
      assert.equal(e.kind, k, e.message);
      assert.match(e.message, re);
      return true;
    });
  const req = { repositoryURL: secure.url, chartName: 'cloudnative-pg', chartVersion: '0.27.1' };
  await kind(
    sources.fetch(req),
    'tls',
    /cloudnative-pg.*0\.27\.1.*TLS verification failed.*insecureSkipTLSVerify/,
  );
  await kind(sources.fetch(req, { caPem: secure.caPem }), 'unauthorized', /401 Unauthorized.*credentials/);
  await kind(
    sources.fetch(req, { caPem: secure.caPem, username: 'admin', password: 'wrong' }),
    'unauthorized',
    new RegExp(secure.url.replaceAll('.', '\\.')),
  );
  await kind(
    sources.fetch({ repositoryURL: plain.url, chartName: 'nope', chartVersion: '1.0.0' }),
    'not-found',
    /chart "nope" not found in repository http:.*\(it has: cloudnative-pg, hooks, tiny\); check chartName/,
  );
  await kind(
    sources.fetch({ repositoryURL: plain.url, chartName: 'tiny', chartVersion: '>=5.0.0' }),
    'version-not-found',
    /no chart version found for tiny->=5.0.0 in repository http:.*available: 1.1.0-rc.1, 1.0.0, 0.9.0/,
  );
  await kind(
    sources.fetch({ repositoryURL: plain.url, chartName: 'tiny', chartVersion: 'latest!' }),
    'invalid-reference',
    /not a version or version range/,
  );
  await kind(
    sources.fetch({ repositoryURL: `${plain.url}/missing`, chartName: 'tiny', chartVersion: '1.0.0' }),
    'not-found',
    /404 Not Found; check repositoryURL/,
  );
  await kind(
    sources.fetch({ repositoryURL: 'ftp://example.com/charts', chartName: 'tiny', chartVersion: '1.0.0' }),
    'invalid-reference',
    /neither an http\(s\):\/\/ chart repository nor an oci:\/\/ registry/,
  );
  const stopped = await startChartRepo({ charts: [] });
  await stopped.stop();
  const e = await sources
    .fetch({ repositoryURL: stopped.url, chartName: 'tiny', chartVersion: '1.0.0' })
    .catch((x: unknown) => x);
  assert.ok(e instanceof ChartSourceError && e.kind === 'network' && e.retriable, String(e));
});

test('the index is reused within its TTL and refetched after it', async () => {
  const clock = new FakeClock(0);
  const sources = new ChartSources({ cacheDir: join(tmp, 'c5'), clock, indexTtlMs: 1000 });
  const indexHits = () => plain.requests.filter((r) => r.endsWith('/index.yaml')).length;
  const req = { repositoryURL: plain.url, chartName: 'tiny', chartVersion: '*' };
  const start = indexHits();
  await sources.resolve(req);
  await sources.resolve(req);
  assert.equal(indexHits(), start + 1);
  await plain.add(tiny('1.2.0'));
  assert.equal((await sources.resolve(req)).version, '1.0.0');
  clock.advance(1001);
  assert.equal((await sources.resolve(req)).version, '1.2.0');
  assert.equal(indexHits(), start + 2);
});

test('credentials go to chart URLs on other hosts only with passCredentialsAll', async () => {
  const auth = { username: 'u', password: 'p' };
  const files = await startChartRepo({ charts: [tiny('3.0.0')], auth });
  const index = await startChartRepo({
    charts: [tiny('3.0.0')],
    auth,
    chartBaseUrl: files.url.replace('127.0.0.1', 'localhost'),
  });
  try {
    const req = { repositoryURL: index.url, chartName: 'tiny', chartVersion: '3.0.0' };
    await assert.rejects(
      new ChartSources({ cacheDir: join(tmp, 'c6') }).fetch(req, auth),
      (e: unknown) =>
        e instanceof ChartSourceError && e.kind === 'unauthorized' && /localhost/.test(e.message),
    );
    const got = await new ChartSources({ cacheDir: join(tmp, 'c7') }).fetch(req, {
      ...auth,
      passCredentialsAll: true,
    });
    assert.equal(got.version, '3.0.0');
    assert.match(got.url, /^http:\/\/localhost:/);
  } finally {
    await files.stop();
    await index.stop();
  }
});
