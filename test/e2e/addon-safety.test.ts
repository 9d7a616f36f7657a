// Failure safety: a broken template, an unreadable source or an API-rejected apply never removes
// what is deployed, and errors name object, cluster and cause; maxConsecutiveFailures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import {
  CP,
  configMapSource,
  type Fleet,
  featureStatus,
  getOrUndefined,
  startFleet,
  until,
} from './addon-harness.js';

let fleet: Fleet;

before(async () => {
  fleet = await startFleet(['c1', 'c2'], { conflictRetryMs: 200 });
  await fleet.register('c1', { type: 'app', mode: 'a' });
  await fleet.register('c2', { type: 'app', mode: 'b' });
  fleet.startControllers();
});

after(async () => {
  await fleet?.close();
});

const cm = (name: string, ns = 'demo', data: Record<string, string> = { v: '1' }) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n${Object.entries(
    data,
  )
    .map(([k, v]) => `  ${k}: "${v}"`)
    .join('\n')}\n`;
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo', name });
const profile = (name: string, spec: Record<string, unknown>): KubeObject => ({
  ...CP,
  metadata: { name },
  spec,
});
const dataOf = (o: KubeObject | undefined) => (o?.data ?? {}) as Record<string, string>;

test('a broken template or an unreadable source leaves the previous deployment intact, with a precise error', async () => {
  const { mgmt } = fleet;
  const good = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tpl\n  namespace: demo\ndata:\n  cluster: "{{ .Cluster.metadata.name }}"\n`;
  await mgmt.create(configMapSource('tpl-src', good, { 'projectsveltos.io/template': 'ok' }));
  await mgmt.create(configMapSource('plain-src', cm('plain')));
  await mgmt.create(
    profile('tpl', {
      clusterSelector: { matchLabels: { mode: 'a' } },
      policyRefs: [
        { kind: 'ConfigMap', name: 'tpl-src', namespace: 'default' },
        { kind: 'ConfigMap', name: 'plain-src', namespace: 'default' },
      ],
    }),
  );
  const c1 = await fleet.client('c1');
  await until(
    'deployed',
    async () =>
      dataOf(await getOrUndefined(c1, ref('tpl'))).cluster === 'c1' &&
      (await getOrUndefined(c1, ref('plain'))),
  );
  const before = await getOrUndefined(c1, ref('tpl'));
  const src = await mgmt.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'tpl-src' });
  await mgmt.update({
    ...src,
    data: { 'content.yaml': `${good}  broken: "{{ .Cluster.metadata.nope.deeper }}"\n` },
  });
  const f = await until('Failed with the template position', async () => {
    const x = await featureStatus(mgmt, 'tpl-sveltos-c1');
    return x?.status === 'Failed' ? x : undefined;
  });
  assert.match(
    f.failureMessage ?? '',
    /ConfigMap default\/tpl-src key content.yaml: template: default\/tpl-src\/content.yaml:8:22: executing "default\/tpl-src\/content.yaml" at <.Cluster.metadata.nope.deeper>: map has no entry for key "nope"/,
  );
  assert.match(f.failureMessage ?? '', /cluster fleet\/c1/);
  const still = await getOrUndefined(c1, ref('tpl'));
  assert.equal(
    still?.metadata?.resourceVersion,
    before?.metadata?.resourceVersion,
    'previous deployment untouched',
  );
  assert.ok(await getOrUndefined(c1, ref('plain')), 'nothing withdrawn');
  // A missing non-optional source freezes removals instead of withdrawing.
  await mgmt.update({
    ...(await mgmt.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'tpl-src' })),
    data: { 'content.yaml': good },
  });
  await until(
    'Provisioned again',
    async () => (await featureStatus(mgmt, 'tpl-sveltos-c1'))?.status === 'Provisioned',
  );
  await mgmt.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'plain-src' });
  const m = await until('missing source reported', async () => {
    const x = await featureStatus(mgmt, 'tpl-sveltos-c1');
    return x?.status === 'Failed' ? x : undefined;
  });
  assert.match(m.failureMessage ?? '', /ConfigMap default\/plain-src referenced by policyRefs not found/);
  assert.ok(await getOrUndefined(c1, ref('plain')), 'an unreadable source does not withdraw its objects');
  assert.ok(await getOrUndefined(c1, ref('tpl')));
});

test('an apply rejected by the API names object, cluster and field, and removes nothing', async () => {
  const { mgmt } = fleet;
  await mgmt.create(configMapSource('bad-src', `${cm('keep-me')}---\n${cm('bad-one')}`));
  await mgmt.create(
    profile('badapply', {
      clusterSelector: { matchLabels: { mode: 'b' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'bad-src', namespace: 'default' }],
    }),
  );
  const c2 = await fleet.client('c2');
  await until(
    'deployed',
    async () => (await getOrUndefined(c2, ref('keep-me'))) && (await getOrUndefined(c2, ref('bad-one'))),
  );
  const src = await mgmt.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'bad-src' });
  // keep-me disappears from the content while bad-one becomes invalid (a number where a string is required).
  await mgmt.update({
    ...src,
    data: {
      'content.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-one\n  namespace: demo\ndata:\n  n: 5\n',
    },
  });
  const f = await until('apply failure reported', async () => {
    const x = await featureStatus(mgmt, 'badapply-sveltos-c2');
    return x?.status === 'Failed' ? x : undefined;
  });
  assert.match(
    f.failureMessage ?? '',
    /apply of ConfigMap demo\/bad-one to cluster fleet\/c2 failed: Invalid: .*data\[n\]: Invalid value: "integer"/,
  );
  assert.ok(await getOrUndefined(c2, ref('keep-me')), 'a failed apply does not withdraw the rest');
});

test('maxConsecutiveFailures stops retrying with FailedNonRetriable until the content changes', async () => {
  const { mgmt } = fleet;
  const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: never\n  namespace: demo\ndata:\n  n: 5\n';
  await mgmt.create(configMapSource('never-src', bad));
  await mgmt.create(
    profile('capped', {
      clusterSelector: { matchLabels: { mode: 'a' } },
      maxConsecutiveFailures: 3,
      policyRefs: [{ kind: 'ConfigMap', name: 'never-src', namespace: 'default' }],
    }),
  );
  const f = await until('FailedNonRetriable', async () => {
    const x = (await featureStatus(mgmt, 'capped-sveltos-c1')) as
      | { status?: string; consecutiveFailures?: number }
      | undefined;
    return x?.status === 'FailedNonRetriable' ? x : undefined;
  });
  assert.equal(f.consecutiveFailures, 3);
  const src = await mgmt.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'never-src',
  });
  await mgmt.update({ ...src, data: { 'content.yaml': bad.replace('n: 5', 'n: "5"') } });
  await until(
    'fixed content deployed',
    async () => (await featureStatus(mgmt, 'capped-sveltos-c1'))?.status === 'Provisioned',
  );
  assert.equal(dataOf(await getOrUndefined(await fleet.client('c1'), ref('never'))).n, '5');
});
