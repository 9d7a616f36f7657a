import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness(['crd']);
});
after(async () => {
  await h.close();
});

const JSON_CT = { 'content-type': 'application/json' };
/** The repository's assets, found from here whether running from test/ (tsx) or dist/test/. */
function asset(rel: string): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const p = resolve(dir, 'assets', rel);
    if (existsSync(p)) return p;
  }
  throw new Error(`asset ${rel} not found above ${import.meta.dirname}`);
}
const CRDS = asset('sveltos/crds.yaml');

test('kubectl apply of the Sveltos CRDs registers all 29 and they become Established', async () => {
  const r = await h.kubectl(['apply', '-f', CRDS]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 29);
  const names = await h.kubectl(['get', 'crd', '-o', 'name']);
  assert.equal(names.stdout.trim().split('\n').length, 29);
  const w = await h.kubectl([
    'wait',
    '--for',
    'condition=established',
    '--timeout=10s',
    'crd/clusterprofiles.config.projectsveltos.io',
  ]);
  assert.equal(w.code, 0, w.stderr);
  const res = await h.kubectl(['api-resources', '--api-group=config.projectsveltos.io', '-o', 'name']);
  assert.match(res.stdout, /^clusterprofiles\.config\.projectsveltos\.io$/m);
});

test('custom resources are defaulted, validated and listed', async () => {
  const cp = `apiVersion: config.projectsveltos.io/v1beta1
kind: ClusterProfile
metadata:
  name: demo
spec:
  clusterSelector:
    matchLabels: {env: prod}
`;
  let r = await h.kubectl(['apply', '-f', '-'], cp);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'clusterprofile', 'demo', '-o', 'jsonpath={.spec.stopMatchingBehavior}']);
  assert.equal(r.stdout, 'WithdrawPolicies', 'schema default applied');
  const bad = await h.http(
    'POST',
    '/apis/config.projectsveltos.io/v1beta1/clusterprofiles',
    JSON.stringify({
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterProfile',
      metadata: { name: 'bad' },
      spec: { syncMode: 'Sometimes' },
    }),
    JSON_CT,
  );
  assert.equal(bad.status, 422, bad.body);
  assert.match(JSON.parse(bad.body).message, /^ClusterProfile.config.projectsveltos.io "bad" is invalid: /);
});

test('status subresource: main updates keep status, /status updates only status', async () => {
  const path = '/apis/config.projectsveltos.io/v1beta1/clusterprofiles/demo';
  const cur = JSON.parse((await h.http('GET', path)).body);
  const withStatus = {
    ...cur,
    status: {
      matchingClusters: [
        { kind: 'SveltosCluster', namespace: 'x', name: 'y', apiVersion: 'lib.projectsveltos.io/v1beta1' },
      ],
    },
  };
  const s = await h.http('PUT', `${path}/status`, JSON.stringify(withStatus), JSON_CT);
  assert.equal(s.status, 200, s.body);
  const afterStatus = JSON.parse(s.body);
  assert.equal(afterStatus.status.matchingClusters.length, 1);
  assert.equal(
    afterStatus.metadata.generation,
    cur.metadata.generation,
    'status writes do not bump generation',
  );
  const main = await h.http(
    'PUT',
    path,
    JSON.stringify({ ...afterStatus, status: {}, spec: { ...afterStatus.spec, tier: 50 } }),
    JSON_CT,
  );
  const afterMain = JSON.parse(main.body);
  assert.equal(afterMain.status.matchingClusters.length, 1, 'main update ignores status');
  assert.equal(afterMain.metadata.generation, cur.metadata.generation + 1);
});

test('a CRD that fails validation is rejected with 422', async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'wrongname.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'things', kind: 'Thing' },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
  const r = await h.http(
    'POST',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    JSON.stringify(crd),
    JSON_CT,
  );
  assert.equal(r.status, 422, r.body);
  assert.equal((await h.http('GET', '/apis/example.com/v1/things')).status, 404);
});

test('multi-version CRDs serve every version and deleting the CRD removes its objects', async () => {
  const schema = {
    openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', x_placeholder: true } } },
  };
  delete (schema.openAPIV3Schema.properties.spec as Record<string, unknown>).x_placeholder;
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gizmos.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Cluster',
      names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', shortNames: ['gz'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema,
          additionalPrinterColumns: [{ name: 'Color', type: 'string', jsonPath: '.spec.color' }],
        },
        { name: 'v1beta1', served: true, storage: false, schema },
      ],
    },
  };
  const c = await h.http(
    'POST',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    JSON.stringify(crd),
    JSON_CT,
  );
  assert.equal(c.status, 201, c.body);
  const g = await h.http(
    'POST',
    '/apis/example.com/v1beta1/gizmos',
    JSON.stringify({ apiVersion: 'example.com/v1beta1', kind: 'Gizmo', metadata: { name: 'g1' } }),
    JSON_CT,
  );
  assert.equal(g.status, 201, g.body);
  assert.equal(JSON.parse(g.body).apiVersion, 'example.com/v1beta1');
  const v1 = JSON.parse((await h.http('GET', '/apis/example.com/v1/gizmos/g1')).body);
  assert.equal(v1.apiVersion, 'example.com/v1');
  const table = await h.kubectl(['get', 'gizmos']);
  assert.match(table.stdout, /^NAME\s+COLOR$/m, `additionalPrinterColumns shape the table: ${table.stdout}`);
  const k = await h.kubectl(['get', 'gz', '-o', 'name']);
  assert.equal(k.stdout.trim(), 'gizmo.example.com/g1', k.stderr);
  const d = await h.kubectl(['delete', 'crd', 'gizmos.example.com']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal((await h.http('GET', '/apis/example.com/v1/gizmos/g1')).status, 404);
  assert.equal(
    (await h.http('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com'))
      .status,
    404,
  );
});

test('applying a kind whose CRD is not installed fails the way kube does', async () => {
  const r = await h.kubectl(
    ['apply', '-f', '-'],
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: x, namespace: default}\nspec: {url: "https://example.com"}\n',
  );
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no matches for kind "GitRepository" in version "source.toolkit.fluxcd.io\/v1"/);
});
