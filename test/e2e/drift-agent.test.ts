// Drift detection end to end: the agent against the embedded API server. The management plane's
// half of the handshake (write a ResourceSummary, reset its status after re-applying) is played
// by the test itself; edits come from the real kubectl and from the client.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import {
  type Agent,
  buildResourceSummary,
  createAgent,
  driftBaselines,
  driftModule,
  driftResetPatch,
} from '../../src/agent/index.js';
import type { Resource, ResourceSummary } from '../../src/api/index.js';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { isNotFound, KubeClient, type KubeObject } from '../../src/kube/index.js';

let server: ApiServer;
let client: KubeClient;
let agent: Agent;
let stopAgent: () => Promise<void>;

const NS = 'demo';
const RS = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'ResourceSummary',
  namespace: 'projectsveltos',
};
const CM = (name: string): Resource => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace: NS, name });
const DEPLOY: Resource = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: NS, name: 'web' };

function run(a: Agent): () => Promise<void> {
  const ac = new AbortController();
  const done = a.start(ac.signal);
  return async () => {
    ac.abort();
    await done;
  };
}

function newAgent(): Agent {
  return createAgent({
    client,
    clusterName: 'c1',
    clusterNamespace: 'default',
    clusterType: 'Sveltos',
    modules: [driftModule()],
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function summary(name: string): Promise<ResourceSummary> {
  return (await client.get({ ...RS, name })) as ResourceSummary;
}

/** Waits until the agent holds a baseline for `n` resources and reports no drift. */
async function baselined(name: string, n: number): Promise<ResourceSummary> {
  return until(`${name} baselined with ${n} hashes`, async () => {
    const rs = await summary(name);
    return (rs.status?.resourceHashes?.length ?? 0) === n && rs.status?.resourcesChanged === false && rs;
  });
}

async function drifted(name: string): Promise<ResourceSummary> {
  return until(`${name} reports drift`, async () => {
    const rs = await summary(name);
    return rs.status?.resourcesChanged === true && rs;
  });
}

/** The management plane after re-applying: reset flags and baselines. */
async function reset(name: string): Promise<void> {
  await client.patch({ ...RS, name }, driftResetPatch(), 'merge', { subresource: 'status' });
}

async function writeSummary(name: string, resources: Resource[], exclusions = false): Promise<void> {
  const rs = buildResourceSummary({
    clusterSummary: { namespace: 'default', name },
    resources,
    ...(exclusions
      ? { driftExclusions: [{ paths: ['/spec/replicas'], target: { group: 'apps', kind: 'Deployment' } }] }
      : {}),
  });
  await client.apply(rs as KubeObject, { fieldManager: 'test-mgmt', force: true });
}

/**
 * Proves the agent has caught up with earlier edits: edit a probe ConfigMap watched by its own
 * summary and wait for that drift, then reset it.
 */
let probeN = 0;
async function barrier(): Promise<void> {
  await client.patch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'probe' },
    { data: { n: `${++probeN}` } },
    'merge',
  );
  await drifted('probe');
  await reset('probe');
  await baselined('probe', 1);
}

function kubectl(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('kubectl', ['--kubeconfig', server.kubeconfigPath('c1'), ...args]);
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data };
}

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS, labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  };
}

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['c1'] });
  client = await KubeClient.fromKubeconfig({ file: server.kubeconfigPath('c1') });
  for (const ns of [NS, 'projectsveltos'])
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await client.create(configMap('settings', { level: 'safe' }));
  await client.create(configMap('probe', { n: '0' }));
  await client.create(deployment());
  agent = newAgent();
  stopAgent = run(agent);
  // The agent installs the ResourceSummary CRD itself.
  await until('ResourceSummary served', () => client.resource(RS.apiVersion, RS.kind));
  await writeSummary('probe', [CM('probe')]);
  await writeSummary('app', [CM('settings'), DEPLOY], true);
});

after(async () => {
  await stopAgent?.();
  client?.close();
  await server?.stop();
});

test('a ResourceSummary gets a baseline hash per listed object and no drift', async () => {
  const rs = await baselined('app', 2);
  const kinds = rs.status?.resourceHashes?.map((h) => h.kind).sort();
  assert.deepEqual(kinds, ['ConfigMap', 'Deployment']);
  for (const h of rs.status?.resourceHashes ?? []) assert.match(h.hash ?? '', /^[0-9a-f]{64}$/);
  await baselined('probe', 1);
});

