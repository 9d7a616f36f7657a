// `flotilla controller` against a management cluster it does not host (here an embedded API
// server started by the test), and the deploy/ manifests checked by the server
// (`kubectl apply --dry-run=server`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { BIN, kubectl, kubectlJson, ROOT, requireBuild, until } from './cli-up-helpers.js';

let server: ApiServer;
let mgmt: string;
let proc: ReturnType<typeof spawn> | undefined;
let out = '';
let err = '';
let exited: Promise<number>;

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

before(async () => {
  requireBuild();
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', 'c1'] });
  mgmt = server.kubeconfigPath('mgmt');
  proc = spawn(
    process.execPath,
    [
      BIN,
      'controller',
      '--kubeconfig',
      mgmt,
      '--install-crds',
      '--leader-elect',
      '--metrics-port',
      '0',
      '--log-level',
      'warn',
    ],
    { cwd: ROOT },
  );
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (err += d));
  exited = new Promise((resolve) => proc?.on('close', (code) => resolve(code ?? -1)));
  await until(
    'flotilla controller to print ready',
    async () => {
      if (proc?.exitCode !== null) assert.fail(`flotilla controller exited ${proc?.exitCode}: ${err}`);
      return out.split('\n').includes('ready');
    },
    90_000,
  );
});

after(async () => {
  if (proc && proc.exitCode === null) {
    proc.kill('SIGTERM');
    await exited;
  }
  await server?.stop();
});

test('--install-crds installs the Sveltos CRDs; the management cluster registers itself', async () => {
  assert.match(err, /installed or upgraded 29 Sveltos CRDs/);
  const crds = await kubectlJson<{ items: { metadata: { name: string } }[] }>(mgmt, ['get', 'crds']);
  assert.equal(crds.items.filter((c) => c.metadata.name.endsWith('.projectsveltos.io')).length, 29);
  await until('mgmt/mgmt ready', async () => {
    const r = await kubectl(mgmt, [
      'get',
      'sveltoscluster',
      'mgmt',
      '-n',
      'mgmt',
      '-o',
      'jsonpath={.status.ready}',
    ]);
    return r.stdout === 'true';
  });
});

test('a cluster registered with kubectl becomes ready and gets its add-ons', async () => {
  const kc = Buffer.from(server.kubeconfig('c1')).toString('base64');
  const docs = `apiVersion: v1
kind: Namespace
metadata:
  name: fleet
---
apiVersion: v1
kind: Secret
metadata:
  name: c1-sveltos-kubeconfig
  namespace: fleet
data:
  kubeconfig: ${kc}
---
apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: c1
  namespace: fleet
  labels:
    env: prod
spec: {}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: src
  namespace: default
data:
  cm.yaml: |
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: from-controller
      namespace: default
    data:
      via: controller
---
apiVersion: config.projectsveltos.io/v1beta1
kind: ClusterProfile
metadata:
  name: prod
spec:
  clusterSelector:
    matchLabels:
      env: prod
  policyRefs:
  - kind: ConfigMap
    name: src
    namespace: default
`;
  const r = await kubectl(mgmt, ['apply', '-f', '-'], docs);
  assert.equal(r.code, 0, r.stderr);
  await until('ConfigMap deployed to c1', async () => {
    const cm = await kubectl(server.kubeconfigPath('c1'), [
      'get',
      'configmap',
      'from-controller',
      '-n',
      'default',
      '-o',
      'jsonpath={.data.via}',
    ]);
    return cm.stdout === 'controller';
  });
});

test('--leader-elect holds the Lease; --metrics-port serves metrics and probes', async () => {
  const lease = await kubectlJson<{ spec?: { holderIdentity?: string } }>(mgmt, [
    'get',
    'lease',
    'flotilla-controller',
    '-n',
    'projectsveltos',
  ]);
  assert.ok(lease.spec?.holderIdentity, 'a holder');
  const port = Number(/on port (\d+)/.exec(err)?.[1]);
  assert.ok(port > 0, err);
  const metrics = await get(port, '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /^# HELP /m);
  assert.match(metrics.body, /process_cpu_seconds_total/);
  assert.equal((await get(port, '/readyz')).status, 200);
  assert.equal((await get(port, '/healthz')).status, 200);
});

test('SIGTERM stops it cleanly and releases the Lease', async () => {
  proc?.kill('SIGTERM');
  assert.equal(await exited, 0, err);
  assert.match(err, /flotilla controller: stopped/);
  const lease = await kubectlJson<{ spec?: { holderIdentity?: string } }>(mgmt, [
    'get',
    'lease',
    'flotilla-controller',
    '-n',
    'projectsveltos',
  ]);
  assert.ok(!lease.spec?.holderIdentity, `released: ${JSON.stringify(lease.spec)}`);
});

test('deploy/manifests pass kubectl apply --dry-run=server', async () => {
  const dir = join(ROOT, 'deploy/manifests');
  assert.ok(readdirSync(dir).length >= 4);
  // Namespaced objects need their namespace to exist, even in a dry run.
  const ns = await kubectl(mgmt, ['apply', '-f', join(dir, '00-namespace.yaml')]);
  assert.equal(ns.code, 0, ns.stderr);
  const r = await kubectl(mgmt, ['apply', '--dry-run=server', '-f', dir]);
  assert.equal(r.code, 0, r.stderr);
  for (const what of [
    'namespace/projectsveltos',
    'serviceaccount/flotilla-controller',
    'clusterrole.rbac.authorization.k8s.io/flotilla-controller',
    'clusterrolebinding.rbac.authorization.k8s.io/flotilla-controller',
    'deployment.apps/flotilla-controller',
    'service/flotilla-controller-metrics',
  ])
    assert.match(r.stdout, new RegExp(`${what.replace(/\./g, '\\.')} \\S+ \\(server dry run\\)`), r.stdout);
  const none = await kubectl(mgmt, ['get', 'deployment', 'flotilla-controller', '-n', 'projectsveltos']);
  assert.notEqual(none.code, 0, 'a dry run creates nothing');
  // The server rejects a broken manifest: the check can fail.
  const bad = await kubectl(
    mgmt,
    ['apply', '--dry-run=server', '-f', '-'],
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: projectsveltos\nspec:\n  replicas: "two"\n',
  );
  assert.notEqual(bad.code, 0, bad.stdout);
});
