import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness(['test', 'other']);
});
after(async () => {
  await h.close();
});

test('kubectl get namespaces lists the default namespaces', async () => {
  const r = await h.kubectl(['get', 'ns']);
  assert.equal(r.code, 0, r.stderr);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
    assert.match(r.stdout, new RegExp(`^${ns}\\s`, 'm'));
});

test('kubectl apply creates, leaves unchanged and configures a ConfigMap', async () => {
  const cm = (v: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
  namespace: default
  labels: {app: demo}
data:
  a: "${v}"
`;
  let r = await h.kubectl(['apply', '-f', '-'], cm('1'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /configmap\/demo created/);
  r = await h.kubectl(['apply', '-f', '-'], cm('1'));
  assert.match(r.stdout, /configmap\/demo unchanged/);
  r = await h.kubectl(['apply', '-f', '-'], cm('2'));
  assert.match(r.stdout, /configmap\/demo configured/);
  r = await h.kubectl(['get', 'cm', 'demo', '-o', 'jsonpath={.data.a}']);
  assert.equal(r.stdout, '2');
  r = await h.kubectl(['get', 'cm', '-l', 'app=demo', '-o', 'name']);
  assert.equal(r.stdout.trim(), 'configmap/demo');
  r = await h.kubectl(['delete', 'cm', 'demo']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'cm', 'demo']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /configmaps "demo" not found/);
});

test('requests without the admin token get a 401 Status', async () => {
  const r = await h.http('GET', '/api/v1/namespaces', undefined, {}, 'wrong');
  assert.equal(r.status, 401);
  assert.equal(JSON.parse(r.body).reason, 'Unauthorized');
  const none = await h.http('GET', '/api/v1/namespaces', undefined, {}, null);
  assert.equal(none.status, 401);
});

test('kubectl create namespace/configmap/secret/serviceaccount/deployment/job/cronjob (protobuf bodies)', async () => {
  let r = await h.kubectl(['create', 'namespace', 'made']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['create', 'configmap', 'cfg', '-n', 'made', '--from-literal=a=b']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'create',
    'secret',
    'generic',
    'sec',
    '-n',
    'made',
    '--from-literal=password=hunter2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['create', 'serviceaccount', 'robot', '-n', 'made']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'cm', 'cfg', '-n', 'made', '-o', 'json']);
  const cm = JSON.parse(r.stdout);
  assert.deepEqual(cm.data, { a: 'b' });
  assert.equal(cm.metadata.generateName, undefined);
  r = await h.kubectl(['get', 'secret', 'sec', '-n', 'made', '-o', 'jsonpath={.data.password}']);
  assert.equal(Buffer.from(r.stdout, 'base64').toString(), 'hunter2');
  r = await h.kubectl(['get', 'sa', 'robot', '-n', 'made', '-o', 'name']);
  assert.equal(r.stdout.trim(), 'serviceaccount/robot');
  r = await h.kubectl([
    'create',
    'deployment',
    'web0',
    '-n',
    'made',
    '--image=nginx:1.27',
    '--port=80',
    '--replicas=0',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'get',
    'deploy',
    'web0',
    '-n',
    'made',
    '-o',
    'jsonpath={.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}',
  ]);
  assert.equal(r.stdout, '0 web0 nginx:1.27 80');
  r = await h.kubectl(['create', 'job', 'once', '-n', 'made', '--image=busybox', '--', 'echo', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'get',
    'job',
    'once',
    '-n',
    'made',
    '-o',
    'jsonpath={.spec.template.spec.containers[0].command} {.spec.template.spec.restartPolicy}',
  ]);
  assert.equal(r.stdout, '["echo","hi"] Never');
  r = await h.kubectl([
    'create',
    'cronjob',
    'tick',
    '-n',
    'made',
    '--image=busybox',
    '--schedule=*/5 * * * *',
    '--',
    'date',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'cronjob', 'tick', '-n', 'made', '-o', 'jsonpath={.spec.schedule}']);
  assert.equal(r.stdout, '*/5 * * * *');
  r = await h.kubectl([
    'create',
    'role',
    'reader',
    '-n',
    'made',
    '--verb=get',
    '--verb=list',
    '--resource=pods',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'create',
    'rolebinding',
    'robot-reads',
    '-n',
    'made',
    '--role=reader',
    '--serviceaccount=made:robot',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'create',
    'clusterrolebinding',
    'robot-admin',
    '--clusterrole=cluster-admin',
    '--serviceaccount=made:robot',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'get',
    'role',
    'reader',
    '-n',
    'made',
    '-o',
    'jsonpath={.rules[0].verbs} {.rules[0].resources}',
  ]);
  assert.equal(r.stdout, '["get","list"] ["pods"]');
  r = await h.kubectl([
    'get',
    'clusterrolebinding',
    'robot-admin',
    '-o',
    'jsonpath={.roleRef.name} {.subjects[0].kind} {.subjects[0].namespace}/{.subjects[0].name}',
  ]);
  assert.equal(r.stdout, 'cluster-admin ServiceAccount made/robot');
  // Kinds without protobuf support (no kubectl create subcommand sends them) are refused clearly.
  const str = (field: number, text: string) => {
    const b = Buffer.from(text);
    return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
  };
  const typeMeta = Buffer.concat([str(1, 'apps/v1'), str(2, 'StatefulSet')]);
  const body = Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0]),
    Buffer.from([(1 << 3) | 2, typeMeta.length]),
    typeMeta,
  ]);
  const sts = await h.http('POST', '/apis/apps/v1/namespaces/made/statefulsets', body, {
    'content-type': 'application/vnd.kubernetes.protobuf',
  });
  assert.equal(sts.status, 415);
  assert.match(JSON.parse(sts.body).message, /not apps\/v1\/StatefulSet: send JSON or YAML instead/);
});

test('kubectl get -o yaml, patch (merge/json/strategic), label, annotate, scale, wait and get -w', async () => {
  const deploy = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.25"}]
`;
  let r = await h.kubectl(['apply', '-f', '-'], deploy);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'deploy', 'web', '-o', 'yaml']);
  assert.match(r.stdout, /^kind: Deployment$/m);
  assert.match(r.stdout, /^ {2}generation: 1$/m);
  r = await h.kubectl(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":2}}']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'patch',
    'deploy',
    'web',
    '--type=json',
    '-p',
    '[{"op":"replace","path":"/spec/replicas","value":3}]',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'patch',
    'deploy',
    'web',
    '-p',
    '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}',
  ]);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['scale', 'deploy', 'web', '--replicas=4']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['label', 'deploy', 'web', 'tier=front']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['annotate', 'deploy', 'web', 'note=hello']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'get',
    'deploy',
    'web',
    '-o',
    'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.tier} {.metadata.annotations.note} {.metadata.generation}',
  ]);
  assert.equal(r.stdout, '4 nginx:1.27 front hello 5');
  r = await h.kubectl(['get', 'deploy', 'web']);
  assert.match(r.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m, 'server-side Table columns');
  const watcher = h.kubectl(['get', 'cm', '-w', '--request-timeout=3s']);
  await new Promise((res) => setTimeout(res, 700));
  await h.kubectl(['create', 'configmap', 'watched-one']);
  const w = await watcher;
  assert.match(w.stdout, /^watched-one\s+0\s+/m);
  const waiter = h.kubectl(['wait', '--for=delete', 'cm/watched-one', '--timeout=10s']);
  await new Promise((res) => setTimeout(res, 300));
  await h.kubectl(['delete', 'cm', 'watched-one', '--wait=false']);
  const done = await waiter;
  assert.equal(done.code, 0, done.stderr);
});

