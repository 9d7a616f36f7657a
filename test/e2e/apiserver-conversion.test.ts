// Sveltos v1alpha1 served by the embedded API server with in-process conversion, driven by the
// real kubectl: the seed 004 YAML (indentation fixed, nothing else changed) applies unchanged,
// is stored as v1beta1 (LabelSelectors), reads back as v1alpha1 (strings) on get/list/watch/
// delete, re-applies as a no-op, and a bad selector string is a 422 naming the field.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { type Harness, startHarness } from './apiserver-helpers.js';

let h: Harness;

function repoFile(rel: string): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const p = resolve(dir, rel);
    if (existsSync(p)) return p;
  }
  throw new Error(`${rel} not found above ${import.meta.dirname}`);
}
const CRDS = repoFile('assets/sveltos/crds.yaml');
const SEED = repoFile('src/controllers/event/testdata/seed-004-v1alpha1.yaml');
const ET_V1ALPHA1 = 'eventtriggers.v1alpha1.lib.projectsveltos.io';
const ET_V1BETA1 = 'eventtriggers.v1beta1.lib.projectsveltos.io';
const JSON_CT = { 'content-type': 'application/json' };

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await h.kubectl(args, stdin);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function getYaml(args: string[]): Promise<Record<string, any>> {
  return parse(await ok(['get', ...args, '-o', 'yaml'])) as Record<string, any>;
}

before(async () => {
  h = await startHarness(['conv']);
  await ok(['apply', '-f', CRDS]);
  await ok([
    'wait',
    '--for',
    'condition=established',
    '--timeout=10s',
    'crd/eventtriggers.lib.projectsveltos.io',
    'crd/eventsources.lib.projectsveltos.io',
    'crd/clusterprofiles.config.projectsveltos.io',
  ]);
});
after(async () => {
  await h.close();
});

test('discovery lists v1alpha1 with v1beta1 preferred', async () => {
  const versions = await ok(['api-versions']);
  assert.match(versions, /^lib\.projectsveltos\.io\/v1alpha1$/m);
  assert.match(versions, /^config\.projectsveltos\.io\/v1alpha1$/m);
  const g = JSON.parse((await h.http('GET', '/apis/lib.projectsveltos.io')).body);
  assert.equal(g.preferredVersion.version, 'v1beta1');
  assert.deepEqual(
    g.versions.map((v: { version: string }) => v.version),
    ['v1beta1', 'v1alpha1'],
  );
});

