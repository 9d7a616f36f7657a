import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;
before(async () => {
  h = await startHarness(['test']);
});
after(async () => {
  await h.close();
});

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await h.kubectl(args, stdin);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('kubectl explain reads the protobuf /openapi/v2', async () => {
  const out = await ok(['explain', '--output=plaintext-openapiv2', 'pods']);
  assert.match(out, /KIND:\s+Pod/);
  assert.match(out, /FIELDS:/);
});

test('client-side apply then --server-side apply migrates the managedFields', async () => {
  const cm = (v: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: migrate
  namespace: default
data:
  a: "${v}"
`;
  await ok(['apply', '-f', '-'], cm('1'));
  let mf = JSON.parse(await ok(['get', 'cm', 'migrate', '-o', 'json', '--show-managed-fields'])).metadata
    .managedFields;
  assert.deepEqual(
    mf.map((e: { manager: string }) => e.manager),
    ['kubectl-client-side-apply'],
  );
  await ok(['apply', '--server-side', '-f', '-'], cm('1'));
  mf = JSON.parse(await ok(['get', 'cm', 'migrate', '-o', 'json', '--show-managed-fields'])).metadata
    .managedFields;
  // kubectl keeps the last-applied annotation up to date under its own Apply manager.
  assert.deepEqual(
    mf.map((e: { manager: string; operation: string }) => `${e.manager}/${e.operation}`).sort(),
    ['kubectl-last-applied/Apply', 'kubectl/Apply'],
  );
});

test('an update that only clears managedFields with [{}] is stored', async () => {
  await ok(['create', 'configmap', 'clearmf', '--from-literal=a=b']);
  await ok(['patch', 'cm', 'clearmf', '--type=merge', '-p', '{"metadata":{"managedFields":[{}]}}']);
  const obj = JSON.parse(await ok(['get', 'cm', 'clearmf', '-o', 'json', '--show-managed-fields']));
  assert.equal(obj.metadata.managedFields, undefined);
});

test('a Service re-applied without clusterIP/nodePort keeps the allocated values', async () => {
  const svc = (port: number) => `apiVersion: v1
kind: Service
metadata:
  name: keepip
  namespace: default
spec:
  type: NodePort
  selector: {app: x}
  ports:
  - name: http
    port: ${port}
    targetPort: 8080
`;
  await ok(['apply', '-f', '-'], svc(80));
  const before = JSON.parse(await ok(['get', 'svc', 'keepip', '-o', 'json']));
  assert.ok(before.spec.clusterIP);
  assert.ok(before.spec.ports[0].nodePort);
  await ok(['apply', '-f', '-'], svc(81));
  const after = JSON.parse(await ok(['get', 'svc', 'keepip', '-o', 'json']));
  assert.equal(after.spec.ports[0].port, 81);
  assert.equal(after.spec.clusterIP, before.spec.clusterIP);
  assert.deepEqual(after.spec.clusterIPs, before.spec.clusterIPs);
  assert.equal(after.spec.ports[0].nodePort, before.spec.ports[0].nodePort);
  // A PUT without them (kubectl replace) keeps them too.
  const body = { ...after, spec: { ...after.spec, clusterIP: undefined, clusterIPs: undefined } };
  body.spec.ports = [{ name: 'http', port: 82, targetPort: 8080 }];
  await ok(['replace', '-f', '-'], JSON.stringify(body));
  const replaced = JSON.parse(await ok(['get', 'svc', 'keepip', '-o', 'json']));
  assert.equal(replaced.spec.clusterIP, before.spec.clusterIP);
  assert.equal(replaced.spec.ports[0].nodePort, before.spec.ports[0].nodePort);
});

test('server-side apply owns status of a custom resource without the status subresource', async () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
          status: {type: object, properties: {phase: {type: string}}}
`;
  await ok(['apply', '--server-side', '-f', '-'], crd);
  await ok(['wait', '--for', 'condition=established', '--timeout=10s', 'crd/widgets.example.com']);
  const widget = (phase: string) => `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: default}
spec: {size: 1}
status: {phase: ${phase}}
`;
  await ok(['apply', '--server-side', '--field-manager=alice', '-f', '-'], widget('Ready'));
  const obj = JSON.parse(await ok(['get', 'widget', 'w1', '-o', 'json', '--show-managed-fields']));
  assert.equal(obj.status.phase, 'Ready');
  const alice = obj.metadata.managedFields.find((e: { manager: string }) => e.manager === 'alice');
  assert.deepEqual(alice.fieldsV1['f:status'], { 'f:phase': {} });
  const r = await h.kubectl(['apply', '--server-side', '--field-manager=bob', '-f', '-'], widget('Failed'));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /conflict with "alice"[\s\S]*\.status\.phase/);
});

