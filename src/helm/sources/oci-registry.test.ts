import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { packFiles } from '../chart/pack.js';
import { fixtureChart, type OciRegistry, startOciRegistry } from '../testing/index.js';
import { ChartSources } from './chart-source.js';
import { ChartSourceError } from './errors.js';
import { parseChallenge, parseOciReference } from './oci-registry.js';

const enc = new TextEncoder();
const tiny = (version: string) =>
  packFiles(
    [{ name: 'Chart.yaml', data: enc.encode(`apiVersion: v2\nname: tiny\nversion: ${version}\n`) }],
    'tiny',
  );

let tmp: string;
let open: OciRegistry;
let token: OciRegistry;
let basic: OciRegistry;
const AUTH = { username: 'robot', password: 'pa55' };

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'flotilla-oci-'));
  open = await startOciRegistry({
    charts: [
      fixtureChart('cloudnative-pg/0.22.1'),
      fixtureChart('cloudnative-pg/0.27.1'),
      tiny('1.0.0+build.5'),
      tiny('2.0.0-beta.1'),
    ],
  });
  token = await startOciRegistry({
    charts: [fixtureChart('hooks')],
    auth: AUTH,
    tls: true,
    namespace: 'team/charts',
  });
  basic = await startOciRegistry({
    charts: [fixtureChart('with-crds')],
    auth: AUTH,
    authMode: 'basic',
    legacyMediaType: true,
  });
});

after(async () => {
  await open.stop();
  await token.stop();
  await basic.stop();
  await rm(tmp, { recursive: true, force: true });
});

test('parses OCI references and challenges', () => {
  assert.deepEqual(parseOciReference('oci://registry-1.docker.io/bitnamicharts/vault'), {
    host: 'registry-1.docker.io',
    repository: 'bitnamicharts/vault',
  });
  assert.deepEqual(parseOciReference('oci://localhost:5000/a/b:1.2.3'), {
    host: 'localhost:5000',
    repository: 'a/b',
    tag: '1.2.3',
  });
  assert.throws(() => parseOciReference('oci://host-only'), /not an OCI chart reference/);
  assert.throws(() => parseOciReference('oci://h/Upper/Case'), /repository path "Upper\/Case" is invalid/);
  assert.deepEqual(
    parseChallenge('Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull"'),
    {
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'reg', scope: 'repository:a/b:pull' },
    },
  );
});

test('pulls a chart over plain HTTP by exact version, then from the cache', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'o1') });
  const req = {
    repositoryURL: open.url,
    repositoryName: 'cnpg',
    chartName: 'cloudnative-pg',
    chartVersion: '0.27.1',
  };
  const got = await sources.fetch(req, { plainHTTP: true });
  assert.equal(got.chart.metadata.version, '0.27.1');
  assert.equal(got.url, `${open.url}/cloudnative-pg:0.27.1`);
  assert.equal(got.digest, open.charts.find((c) => c.metadata.version === '0.27.1')!.digest);
  assert.equal(got.fromCache, false);
  // An exact version needs no tag listing.
  assert.ok(!open.requests.some((r) => r.endsWith('/tags/list')));
  const blobs = () => open.requests.filter((r) => r.includes('/blobs/')).length;
  const n = blobs();
  const again = await sources.fetch(req, { plainHTTP: true });
  assert.equal(again.fromCache, true);
  assert.equal(blobs(), n);
});

test('ranges list tags; + in versions is _ in tags', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'o2') });
  const v = async (chartVersion: string, chartName = 'tiny') =>
    (await sources.resolve({ repositoryURL: open.url, chartName, chartVersion }, { plainHTTP: true }))
      .version;
  assert.equal(await v(''), '1.0.0+build.5');
  assert.equal(await v('>=2.0.0-0'), '2.0.0-beta.1');
  assert.equal(await v('~0.22', 'cloudnative-pg'), '0.22.1');
  assert.equal(await v('>0.1', 'cloudnative-pg'), '0.27.1');
  const got = await sources.fetch(
    { repositoryURL: open.url, chartName: 'tiny', chartVersion: '1.0.0+build.5' },
    { plainHTTP: true },
  );
  assert.equal(got.url, `${open.url}/tiny:1.0.0_build.5`);
  assert.equal(got.chart.metadata.version, '1.0.0+build.5');
});