test('kubectl apply of the seed 004 v1alpha1 YAML: stored as LabelSelectors, read back as strings', async () => {
  const out = await ok(['apply', '-f', SEED]);
  assert.match(out, /eventsource\.lib\.projectsveltos\.io\/load-balancer-service created/);
  assert.match(out, /eventtrigger\.lib\.projectsveltos\.io\/service-policy created/);
  assert.match(out, /configmap\/service-policy created/);

  const beta = await getYaml([ET_V1BETA1, 'service-policy']);
  assert.equal(beta.apiVersion, 'lib.projectsveltos.io/v1beta1');
  assert.deepEqual(beta.spec.sourceClusterSelector, { matchLabels: { env: 'production' } });
  assert.deepEqual(beta.spec.destinationClusterSelector, { matchLabels: { dep: 'eng' } });
  assert.equal(beta.spec.eventSourceName, 'load-balancer-service');
  // The preferred version is what a plain `kubectl get eventtriggers` reads.
  const plain = await getYaml(['eventtriggers', 'service-policy']);
  assert.equal(plain.apiVersion, 'lib.projectsveltos.io/v1beta1');

  const list = await getYaml([ET_V1ALPHA1]);
  assert.equal(list.items.length, 1);
  const alpha = list.items[0];
  assert.equal(alpha.apiVersion, 'lib.projectsveltos.io/v1alpha1');
  assert.equal(alpha.spec.sourceClusterSelector, 'env=production');
  assert.equal(alpha.spec.destinationClusterSelector, 'dep=eng');
  assert.equal(
    alpha.metadata.annotations['eventtrigger.flotilla.projectsveltos.io/v1alpha1-template'],
    undefined,
  );

  const es = await getYaml(['eventsources.v1alpha1.lib.projectsveltos.io', 'load-balancer-service']);
  assert.equal(es.apiVersion, 'lib.projectsveltos.io/v1alpha1');
  assert.equal(es.spec.resourceSelectors[0].kind, 'Service');

  // Table output in v1alpha1 (server-side printing of the converted object).
  assert.match(await ok(['get', ET_V1ALPHA1]), /^service-policy\s/m);

  // Re-applying changes nothing. kubectl still says "configured" for the EventTrigger: its
  // client-side JSON merge patch resends policyRefs, a list whose items the server defaulted
  // (deploymentType, tier, ...); the same happens in v1beta1 and on a real kube-apiserver.
  const again = await ok(['apply', '-f', SEED]);
  assert.match(again, /eventsource\.lib\.projectsveltos\.io\/load-balancer-service unchanged/);
  assert.match(again, /configmap\/service-policy unchanged/);
  const same = await getYaml([ET_V1BETA1, 'service-policy']);
  assert.equal(same.metadata.resourceVersion, beta.metadata.resourceVersion, 'no write on re-apply');

  // Without such a list, kubectl's three-way merge over the v1alpha1 strings is empty: unchanged.
  const noRefs = `apiVersion: lib.projectsveltos.io/v1alpha1
kind: EventTrigger
metadata:
  name: no-refs
spec:
  sourceClusterSelector: env=production,tier in (a,b)
  destinationClusterSelector: dep=eng
  eventSourceName: load-balancer-service
`;
  assert.match(
    await ok(['apply', '-f', '-'], noRefs),
    /eventtrigger\.lib\.projectsveltos\.io\/no-refs created/,
  );
  assert.match(
    await ok(['apply', '-f', '-'], noRefs),
    /eventtrigger\.lib\.projectsveltos\.io\/no-refs unchanged/,
  );
  await ok(['delete', ET_V1ALPHA1, 'no-refs']);
});

test('patches computed in v1alpha1 and in v1beta1; watch in v1alpha1 converts each event', async () => {
  const rv = (await getYaml([ET_V1ALPHA1, 'service-policy'])).metadata.resourceVersion as string;
  await ok([
    'patch',
    ET_V1ALPHA1,
    'service-policy',
    '--type',
    'merge',
    '-p',
    '{"spec":{"sourceClusterSelector":"env in (production,staging),!legacy"}}',
  ]);
  const beta = await getYaml([ET_V1BETA1, 'service-policy']);
  assert.deepEqual(beta.spec.sourceClusterSelector, {
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['production', 'staging'] },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  });
  await ok([
    'patch',
    ET_V1BETA1,
    'service-policy',
    '--type',
    'json',
    '-p',
    '[{"op":"replace","path":"/spec/destinationClusterSelector","value":{"matchLabels":{"dep":"eng","tier":"1"}}}]',
  ]);
  const alpha = await getYaml([ET_V1ALPHA1, 'service-policy']);
  assert.equal(alpha.spec.destinationClusterSelector, 'dep=eng,tier=1');

  const w = await h.http(
    'GET',
    `/apis/lib.projectsveltos.io/v1alpha1/eventtriggers?watch=true&fieldSelector=metadata.name%3Dservice-policy&resourceVersion=${rv}&timeoutSeconds=1`,
  );
  assert.equal(w.status, 200);
  const events = w.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; object: Record<string, any> });
  assert.deepEqual(
    events.map((e) => [e.type, e.object.apiVersion, e.object.spec.sourceClusterSelector]),
    [
      ['MODIFIED', 'lib.projectsveltos.io/v1alpha1', 'env in (production,staging),!legacy'],
      ['MODIFIED', 'lib.projectsveltos.io/v1alpha1', 'env in (production,staging),!legacy'],
    ],
  );
  assert.equal(events[1].object.spec.destinationClusterSelector, 'dep=eng,tier=1');
});