test('kubectl create service/ingress/poddisruptionbudget/priorityclass/quota (protobuf bodies)', async () => {
  await ok(['create', 'service', 'clusterip', 'svc-c', '--tcp=80:8080', '--tcp=443:https']);
  let o = JSON.parse(await ok(['get', 'svc', 'svc-c', '-o', 'json']));
  assert.equal(o.spec.type, 'ClusterIP');
  assert.deepEqual(o.spec.selector, { app: 'svc-c' });
  assert.deepEqual(
    o.spec.ports.map((p: { name: string; port: number; targetPort: unknown; protocol: string }) => [
      p.name,
      p.port,
      p.targetPort,
      p.protocol,
    ]),
    [
      ['80-8080', 80, 8080, 'TCP'],
      ['443-https', 443, 'https', 'TCP'],
    ],
  );
  await ok(['create', 'service', 'nodeport', 'svc-n', '--tcp=81:81', '--node-port=30081']);
  o = JSON.parse(await ok(['get', 'svc', 'svc-n', '-o', 'json']));
  assert.equal(o.spec.type, 'NodePort');
  assert.equal(o.spec.ports[0].nodePort, 30081);
  await ok(['create', 'service', 'loadbalancer', 'svc-l', '--tcp=82:82']);
  o = JSON.parse(await ok(['get', 'svc', 'svc-l', '-o', 'json']));
  assert.equal(o.spec.type, 'LoadBalancer');
  assert.ok(o.spec.ports[0].nodePort >= 30000);
  await ok(['create', 'service', 'externalname', 'svc-e', '--external-name=db.example.com']);
  o = JSON.parse(await ok(['get', 'svc', 'svc-e', '-o', 'json']));
  assert.equal(o.spec.externalName, 'db.example.com');
  assert.equal(o.spec.clusterIP, undefined);

  await ok([
    'create',
    'ingress',
    'web',
    '--class=nginx',
    '--rule=foo.example.com/bar*=svc-c:80,tls=cert',
    '--default-backend=svc-c:http',
  ]);
  o = JSON.parse(await ok(['get', 'ingress', 'web', '-o', 'json']));
  assert.equal(o.spec.ingressClassName, 'nginx');
  assert.deepEqual(o.spec.defaultBackend, { service: { name: 'svc-c', port: { name: 'http' } } });
  assert.deepEqual(o.spec.tls, [{ hosts: ['foo.example.com'], secretName: 'cert' }]);
  assert.deepEqual(o.spec.rules, [
    {
      host: 'foo.example.com',
      http: {
        paths: [
          {
            path: '/bar',
            pathType: 'Prefix',
            backend: { service: { name: 'svc-c', port: { number: 80 } } },
          },
        ],
      },
    },
  ]);

  await ok(['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=50%']);
  o = JSON.parse(await ok(['get', 'pdb', 'pdb', '-o', 'json']));
  assert.equal(o.spec.minAvailable, '50%');
  assert.deepEqual(o.spec.selector, { matchLabels: { app: 'web' } });
  await ok(['create', 'pdb', 'pdb2', '--selector=app=web', '--max-unavailable=1']);
  o = JSON.parse(await ok(['get', 'pdb', 'pdb2', '-o', 'json']));
  assert.equal(o.spec.maxUnavailable, 1);

  await ok(['create', 'priorityclass', 'high', '--value=1000', '--description=important']);
  o = JSON.parse(await ok(['get', 'priorityclass', 'high', '-o', 'json']));
  assert.equal(o.value, 1000);
  assert.equal(o.description, 'important');

  await ok(['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=2', '--scopes=BestEffort']);
  o = JSON.parse(await ok(['get', 'quota', 'q', '-o', 'json']));
  assert.deepEqual(o.spec.hard, { cpu: '1', memory: '1G', pods: '2' });
  assert.deepEqual(o.spec.scopes, ['BestEffort']);
});