test('kubectl patch of a listed field sets resourcesChanged; the reset takes a new baseline', async () => {
  const before = await baselined('app', 2);
  const r = await kubectl(['patch', 'configmap', 'settings', '-n', NS, '-p', '{"data":{"level":"unsafe"}}']);
  assert.equal(r.code, 0, r.stderr);
  const rs = await drifted('app');
  assert.deepEqual(
    rs.status?.resourceHashes?.map((h) => h.kind),
    ['Deployment'],
    'the drifted object loses its baseline until the management plane re-applies',
  );
  // The management plane re-applies the desired content, then resets.
  await client.patch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'settings' },
    { data: { level: 'safe' } },
    'merge',
  );
  await reset('app');
  const again = await baselined('app', 2);
  assert.deepEqual(again.status?.resourceHashes, before.status?.resourceHashes, 'same content, same hashes');
});

test('a change to an excluded path (driftExclusions) or to status is not drift', async () => {
  await baselined('app', 2);
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' };
  await client.patch(ref, { spec: { replicas: 5 } }, 'merge');
  await client.patch(ref, { status: { replicas: 5 } }, 'merge', { subresource: 'status' });
  await barrier();
  const rs = await summary('app');
  assert.equal(rs.status?.resourcesChanged, false);
  assert.equal(rs.status?.resourceHashes?.length, 2);
});

test('an object annotated projectsveltos.io/driftDetectionIgnore is not drift', async () => {
  await baselined('app', 2);
  const r = await kubectl([
    'annotate',
    'configmap',
    'settings',
    '-n',
    NS,
    'projectsveltos.io/driftDetectionIgnore=ok',
  ]);
  assert.equal(r.code, 0, r.stderr);
  await barrier();
  assert.equal((await summary('app')).status?.resourcesChanged, false);
  const r2 = await kubectl([
    'annotate',
    'configmap',
    'settings',
    '-n',
    NS,
    'projectsveltos.io/driftDetectionIgnore-',
  ]);
  assert.equal(r2.code, 0, r2.stderr);
  await barrier();
  assert.equal((await summary('app')).status?.resourcesChanged, false, 'back to the baseline content');
});

test('a deleted object is drift', async () => {
  await baselined('app', 2);
  await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' });
  const rs = await drifted('app');
  assert.deepEqual(
    rs.status?.resourceHashes?.map((h) => h.kind),
    ['ConfigMap'],
  );
  await client.create(deployment());
  await reset('app');
  await baselined('app', 2);
});

test('a restarted agent reports no false drift and still detects edits', async () => {
  const before = await baselined('app', 2);
  await stopAgent();
  agent = newAgent();
  stopAgent = run(agent);
  await barrier();
  const rs = await summary('app');
  assert.equal(rs.status?.resourcesChanged, false);
  assert.deepEqual(rs.status?.resourceHashes, before.status?.resourceHashes);
  await client.patch(
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' },
    { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } },
    'strategic',
  );
  await drifted('app');
  await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: 'web' });
  await client.create(deployment());
  await reset('app');
  await baselined('app', 2);
});

test('baselines from the apply answer: an edit between the apply and the reset is still drift', async () => {
  const cm = (level: string) => ({
    ...configMap('handshake', { level }),
    metadata: { name: 'handshake', namespace: NS },
  });
  await client.apply(cm('v1'), { fieldManager: 'test-mgmt', force: true });
  await writeSummary('handshake', [CM('handshake')]);
  await baselined('handshake', 1);
  // A redeploy with new content, reset with the baselines of what was applied: no drift.
  const applied = await client.apply(cm('v2'), { fieldManager: 'test-mgmt', force: true });
  const baselines = driftBaselines({ resources: [applied] });
  await client.patch({ ...RS, name: 'handshake' }, driftResetPatch({ baselines }), 'merge', {
    subresource: 'status',
  });
  await until('the given baseline kept', async () => {
    const rs = await summary('handshake');
    return (
      rs.status?.resourcesChanged === false &&
      rs.status?.resourceHashes?.[0]?.hash === baselines.resourceHashes?.[0]?.hash
    );
  });
  await barrier();
  assert.equal(
    (await summary('handshake')).status?.resourcesChanged,
    false,
    'the agent hashes as the helper does',
  );
  // Someone edits between the apply and the reset: reported.
  const again = await client.apply(cm('v3'), { fieldManager: 'test-mgmt', force: true });
  await client.patch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'handshake' },
    { data: { level: 'tampered' } },
    'merge',
  );
  await client.patch(
    { ...RS, name: 'handshake' },
    driftResetPatch({ baselines: driftBaselines({ resources: [again] }) }),
    'merge',
    { subresource: 'status' },
  );
  await drifted('handshake');
});