test('server-side apply in v1alpha1, then delete in v1alpha1 answers in v1alpha1', async () => {
  const et = `apiVersion: lib.projectsveltos.io/v1alpha1
kind: EventTrigger
metadata:
  name: ssa
spec:
  sourceClusterSelector: env=qa
  eventSourceName: load-balancer-service
`;
  assert.match(await ok(['apply', '--server-side', '-f', '-'], et), /serverside-applied/);
  assert.match(await ok(['apply', '--server-side', '-f', '-'], et), /serverside-applied/);
  const beta = await getYaml([ET_V1BETA1, 'ssa']);
  assert.deepEqual(beta.spec.sourceClusterSelector, { matchLabels: { env: 'qa' } });
  const gen = beta.metadata.generation;
  await ok(['apply', '--server-side', '-f', '-'], et.replace('env=qa', 'env=qa2'));
  const after2 = await getYaml([ET_V1BETA1, 'ssa']);
  assert.deepEqual(after2.spec.sourceClusterSelector, { matchLabels: { env: 'qa2' } });
  assert.equal(after2.metadata.generation, gen + 1);

  // Another manager applies in v1beta1 next to the v1alpha1 manager's fields.
  const other = `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: ssa
spec:
  oneForEvent: true
`;
  await ok(['apply', '--server-side', '--field-manager', 'other', '-f', '-'], other);
  const both = await getYaml([ET_V1BETA1, 'ssa', '--show-managed-fields']);
  assert.equal(both.spec.oneForEvent, true);
  assert.deepEqual(both.spec.sourceClusterSelector, { matchLabels: { env: 'qa2' } });
  assert.deepEqual(
    both.metadata.managedFields.map((m: { manager: string; apiVersion: string }) => [
      m.manager,
      m.apiVersion,
    ]),
    [
      ['kubectl', 'lib.projectsveltos.io/v1alpha1'],
      ['other', 'lib.projectsveltos.io/v1beta1'],
    ],
  );

  const del = await h.http('DELETE', '/apis/lib.projectsveltos.io/v1alpha1/eventtriggers/ssa');
  assert.equal(del.status, 200, del.body);
  const body = JSON.parse(del.body);
  assert.equal(body.apiVersion, 'lib.projectsveltos.io/v1alpha1');
  assert.equal(body.spec.sourceClusterSelector, 'env=qa2');
});

test('every kind with string selectors in v1alpha1 applies with kubectl and reads back in both versions', async () => {
  const kinds: { resource: string; kind: string; group: string; namespaced?: boolean; extra?: string }[] = [
    { resource: 'clusterprofiles', kind: 'ClusterProfile', group: 'config.projectsveltos.io' },
    { resource: 'profiles', kind: 'Profile', group: 'config.projectsveltos.io', namespaced: true },
    { resource: 'clustersets', kind: 'ClusterSet', group: 'lib.projectsveltos.io' },
    { resource: 'sets', kind: 'Set', group: 'lib.projectsveltos.io', namespaced: true },
    {
      resource: 'clusterhealthchecks',
      kind: 'ClusterHealthCheck',
      group: 'lib.projectsveltos.io',
      extra:
        '  livenessChecks: [{name: addons, type: Addons}]\n  notifications: [{name: event, type: KubernetesEvent}]\n',
    },
    {
      resource: 'rolerequests',
      kind: 'RoleRequest',
      group: 'lib.projectsveltos.io',
      extra: '  serviceAccountName: eng\n  serviceAccountNamespace: default\n',
    },
  ];
  for (const k of kinds) {
    const doc = `apiVersion: ${k.group}/v1alpha1
kind: ${k.kind}
metadata:
  name: legacy
${k.namespaced ? '  namespace: default\n' : ''}spec:
  clusterSelector: env=prod,zone notin (x)
${k.extra ?? ''}`;
    const ns = k.namespaced ? ['-n', 'default'] : [];
    assert.match(await ok(['apply', '-f', '-'], doc), /created/, k.kind);
    const beta = await getYaml([`${k.resource}.v1beta1.${k.group}`, 'legacy', ...ns]);
    assert.deepEqual(
      beta.spec.clusterSelector,
      { matchLabels: { env: 'prod' }, matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] },
      k.kind,
    );
    const alpha = await getYaml([`${k.resource}.v1alpha1.${k.group}`, 'legacy', ...ns]);
    assert.equal(alpha.spec.clusterSelector, 'env=prod,zone notin (x)', k.kind);
    assert.match(await ok(['apply', '-f', '-'], doc), /unchanged/, k.kind);
  }
});

