// The embedded API server's OpenAPI and Table output, checked with the real kubectl (v1.32):
// `kubectl explain` reads /openapi/v3, client-side apply and validation use it, and `kubectl get`
// prints the server's Table columns.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness(['openapi']);
  // The Sveltos CRDs ship in assets/ (two levels up from test/e2e, three from dist/test/e2e).
  const crdsPath = ['../../assets/sveltos/crds.yaml', '../../../assets/sveltos/crds.yaml']
    .map((p) => new URL(p, import.meta.url))
    .find((u) => existsSync(u));
  assert.ok(crdsPath, 'assets/sveltos/crds.yaml not found');
  const crds = readFileSync(crdsPath, 'utf8');
  const r = await h.kubectl(['apply', '--server-side', '-f', '-'], crds);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await h.close();
});

const header = (out: string) =>
  out
    .split('\n')[0]
    .trim()
    .split(/\s{2,}/);

test('kubectl explain deployment.spec.template reads the v3 document', async () => {
  const r = await h.kubectl(['explain', 'deployment.spec.template']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^GROUP:\s+apps$/m);
  assert.match(r.stdout, /^KIND:\s+Deployment$/m);
  assert.match(r.stdout, /^FIELD: template <PodTemplateSpec>$/m);
  assert.match(r.stdout, /^ {2}spec\t<PodSpec>$/m);
});

test('kubectl explain clusterprofiles.spec --recursive walks the CRD schema', async () => {
  const r = await h.kubectl(['explain', 'clusterprofiles.spec', '--recursive']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^KIND:\s+ClusterProfile$/m);
  assert.match(r.stdout, /^VERSION:\s+v1beta1$/m);
  assert.match(r.stdout, /^ {2}clusterSelector\t<Object>$/m);
  assert.match(r.stdout, /^ {4}matchLabels\t<map\[string\]string>$/m);
  assert.match(r.stdout, /^ {6}operator\t<string> -required-$/m);
});

test('kubectl apply validates strictly through the server and prints kube columns', async () => {
  const deployment = (extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2${extra}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27}]
`;
  let r = await h.kubectl(['apply', '-f', '-'], deployment(''));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /deployment.apps\/web created/);
  r = await h.kubectl(['apply', '-f', '-'], deployment('\n  bogus: 1'));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown field/);
  r = await h.kubectl(['get', 'deployments']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(header(r.stdout), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  assert.match(r.stdout, /^web\s+0\/2\s+0\s+0\s+\d+s$/m);
  r = await h.kubectl(['get', 'deployments', '-o', 'wide']);
  assert.deepEqual(header(r.stdout), [
    'NAME',
    'READY',
    'UP-TO-DATE',
    'AVAILABLE',
    'AGE',
    'CONTAINERS',
    'IMAGES',
    'SELECTOR',
  ]);
  assert.match(r.stdout, /nginx\s+nginx:1\.27\s+app=web/);
});

test('kubectl get prints built-in printers and CRD printer columns', async () => {
  let r = await h.kubectl(
    ['apply', '-f', '-'],
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: default}\ndata: {a: "1", b: "2"}\n',
  );
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'configmaps', 'cfg']);
  assert.deepEqual(header(r.stdout), ['NAME', 'DATA', 'AGE']);
  assert.match(r.stdout, /^cfg\s+2\s+\d+s$/m);
  r = await h.kubectl(['get', 'namespaces']);
  assert.deepEqual(header(r.stdout), ['NAME', 'STATUS', 'AGE']);
  assert.match(r.stdout, /^default\s+Active\s+\d+s$/m);
  r = await h.kubectl(['get', 'crd', 'clusterprofiles.config.projectsveltos.io']);
  assert.deepEqual(header(r.stdout), ['NAME', 'CREATED AT']);
  assert.match(r.stdout, /^clusterprofiles\.config\.projectsveltos\.io\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);

  r = await h.kubectl(
    ['apply', '-f', '-'],
    `apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: c1
  namespace: default
  annotations: {sharding.projectsveltos.io/key: shard-a}
spec: {}
`,
  );
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'sveltosclusters']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(header(r.stdout), ['NAME', 'READY', 'VERSION', 'AGE', 'SHARD']);
  assert.match(r.stdout, /^c1\s+\d+s\s+shard-a$/m);
  r = await h.kubectl(['get', 'sveltosclusters', '-o', 'wide']);
  assert.deepEqual(header(r.stdout), ['NAME', 'READY', 'CONNECTIONSTATUS', 'VERSION', 'AGE', 'SHARD']);

  r = await h.kubectl(
    ['apply', '-f', '-'],
    'apiVersion: config.projectsveltos.io/v1beta1\nkind: ClusterProfile\nmetadata: {name: p1}\nspec: {clusterSelector: {matchLabels: {env: prod}}}\n',
  );
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'clusterprofiles']);
  assert.deepEqual(header(r.stdout), ['NAME', 'AGE']);
  assert.match(r.stdout, /^p1\s+\d+s$/m);
});