test('kubectl apply --server-side: field ownership, conflicts and --force-conflicts', async () => {
  const cm = (v: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: owned, namespace: default}
data: {a: "${v}"}
`;
  let r = await h.kubectl(['apply', '--server-side', '-f', '-'], cm('1'));
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl([
    'get',
    'cm',
    'owned',
    '-o',
    'jsonpath={.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}',
  ]);
  assert.equal(r.stdout, 'kubectl Apply');
  r = await h.kubectl(['apply', '--server-side', '--field-manager=other', '-f', '-'], cm('2'));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /conflict with "kubectl"/);
  r = await h.kubectl(
    ['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'],
    cm('2'),
  );
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', 'cm', 'owned', '-o', 'jsonpath={.data.a}']);
  assert.equal(r.stdout, '2');
});

test('kubectl auth can-i and auth whoami answer for the admin token', async () => {
  let r = await h.kubectl(['auth', 'can-i', 'create', 'pods']);
  assert.equal(r.stdout.trim(), 'yes', r.stderr);
  r = await h.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  assert.equal(r.stdout, 'flotilla-admin', r.stderr);
});

test('every built-in kind of the catalogue applies, lists, re-applies and deletes with kubectl', async () => {
  const manifest = readFileSync(
    new URL('./testdata/apiserver-builtin-kinds.yaml', import.meta.url).pathname.replace(
      '/dist/test/',
      '/test/',
    ),
    'utf8',
  );
  const path = h.file('kinds.yaml', manifest);
  const kinds = [...manifest.matchAll(/^kind: (\w+)$/gm)].length;
  let r = await h.kubectl(['apply', '-f', path]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, kinds);
  r = await h.kubectl(['get', '-f', path, '-o', 'name']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, kinds);
  r = await h.kubectl(['get', 'all', '-n', 'default', '-o', 'name']);
  assert.match(r.stdout, /^pod\/p$/m);
  assert.match(r.stdout, /^cronjob.batch\/cj$/m);
  r = await h.kubectl(['get', 'pods', '--field-selector', 'spec.nodeName=n1', '-o', 'name']);
  assert.equal(r.stdout.trim(), 'pod/p');
  r = await h.kubectl(['delete', '-f', path, '--wait=true', '--timeout=20s']);
  assert.equal(r.code, 0, r.stderr);
  r = await h.kubectl(['get', '-f', path, '-o', 'name', '--ignore-not-found']);
  assert.equal(r.stdout.trim(), '');
});