test('a v1beta1 selector a string cannot reproduce survives a v1alpha1 round trip (annotation)', async () => {
  const cp = `apiVersion: config.projectsveltos.io/v1beta1
kind: ClusterProfile
metadata:
  name: ordered
spec:
  clusterSelector:
    matchExpressions:
    - {key: zone, operator: In, values: [b, a]}
    - {key: app, operator: Exists}
`;
  await ok(['apply', '-f', '-'], cp);
  const alphaJson = await ok([
    'get',
    'clusterprofiles.v1alpha1.config.projectsveltos.io',
    'ordered',
    '-o',
    'json',
  ]);
  const alpha = JSON.parse(alphaJson);
  assert.equal(alpha.spec.clusterSelector, 'app,zone in (a,b)');
  assert.ok(alpha.metadata.annotations['conversion.flotilla.projectsveltos.io/v1beta1-selectors']);
  await ok(['replace', '-f', '-'], alphaJson);
  const beta = await getYaml(['clusterprofiles.v1beta1.config.projectsveltos.io', 'ordered']);
  assert.deepEqual(beta.spec.clusterSelector, {
    matchExpressions: [
      { key: 'zone', operator: 'In', values: ['b', 'a'] },
      { key: 'app', operator: 'Exists' },
    ],
  });
  assert.equal(
    beta.metadata.annotations?.['conversion.flotilla.projectsveltos.io/v1beta1-selectors'],
    undefined,
  );
});

test('a bad selector string is a 422 naming the field; v1alpha1 requests use the v1alpha1 schema', async () => {
  const seed = readFileSync(SEED, 'utf8').split('\n---\n')[1];
  const bad = seed
    .replace('name: service-policy', 'name: broken')
    .replace('env=production', '"env in (prod"');
  const r = await h.kubectl(['apply', '-f', '-'], bad);
  assert.notEqual(r.code, 0);
  assert.match(
    r.stderr,
    /EventTrigger\.lib\.projectsveltos\.io "broken" is invalid: spec\.sourceClusterSelector/,
  );
  assert.match(r.stderr, /Invalid value: "env in \(prod"/);

  const post = await h.http(
    'POST',
    '/apis/lib.projectsveltos.io/v1alpha1/eventtriggers',
    JSON.stringify({
      apiVersion: 'lib.projectsveltos.io/v1alpha1',
      kind: 'EventTrigger',
      metadata: { name: 'broken' },
      spec: { sourceClusterSelector: 'a>3', eventSourceName: 'x' },
    }),
    JSON_CT,
  );
  assert.equal(post.status, 422);
  const status = JSON.parse(post.body);
  assert.equal(status.reason, 'Invalid');
  assert.equal(status.details.causes[0].field, 'spec.sourceClusterSelector');
  assert.match(status.details.causes[0].message, /cannot be expressed in a LabelSelector/);

  const obj = await h.http(
    'POST',
    '/apis/lib.projectsveltos.io/v1alpha1/eventtriggers',
    JSON.stringify({
      apiVersion: 'lib.projectsveltos.io/v1alpha1',
      kind: 'EventTrigger',
      metadata: { name: 'broken' },
      spec: { sourceClusterSelector: { matchLabels: { a: 'b' } }, eventSourceName: 'x' },
    }),
    JSON_CT,
  );
  assert.equal(obj.status, 422);
  assert.match(JSON.parse(obj.body).message, /spec\.sourceClusterSelector: Invalid value: "object"/);
  const none = await h.kubectl(['get', ET_V1BETA1, 'broken']);
  assert.notEqual(none.code, 0, 'nothing stored on bad input');
});
