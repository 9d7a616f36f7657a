import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness(['fuzz']);
  await h.http(
    'POST',
    '/api/v1/namespaces/default/configmaps',
    JSON.stringify({ metadata: { name: 'target' }, data: { a: '1' } }),
    {
      'content-type': 'application/json',
    },
  );
});
after(async () => {
  await h.close();
});

const paths = fc.oneof(
  fc.constantFrom(
    '/api/v1/namespaces/default/configmaps',
    '/api/v1/namespaces/default/configmaps/target',
    '/api/v1/namespaces/default/configmaps/target/status',
    '/api/v1/namespaces/default/secrets',
    '/apis/apps/v1/namespaces/default/deployments',
    '/apis/apps/v1/namespaces/default/deployments/x/scale',
    '/api/v1/namespaces',
    '/api/v1/namespaces/default',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    '/api/v1/watch/namespaces/default/configmaps?timeoutSeconds=1',
    '/apis',
    '/api',
    '/openapi/v2',
  ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'api',
          'apis',
          'v1',
          'namespaces',
          'default',
          'configmaps',
          '..',
          '%ZZ',
          '',
          'status',
        ),
        fc.string(),
      ),
      { maxLength: 7 },
    )
    .map((segs) => `/${segs.map((s) => encodeURIComponent(s)).join('/')}`),
);

const validCm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'fuzzed', namespace: 'default' },
  data: { a: 'b' },
};

const bodies = fc.oneof(
  fc.json().map((s) => s),
  fc.jsonValue().map((v) =>
    JSON.stringify({
      ...validCm,
      ...(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { data: v }),
    }),
  ),
  fc.jsonValue().map((v) => JSON.stringify({ ...validCm, metadata: v })),
  fc.string().map((s) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":${s}`),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.constantFrom(
    '',
    'null',
    '[]',
    '"x"',
    '{',
    'a: [b',
    '--- !!binary x',
    '{"metadata":{"name":"Bad Name"}}',
  ),
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/yaml',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  ';;;',
);

const accepts = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json;as=Table;v=v1;g=meta.k8s.io',
    'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    'application/vnd.kubernetes.protobuf',
    '*/*',
  ),
  fc.string({ maxLength: 40 }),
);

/** Header values Node accepts on the wire (no control characters). */
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, '');

async function currentRv(): Promise<string> {
  const r = await h.http('GET', '/api/v1/namespaces/default/configmaps?limit=1');
  assert.equal(r.status, 200, 'the server still answers');
  return JSON.parse(r.body).metadata.resourceVersion;
}

test('random paths, methods, headers and bodies always get a Status and change nothing when they fail', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      paths,
      bodies,
      contentTypes,
      accepts,
      fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
      fc.option(
        fc.constantFrom(
          'fieldManager=fz',
          'dryRun=All',
          'fieldValidation=Strict',
          'dryRun=Bogus',
          'limit=-1',
          'continue=xyz',
          'force=true&fieldManager=fz',
        ),
        { nil: undefined },
      ),
      async (method, path, body, ct, accept, badToken, q) => {
        const before = await currentRv();
        const url = q ? `${path}${path.includes('?') ? '&' : '?'}${q}` : path;
        const headers = { 'content-type': ct, accept: headerSafe(accept) };
        const token = badToken === undefined ? undefined : headerSafe(badToken);
        const r = await h.http(method, url, method === 'GET' ? undefined : body, headers, token);
        assert.ok(r.status >= 200 && r.status < 600, `status ${r.status}`);
        if (r.status >= 400) {
          const s = JSON.parse(r.body);
          assert.equal(s.kind, 'Status', r.body);
          assert.equal(s.status, 'Failure');
          assert.equal(s.code, r.status);
          assert.equal(typeof s.message, 'string');
          assert.equal(await currentRv(), before, `failed ${method} ${url} changed state: ${r.body}`);
        }
      },
    ),
    { numRuns: 200 },
  );
  const version = await h.http('GET', '/version');
  assert.equal(version.status, 200, 'the server is still up');
});