test('helm and kustomize sections: each has its own flag; a drifted chart is named', async () => {
  for (const n of ['k1', 'h1', 'h2']) await client.create(configMap(n, { v: '1' }));
  const chart = (name: string) => ({ chartName: name, releaseName: `rel-${name}`, releaseNamespace: NS });
  const rs = buildResourceSummary({
    clusterSummary: { namespace: 'default', name: 'sections' },
    kustomizeResources: [CM('k1')],
    chartResources: [
      { ...chart('one'), group: [{ ...CM('h1'), ignoreForConfigurationDrift: false }] },
      { ...chart('two'), group: [{ ...CM('h2'), ignoreForConfigurationDrift: false }] },
    ],
  });
  await client.apply(rs as KubeObject, { fieldManager: 'test-mgmt', force: true });
  const base = await until('sections baselined', async () => {
    const r = await summary('sections');
    return r.status?.kustomizeResourceHashes?.length === 1 && r.status?.helmResourceHashes?.length === 2 && r;
  });
  assert.deepEqual(
    base.status?.helmResourceHashes?.map((h) => h.helmChartRef?.chartName),
    ['one', 'two'],
  );
  await client.patch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'h2' },
    { data: { v: '2' } },
    'merge',
  );
  const r = await until('helm drift', async () => {
    const x = await summary('sections');
    return x.status?.helmResourcesChanged === true && x;
  });
  assert.deepEqual(r.status?.driftedHelmCharts, [chart('two')]);
  assert.equal(r.status?.kustomizeResourcesChanged, false);
  assert.equal(r.status?.resourcesChanged, false);
  await client.patch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'k1' },
    { data: { v: '2' } },
    'merge',
  );
  await until(
    'kustomize drift',
    async () => (await summary('sections')).status?.kustomizeResourcesChanged === true,
  );
});

test('a listed object of a kind the cluster does not serve is reported as missing', async () => {
  await writeSummary('unserved', [
    CM('settings'),
    { group: 'example.com', version: 'v1', kind: 'Widget', namespace: NS, name: 'w' },
  ]);
  const rs = await drifted('unserved');
  assert.deepEqual(
    rs.status?.resourceHashes?.map((h) => h.name),
    ['settings'],
  );
  await client.delete({ ...RS, name: 'unserved' });
});

test('many ResourceSummaries share one informer per kind and namespace', async () => {
  const n = 20;
  for (let i = 0; i < n; i++) await client.create(configMap(`shared-${i}`, { i: `${i}` }));
  await client.create(configMap('common', { v: '1' }));
  for (let i = 0; i < n; i++) await writeSummary(`many-${i}`, [CM(`shared-${i}`), CM('common'), DEPLOY]);
  for (let i = 0; i < n; i++) await baselined(`many-${i}`, 3);
  // ResourceSummary/projectsveltos, ConfigMap/demo, Deployment/demo.
  assert.equal(agent.context.informers.size, 3);
  await client.patch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'common' },
    { data: { v: '2' } },
    'merge',
  );
  for (let i = 0; i < n; i++) await drifted(`many-${i}`);
  await client.patch(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'shared-3' },
    { data: { i: 'x' } },
    'merge',
  );
  assert.equal(
    (await summary('app')).status?.resourcesChanged,
    false,
    'summaries not listing it are untouched',
  );
  for (let i = 0; i < n; i++) {
    try {
      await client.delete({ ...RS, name: `many-${i}` });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
});

test('cluster-scoped objects are watched too (one informer per kind)', async () => {
  const nsRes: Resource = { group: '', version: 'v1', kind: 'Namespace', name: NS };
  await writeSummary('scoped', [nsRes]);
  await baselined('scoped', 1);
  const r = await kubectl(['label', 'namespace', NS, 'team=x']);
  assert.equal(r.code, 0, r.stderr);
  await drifted('scoped');
});