test('token auth over HTTPS: Bearer challenge, token endpoint with basic credentials, CA bundle', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'o3') });
  const req = { repositoryURL: token.url, chartName: 'hooks', chartVersion: '0.3.0' };
  const got = await sources.fetch(req, { ...AUTH, caPem: token.caPem });
  assert.equal(got.chart.metadata.name, 'hooks');
  assert.ok(token.requests.includes('/token'));
  await assert.rejects(sources.fetch(req, { caPem: token.caPem }), (e: unknown) => {
    assert.ok(e instanceof ChartSourceError);
    assert.equal(e.kind, 'unauthorized');
    assert.match(
      e.message,
      /oci:.*\/team\/charts\/hooks:0\.3\.0.*401 Unauthorized.*registryCredentialsConfig/,
    );
    return true;
  });
  await assert.rejects(
    sources.fetch(req, { ...AUTH }),
    (e: unknown) => e instanceof ChartSourceError && e.kind === 'tls',
  );
  await assert.rejects(
    sources.fetch(req, { ...AUTH, plainHTTP: true }),
    (e: unknown) => e instanceof ChartSourceError && (e.kind === 'network' || e.kind === 'bad-response'),
  );
});

test('basic auth registries and the legacy layer media type', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'o4') });
  const req = { repositoryURL: basic.url, chartName: 'with-crds', chartVersion: '0.1.0' };
  const docker = JSON.stringify({
    auths: { [basic.host]: { username: AUTH.username, password: AUTH.password } },
  });
  const got = await sources.fetch(req, { dockerConfigJson: docker, plainHTTP: true });
  assert.equal(got.chart.crds.length, 1);
  await assert.rejects(
    sources.fetch(req, { plainHTTP: true }),
    /requires authentication; set registryCredentialsConfig.credentials/,
  );
});

test('missing charts and versions', async () => {
  const sources = new ChartSources({ cacheDir: join(tmp, 'o5') });
  await assert.rejects(
    sources.fetch(
      { repositoryURL: open.url, chartName: 'cloudnative-pg', chartVersion: '9.9.9' },
      { plainHTTP: true },
    ),
    (e: unknown) =>
      e instanceof ChartSourceError &&
      e.kind === 'not-found' &&
      /check that chart version 9.9.9 was pushed/.test(e.message),
  );
  await assert.rejects(
    sources.fetch(
      { repositoryURL: open.url, chartName: 'cloudnative-pg', chartVersion: '>=1.0.0' },
      { plainHTTP: true },
    ),
    (e: unknown) =>
      e instanceof ChartSourceError &&
      e.kind === 'version-not-found' &&
      /matching ">=1.0.0" \(available: 0.27.1, 0.22.1\)/.test(e.message),
  );
  await assert.rejects(
    sources.fetch({ repositoryURL: open.url, chartName: 'absent', chartVersion: '*' }, { plainHTTP: true }),
    (e: unknown) => e instanceof ChartSourceError && e.kind === 'not-found',
  );
});

test('a resolved OCI version is reused for indexTtlMs, then asked again', async () => {
  const clock = new FakeClock(0);
  const reg = await startOciRegistry({ charts: [tiny('1.0.0')] });
  try {
    const sources = new ChartSources({ cacheDir: join(tmp, 'o6'), clock, indexTtlMs: 500 });
    const req = { repositoryURL: reg.url, chartName: 'tiny', chartVersion: '>=1.0.0' };
    assert.equal((await sources.fetch(req, { plainHTTP: true })).version, '1.0.0');
    await reg.push(tiny('1.1.0'));
    const seen = reg.requests.length;
    const again = await sources.fetch(req, { plainHTTP: true });
    assert.equal(again.version, '1.0.0');
    assert.equal(again.fromCache, true);
    assert.equal(reg.requests.length, seen);
    clock.advance(501);
    assert.equal((await sources.fetch(req, { plainHTTP: true })).version, '1.1.0');
  } finally {
    await reg.stop();
  }
});
