// `flotilla up` end to end, as a user runs it: the built CLI as a subprocess, kubectl against the
// kubeconfigs it writes, `flotilla cluster create|delete` while it runs, Ctrl-C and a resume.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  flotilla,
  kubectl,
  kubectlJson,
  requireBuild,
  startUp,
  stopUp,
  type Up,
  until,
} from './cli-up-helpers.js';

const state = mkdtempSync(join(tmpdir(), 'flotilla-cli-up-'));
const MGMT = join(state, 'mgmt.kubeconfig');
let up: Up | undefined;

interface SC {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  status?: { ready?: boolean };
}

async function sveltosClusters(): Promise<SC[]> {
  return (await kubectlJson<{ items: SC[] }>(MGMT, ['get', 'sveltosclusters', '-A'])).items;
}

async function configMapData(cluster: string, name: string): Promise<Record<string, string> | undefined> {
  const r = await kubectl(join(state, `${cluster}.kubeconfig`), [
    'get',
    'configmap',
    name,
    '-n',
    'default',
    '-o',
    'json',
  ]);
  if (r.code !== 0) {
    assert.match(r.stderr, /NotFound/);
    return undefined;
  }
  return (JSON.parse(r.stdout) as { data?: Record<string, string> }).data;
}

function source(hello: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting-src
  namespace: default
data:
  cm.yaml: |
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: greeting
      namespace: default
    data:
      hello: ${hello}
`;
}

const PROFILE = `${source('production')}---
apiVersion: config.projectsveltos.io/v1beta1
kind: ClusterProfile
metadata:
  name: greeting
spec:
  syncMode: ContinuousWithDriftDetection
  clusterSelector:
    matchLabels:
      env: production
  policyRefs:
  - kind: ConfigMap
    name: greeting-src
    namespace: default
`;

before(async () => {
  requireBuild();
  up = await startUp(['--state', state]);
});

after(async () => {
  if (up) await stopUp(up);
  rmSync(state, { recursive: true, force: true });
});

test('up prints the kubeconfigs and ready; progress goes to stderr', () => {
  const lines = up!.stdout().split('\n');
  for (const c of ['mgmt', 'cluster-a', 'cluster-b'])
    assert.ok(lines.includes(`kubeconfig ${c} ${join(state, `${c}.kubeconfig`)}`), up!.stdout());
  assert.ok(
    lines.indexOf('ready') > lines.indexOf(`kubeconfig cluster-b ${join(state, 'cluster-b.kubeconfig')}`),
  );
  assert.match(up!.stderr(), /flotilla up: installed 29 Sveltos CRDs/);
  assert.match(up!.stderr(), /flotilla up: cluster default\/cluster-a ready/);
  assert.ok(existsSync(join(state, 'up.pid')));
});

test('kubectl lists the default clusters ready with their labels, and the management cluster', async () => {
  const scs = await sveltosClusters();
  const byName = new Map(scs.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
  assert.deepEqual([...byName.keys()].sort(), ['default/cluster-a', 'default/cluster-b', 'mgmt/mgmt']);
  for (const s of scs) assert.equal(s.status?.ready, true, `${s.metadata.name} ready`);
  assert.equal(byName.get('default/cluster-a')?.metadata.labels?.env, 'production');
  assert.equal(byName.get('default/cluster-b')?.metadata.labels?.env, 'staging');
  const ns = await kubectl(join(state, 'cluster-b.kubeconfig'), ['get', 'namespace', 'default']);
  assert.equal(ns.code, 0, ns.stderr);
});

test('a ClusterProfile applied with kubectl deploys to the matching cluster only', async () => {
  const r = await kubectl(MGMT, ['apply', '-f', '-'], PROFILE);
  assert.equal(r.code, 0, r.stderr);
  await until(
    'greeting in cluster-a',
    async () => (await configMapData('cluster-a', 'greeting'))?.hello === 'production',
  );
  const summaries = await kubectlJson<{ items: { metadata: { name: string } }[] }>(MGMT, [
    'get',
    'clustersummaries',
    '-A',
  ]);
  assert.deepEqual(
    summaries.items.map((s) => s.metadata.name),
    ['greeting-sveltos-cluster-a'],
  );
  assert.equal(await configMapData('cluster-b', 'greeting'), undefined);
});

test('drift in a managed cluster is corrected by its agentless agent', async () => {
  const a = join(state, 'cluster-a.kubeconfig');
  await until('drift baseline recorded', async () => {
    const r = await kubectl(a, ['get', 'resourcesummaries', '-n', 'projectsveltos', '-o', 'json']);
    const items = (
      JSON.parse(r.stdout || '{"items":[]}') as { items: { status?: { resourceHashes?: unknown[] } }[] }
    ).items;
    return items.some((i) => (i.status?.resourceHashes ?? []).length > 0);
  });
  const p = await kubectl(a, [
    'patch',
    'configmap',
    'greeting',
    '-n',
    'default',
    '--type=merge',
    '-p',
    '{"data":{"hello":"tampered"}}',
  ]);
  assert.equal(p.code, 0, p.stderr);
  await until(
    'drift corrected',
    async () => (await configMapData('cluster-a', 'greeting'))?.hello === 'production',
  );
});

test('cluster create adds a ready cluster that receives the matching add-ons; delete removes it', async () => {
  const created = await flotilla([
    'cluster',
    'create',
    'edge-1',
    '--labels',
    'env=production,zone=eu',
    '--state',
    state,
  ]);
  assert.equal(created.code, 0, created.stderr);
  assert.ok(created.stdout.split('\n').includes('cluster edge-1 ready'), created.stdout);
  const edge = (await sveltosClusters()).find((s) => s.metadata.name === 'edge-1');
  assert.equal(edge?.status?.ready, true);
  assert.equal(edge?.metadata.labels?.zone, 'eu');
  await until(
    'greeting in edge-1',
    async () => (await configMapData('edge-1', 'greeting'))?.hello === 'production',
  );

  const again = await flotilla(['cluster', 'create', 'edge-1', '--state', state]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^flotilla: cluster edge-1 already exists: delete it first/);

  const deleted = await flotilla(['cluster', 'delete', 'edge-1', '--state', state]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.ok(deleted.stdout.includes('cluster edge-1 deleted'));
  assert.equal(existsSync(join(state, 'edge-1.kubeconfig')), false);
  assert.deepEqual((await sveltosClusters()).map((s) => s.metadata.name).sort(), [
    'cluster-a',
    'cluster-b',
    'mgmt',
  ]);
  const gone = await flotilla(['cluster', 'delete', 'edge-1', '--state', state]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /no cluster edge-1 in the fleet/);
});

test('kubectl apply of an embedded SveltosCluster creates a cluster too', async () => {
  const sc = `apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: edge-2
  namespace: default
  labels:
    flotilla.dev/embedded: "true"
    env: production
spec: {}
`;
  const r = await kubectl(MGMT, ['apply', '-f', '-'], sc);
  assert.equal(r.code, 0, r.stderr);
  await until(
    'greeting in edge-2',
    async () => (await configMapData('edge-2', 'greeting'))?.hello === 'production',
  );
  const d = await kubectl(MGMT, ['delete', 'sveltoscluster', 'edge-2', '-n', 'default']);
  assert.equal(d.code, 0, d.stderr);
  await until('edge-2 gone', async () => !existsSync(join(state, 'edge-2.kubeconfig')));
});

test('a second up on the same state is refused; SIGINT stops cleanly', async () => {
  const second = await flotilla(['up', '--state', state]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /flotilla up already runs on .* \(pid \d+\)/);
  const code = await stopUp(up!);
  up = undefined;
  assert.equal(code, 0);
  assert.equal(existsSync(join(state, 'up.pid')), false);
  const down = await flotilla(['cluster', 'create', 'edge-3', '--state', state]);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /flotilla up is not running on/);
});

test('up again on the same state resumes: same kubeconfigs, objects kept, nothing duplicated', async () => {
  const before = readFileSync(MGMT, 'utf8');
  const beforeA = readFileSync(join(state, 'cluster-a.kubeconfig'), 'utf8');
  up = await startUp(['--state', state]);
  assert.match(up.stderr(), /resuming the fleet/);
  assert.match(up.stderr(), /Sveltos CRDs already installed/);
  assert.equal(readFileSync(MGMT, 'utf8'), before);
  assert.equal(readFileSync(join(state, 'cluster-a.kubeconfig'), 'utf8'), beforeA);
  const scs = await sveltosClusters();
  assert.deepEqual(scs.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(), [
    'default/cluster-a',
    'default/cluster-b',
    'mgmt/mgmt',
  ]);
  assert.equal((await configMapData('cluster-a', 'greeting'))?.hello, 'production');
  const secrets = await kubectlJson<{ items: unknown[] }>(MGMT, ['get', 'secrets', '-n', 'default']);
  assert.equal(secrets.items.length, 2);
  const profiles = await kubectlJson<{ items: unknown[] }>(MGMT, ['get', 'clusterprofiles']);
  assert.equal(profiles.items.length, 1);
  // The deployer still works after the restart.
  const patch = await kubectl(MGMT, ['apply', '-f', '-'], source('resumed'));
  assert.equal(patch.code, 0, patch.stderr);
  await until(
    'redeployed after resume',
    async () => (await configMapData('cluster-a', 'greeting'))?.hello === 'resumed',
  );
});

test('SIGTERM stops it cleanly too', async () => {
  const code = await stopUp(up!, 'SIGTERM');
  assert.equal(code, 0);
  assert.match(up!.stderr(), /flotilla up: stopped\n$/);
  up = undefined;
  assert.equal(existsSync(join(state, 'up.pid')), false);
});
