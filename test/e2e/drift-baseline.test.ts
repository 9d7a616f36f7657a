// The management plane sets the drift baselines: after a deploy with ContinuousWithDriftDetection
// the add-on controller writes, for each feature (Resources, Kustomize, Helm), the hashes of the
// objects it applied into the ResourceSummary status. So an edit that lands between the apply and
// the agent's first look is drift, not a new baseline. Made deterministic by running no agent
// while the controller deploys; the objects are edited, then the agent starts and must correct
// all three.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  createAgent,
  decideDrift,
  driftExclusionsToPatches,
  driftHash,
  driftModule,
} from '../../src/agent/index.js';
import type { HelmResourceHash, ResourceSummary } from '../../src/api/index.js';
import { appliedBaselines, driftPatchesOf } from '../../src/controllers/addon/summary-records.js';
import { writeTarGz } from '../../src/helm/chart/index.js';
import { type ChartRepo, fixtureChart, startChartRepo } from '../../src/helm/testing/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import { CP, CS, type Fleet, FLEET_NS, getOrUndefined, startFleet, until } from './addon-harness.js';
import { CNPG_CHARTS } from './addon-helm-helpers.js';

let fleet: Fleet;
let repo: ChartRepo;
let c1: KubeClient;
const stopAgent = new AbortController();
let agentRun: Promise<void> | undefined;

const SUMMARY = 'baselined-sveltos-c1';
const RS = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'ResourceSummary',
  namespace: 'projectsveltos',
};
const POLICY_CM = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo', name: 'from-policy' };
const KUSTOMIZE_CM = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo', name: 'from-kustomize' };
const HELM_DEPLOY = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'cnpg-system',
  name: 'cnpg-cloudnative-pg',
};

function kustomizeArchive(): string {
  const text = (s: string) => new TextEncoder().encode(s);
  return Buffer.from(
    writeTarGz([
      { name: './kustomization.yaml', data: text('resources:\n- cm.yaml\n') },
      {
        name: './cm.yaml',
        data: text(
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-kustomize\n  namespace: demo\ndata:\n  level: safe\n',
        ),
      },
    ]),
  ).toString('base64');
}

before(async () => {
  repo = await startChartRepo({ charts: CNPG_CHARTS.map(fixtureChart) });
  fleet = await startFleet(['c1']);
  await fleet.register('c1', { baseline: 'on' });
  fleet.startControllers();
  c1 = await fleet.client('c1');
});

after(async () => {
  stopAgent.abort();
  await agentRun;
  await fleet?.close();
  await repo?.stop();
});

const rs = async () => (await getOrUndefined(c1, { ...RS, name: SUMMARY })) as ResourceSummary | undefined;

async function featuresProvisioned(): Promise<boolean> {
  const cs = await getOrUndefined(fleet.mgmt, { ...CS, namespace: FLEET_NS, name: SUMMARY });
  const fs = (cs?.status as { featureSummaries?: { featureID: string; status?: string }[] } | undefined)
    ?.featureSummaries;
  return ['Helm', 'Kustomize', 'Resources'].every(
    (id) => fs?.find((f) => f.featureID === id)?.status === 'Provisioned',
  );
}

function entryFor(
  hashes: readonly HelmResourceHash[] | undefined,
  ref: typeof POLICY_CM | typeof HELM_DEPLOY,
) {
  return hashes?.find((h) => h.kind === ref.kind && h.namespace === ref.namespace && h.name === ref.name);
}

