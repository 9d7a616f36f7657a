// `flotilla explain profile` against the real add-on controllers: a profile that is deployed,
// one whose selector does not match, one waiting on dependsOn and one failing on a template.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CONFIG_API_VERSION, type ClusterSummary } from '../../src/api/index.js';
import { type Fleet, startFleet, until } from './addon-harness.js';

let fleet: Fleet;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, KUBECONFIG: fleet.server.kubeconfigPath('mgmt') };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(process.cwd(), 'bin/flotilla.js'), ...args],
      { env, timeout: 30_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function featureOf(profile: string): Promise<string | undefined> {
  const list = await fleet.mgmt.list<ClusterSummary>({
    apiVersion: CONFIG_API_VERSION,
    kind: 'ClusterSummary',
    namespace: 'fleet',
  });
  const s = list.items.find(
    (x) => x.metadata?.labels?.['projectsveltos.io/cluster-profile-name'] === profile,
  );
  return s?.status?.featureSummaries?.[0]?.status;
}

function clusterProfile(name: string, spec: Record<string, unknown>) {
  return { apiVersion: CONFIG_API_VERSION, kind: 'ClusterProfile', metadata: { name }, spec };
}

before(async () => {
  fleet = await startFleet([]);
  await fleet.register('c1', { env: 'prod' });
  fleet.startControllers();
  const { mgmt } = fleet;
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'plain', namespace: 'default' },
    data: {
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n  namespace: default\ndata:\n  a: b\n',
    },
  });
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'tpl', namespace: 'default', annotations: { 'projectsveltos.io/template': 'ok' } },
    data: {
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ fail "broken on purpose" }}\n  namespace: default\n',
    },
  });
  const plain = [{ kind: 'ConfigMap', namespace: 'default', name: 'plain' }];
  await mgmt.create(
    clusterProfile('match', { clusterSelector: { matchLabels: { env: 'prod' } }, policyRefs: plain }),
  );
  await mgmt.create(
    clusterProfile('nomatch', { clusterSelector: { matchLabels: { env: 'staging' } }, policyRefs: plain }),
  );
  await mgmt.create(
    clusterProfile('broken', {
      clusterSelector: { matchLabels: { env: 'prod' } },
      policyRefs: [{ kind: 'ConfigMap', namespace: 'default', name: 'tpl' }],
    }),
  );
  await mgmt.create(
    clusterProfile('waits', {
      clusterSelector: { matchLabels: { env: 'prod' } },
      dependsOn: ['broken'],
      policyRefs: plain,
    }),
  );
  await until(
    'match Provisioned and broken Failed',
    async () => (await featureOf('match')) === 'Provisioned' && (await featureOf('broken')) === 'Failed',
  );
});

after(async () => {
  await fleet?.close();
});

test('explain: a profile that matches and is deployed', async () => {
  const r = await run(['explain', 'profile', 'match', '--cluster', 'fleet/c1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ClusterProfile match: syncMode Continuous, tier 100\n/);
  assert.match(
    r.stdout,
    /cluster fleet\/c1 \(Sveltos\): deployed\n {2}why: clusterSelector matches; every feature is Provisioned \(Resources\)/,
  );
  assert.match(r.stdout, /selector env=prod: matches \(label env is "prod"\)/);
});

test('show addons lists what the real controllers deployed (ClusterConfiguration)', async () => {
  let out = '';
  await until('show addons lists ConfigMap default/hello', async () => {
    out = (await run(['show', 'addons', '--cluster', 'c1', '--profile', 'ClusterProfile/match'])).stdout;
    return out.includes('hello');
  });
  assert.match(
    out,
    /\| fleet\/c1 \| :ConfigMap\s+\| default\s+\| hello \| N\/A\s+\|.*\| ClusterProfile\/match \|/,
  );
});

test('explain: a selector that does not match says which label', async () => {
  const r = await run(['explain', 'profile', 'nomatch', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const e = JSON.parse(r.stdout) as { clusters: { cluster: string; verdict: string; reason: string }[] };
  const c1 = e.clusters.find((c) => c.cluster === 'fleet/c1');
  assert.equal(c1?.verdict, 'not-selected');
  assert.equal(c1?.reason, 'clusterSelector does not match: env=staging (label env is "prod")');
});

test('explain: waiting on dependsOn names the prerequisite', async () => {
  const r = await run(['explain', 'profile', 'waits', '--cluster', 'fleet/c1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /: waiting-for-dependencies\n {2}why: clusterSelector matches; waiting for dependsOn: broken is Failed/,
  );
  assert.match(r.stdout, /dependsOn broken: Failed/);
});

test('explain: a template error gives object, line and column', async () => {
  const r = await run(['explain', 'profile', 'broken', '--cluster', 'fleet/c1', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /verdict: failed/);
  assert.match(r.stdout, /object: ConfigMap default\/tpl/);
  assert.match(r.stdout, /line: 4\n\s+column: \d+/);
  const text = await run(['explain', 'profile', 'broken', '--cluster', 'fleet/c1']);
  assert.match(
    text.stdout,
    /why: clusterSelector matches; Resources Failed at ConfigMap default\/tpl, key cm.yaml, line 4 column \d+: .*broken on purpose/,
  );
});

test('explain: a conflict names the owning profile and the tiers', async () => {
  const plain = [{ kind: 'ConfigMap', namespace: 'default', name: 'plain' }];
  await fleet.mgmt.create(
    clusterProfile('rival', {
      clusterSelector: { matchLabels: { env: 'prod' } },
      tier: 200,
      policyRefs: plain,
    }),
  );
  await until('rival Failed', async () => (await featureOf('rival')) === 'Failed');
  const r = await run(['explain', 'profile', 'rival', '--cluster', 'fleet/c1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /: conflict\n {2}why: clusterSelector matches; conflict: ClusterProfile match \(tier 100\) owns the object; this profile has tier 200/,
  );
});

test('explain: unknown profile, bad flags', async () => {
  const missing = await run(['explain', 'profile', 'ghost']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /ClusterProfile ghost not found/);
  const bad = await run(['explain', 'profile', 'match', '--cluster', 'c1']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /is not namespace\/name/);
  const ghost = await run(['explain', 'profile', 'match', '--cluster', 'fleet/ghost']);
  assert.match(ghost.stdout, /cluster fleet\/ghost \(Sveltos\): cluster-not-found/);
});