test('controller baselines equal the agent hashes, driftExclusions included (pure)', () => {
  const deployment = (image: string, replicas: number): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'demo',
      uid: 'u1',
      resourceVersion: '9',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '3' },
      managedFields: [{ manager: 'application/apply-patch' }],
    },
    spec: { replicas, template: { spec: { containers: [{ name: 'c', image }] } } },
    status: { readyReplicas: replicas },
  });
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', uid: 'u2' } };
  const applied = [deployment('nginx:1', 2), ns];
  // As the ClusterSummary carries them (paths may be missing), and as the agent's API types them.
  const exclusions = [{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }, { paths: [] }, {}];
  const patches = driftPatchesOf(exclusions);
  assert.deepEqual(
    patches,
    driftExclusionsToPatches([{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }]),
  );
  const chart = { chartName: 'c', releaseName: 'r', releaseNamespace: 'demo' };
  const fresh = appliedBaselines(
    applied.map((object) => ({ object })),
    exclusions,
  );
  const helm = appliedBaselines([{ object: applied[0]!, chart }], exclusions);
  assert.deepEqual(
    fresh.map((e) => [e.kind, e.namespace, e.hash]),
    [
      ['Deployment', 'demo', driftHash(applied[0]!, patches)],
      ['Namespace', undefined, driftHash(ns, patches)],
    ],
  );
  assert.deepEqual(helm[0]?.helmChartRef, chart);
  assert.equal(helm[0]?.hash, fresh[0]?.hash);

  // The agent, given these baselines, keeps them for the untouched and the excluded-only edit,
  // and reports a real edit.
  const list = [
    { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'demo', name: 'web' },
    { group: '', version: 'v1', kind: 'Namespace', name: 'demo' },
  ];
  const summary = (): ResourceSummary => ({
    spec: {
      resources: list,
      chartResources: [{ ...chart, group: [{ ...list[0]!, ignoreForConfigurationDrift: false }] }],
      patches,
    },
    status: { resourceHashes: fresh, helmResourceHashes: helm },
  });
  const observe = (dep: KubeObject) => (t: { kind: string }) =>
    ({
      type: 'present',
      hash: driftHash(t.kind === 'Deployment' ? dep : ns, patches),
      ignored: false,
    }) as const;
  for (const live of [deployment('nginx:1', 2), deployment('nginx:1', 5)]) {
    const plan = decideDrift(summary(), observe(live));
    assert.deepEqual(plan.drifted, []);
    assert.deepEqual(plan.status.resourceHashes, fresh);
    assert.deepEqual(plan.status.helmResourceHashes, helm);
  }
  const plan = decideDrift(summary(), observe(deployment('nginx:2', 2)));
  assert.deepEqual(
    plan.drifted.map((t) => t.section),
    ['resources', 'helm'],
  );
  assert.equal(plan.status.resourcesChanged, true);
  assert.equal(plan.status.helmResourcesChanged, true);
});

const data = async (ref: typeof POLICY_CM) => ((await c1.get(ref)).data ?? {}) as Record<string, string>;
const replicas = async () => ((await c1.get(HELM_DEPLOY)).spec as { replicas?: number }).replicas;

test('an edit made before the agent first looks is drift: all three sections corrected', async () => {
  const { mgmt } = fleet;
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'policy-src', namespace: 'default' },
    data: {
      'content.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-policy\n  namespace: demo\ndata:\n  level: safe\n  free: "1"\n',
    },
  });
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kustomize-src', namespace: 'default' },
    binaryData: { 'kustomize.tar.gz': kustomizeArchive() },
  });
  await mgmt.create({
    ...CP,
    metadata: { name: 'baselined' },
    spec: {
      clusterSelector: { matchLabels: { baseline: 'on' } },
      syncMode: 'ContinuousWithDriftDetection',
      policyRefs: [{ kind: 'ConfigMap', name: 'policy-src', namespace: 'default' }],
      kustomizationRefs: [{ kind: 'ConfigMap', name: 'kustomize-src', namespace: 'default', path: './' }],
      helmCharts: [
        {
          repositoryURL: repo.url,
          repositoryName: 'cloudnative-pg',
          chartName: 'cloudnative-pg/cloudnative-pg',
          chartVersion: '0.22.1',
          releaseName: 'cnpg',
          releaseNamespace: 'cnpg-system',
        },
      ],
      driftExclusions: [{ paths: ['/data/free'], target: { kind: 'ConfigMap', name: 'from-policy' } }],
    },
  });

  // No agent runs: every hash in the status was written by the management plane.
  const before = await until(
    'deployed, with baselines from the management plane in all three sections',
    async () => {
      if (!(await featuresProvisioned())) return false;
      const r = await rs();
      const st = r?.status;
      return (
        entryFor(st?.resourceHashes, POLICY_CM) &&
        entryFor(st?.kustomizeResourceHashes, KUSTOMIZE_CM) &&
        entryFor(st?.helmResourceHashes, HELM_DEPLOY) &&
        r
      );
    },
    60_000,
  );
  const st = before.status ?? {};
  assert.equal(st.resourcesChanged, false);
  assert.equal(st.kustomizeResourcesChanged, false);
  assert.equal(st.helmResourcesChanged, false);
  assert.equal(entryFor(st.helmResourceHashes, HELM_DEPLOY)?.helmChartRef?.releaseName, 'cnpg');
  // The management plane hashes exactly as the agent does (spec.patches included): every entry
  // matches the live, untouched object.
  const patches = before.spec?.patches ?? [];
  assert.equal(patches.length, 1, 'driftExclusions travel as spec.patches');
  const all = [
    ...(st.resourceHashes ?? []),
    ...(st.kustomizeResourceHashes ?? []),
    ...(st.helmResourceHashes ?? []),
  ];
  for (const e of all) {
    const live = await c1.get<KubeObject>({
      apiVersion: e.group ? `${e.group}/${e.version}` : e.version,
      kind: e.kind,
      ...(e.namespace ? { namespace: e.namespace } : {}),
      name: e.name,
    });
    assert.equal(e.hash, driftHash(live, patches), `${e.kind} ${e.namespace ?? ''}/${e.name}`);
  }

  // The race, made deterministic: the edits land after the apply, before the agent's first look.
  await c1.patch(POLICY_CM, { data: { level: 'tampered' } }, 'merge');
  await c1.patch(KUSTOMIZE_CM, { data: { level: 'tampered' } }, 'merge');
  await c1.patch(HELM_DEPLOY, { spec: { replicas: 7 } }, 'merge');

  agentRun = createAgent({
    client: c1,
    clusterName: 'c1',
    clusterNamespace: FLEET_NS,
    clusterType: 'Sveltos',
    modules: [driftModule()],
  }).start(stopAgent.signal);

  await until('policyRefs object corrected', async () => (await data(POLICY_CM)).level === 'safe', 30_000);
  await until('kustomize object corrected', async () => (await data(KUSTOMIZE_CM)).level === 'safe', 30_000);
  await until('chart Deployment corrected', async () => (await replicas()) === 1, 30_000);
  const settled = await until(
    'settled: flags false, baselines of the corrected objects',
    async () => {
      const r = await rs();
      const s = r?.status;
      return (
        s?.resourcesChanged === false &&
        s.kustomizeResourcesChanged === false &&
        s.helmResourcesChanged === false &&
        entryFor(s.resourceHashes, POLICY_CM)?.hash === entryFor(st.resourceHashes, POLICY_CM)?.hash &&
        entryFor(s.kustomizeResourceHashes, KUSTOMIZE_CM)?.hash ===
          entryFor(st.kustomizeResourceHashes, KUSTOMIZE_CM)?.hash &&
        r
      );
    },
    30_000,
  );
  assert.ok(settled);

  // An edit of an excluded path only is not drift (same hash on both sides).
  await c1.patch(POLICY_CM, { data: { free: '2' } }, 'merge');
  const edited = await c1.get<KubeObject>(POLICY_CM);
  assert.equal(driftHash(edited, patches), entryFor(st.resourceHashes, POLICY_CM)?.hash);
});
