// Profile `patches` on Helm charts (Sveltos applies them through a Helm post-renderer): the
// templated patch reaches the chart's Deployment and the release manifest, a patch change
// upgrades the release, and an unusable patch fails the feature without touching the release.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ChartRepo, fixtureChart, startChartRepo } from '../../src/helm/testing/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { CP, type Fleet, getOrUndefined, startFleet, until } from './addon-harness.js';
import {
  CNPG_CHARTS,
  decodeReleaseSecret,
  helmProfile,
  helmStatus,
  releaseSecrets,
} from './addon-helm-helpers.js';

let fleet: Fleet;
let repo: ChartRepo;

before(async () => {
  repo = await startChartRepo({ charts: CNPG_CHARTS.map(fixtureChart) });
  fleet = await startFleet(['patched']);
  await fleet.register('patched', { case: 'patched', region: 'eu-1' });
  fleet.startControllers();
});

after(async () => {
  await fleet?.close();
  await repo?.stop();
});

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'cnpg-system',
  name: 'cnpg-cloudnative-pg',
};

function patch(label: string): Record<string, unknown> {
  return {
    target: { kind: 'Deployment', name: 'cnpg-cloudnative-pg' },
    patch: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cnpg-cloudnative-pg\n  labels:\n    flotilla.dev/region: ${label}\n`,
  };
}

async function history(): Promise<string> {
  const s = await releaseSecrets(await fleet.client('patched'), 'cnpg-system', 'cnpg');
  return s.map((x) => `${x.metadata?.labels?.version}:${x.metadata?.labels?.status}`).join(',');
}

async function regionLabel(): Promise<string | undefined> {
  const d = await getOrUndefined(await fleet.client('patched'), DEPLOYMENT);
  return d?.metadata?.labels?.['flotilla.dev/region'];
}

async function setPatches(patches: Record<string, unknown>[]): Promise<void> {
  const cur = await fleet.mgmt.get<KubeObject & { spec: Record<string, unknown> }>({
    ...CP,
    name: 'patched',
  });
  cur.spec.patches = patches;
  await fleet.mgmt.update(cur);
}

test('profile patches are applied to the chart manifests, templated with the cluster', async () => {
  await fleet.mgmt.create(
    helmProfile('patched', {
      clusterSelector: { matchLabels: { case: 'patched' } },
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
      patches: [patch('"{{ .Cluster.metadata.labels.region }}"')],
    }),
  );
  // The objects are applied before the release record is marked deployed, as in Helm.
  await until('installed with the patch', async () => (await regionLabel()) === 'eu-1');
  await until('release 1 deployed', async () => (await history()) === '1:deployed');
  const rel = decodeReleaseSecret(
    (await releaseSecrets(await fleet.client('patched'), 'cnpg-system', 'cnpg'))[0]!,
  );
  assert.match(
    String(rel.manifest),
    /flotilla\.dev\/region: eu-1/,
    'the release manifest is the post-rendered one',
  );
});

test('changing the patch upgrades the release', async () => {
  await setPatches([patch('us-2')]);
  await until('upgraded with the new patch', async () => (await regionLabel()) === 'us-2');
  await until('release 2 deployed', async () => (await history()) === '1:superseded,2:deployed');
});

test('an unusable patch fails the Helm feature and leaves the release alone', async () => {
  await setPatches([
    { target: { kind: 'Deployment' }, patch: '[{"op": "replace", "path": "/no/such/path", "value": 1}]' },
  ]);
  const st = await until('Failed on the patch', async () => {
    const s = await helmStatus(fleet.mgmt, 'patched-sveltos-patched');
    return s.feature?.status === 'Failed' && s;
  });
  assert.match(st.feature?.failureMessage ?? '', /cloudnative-pg/);
  assert.match(st.feature?.failureMessage ?? '', /no\/such\/path|patch/i);
  assert.equal(await history(), '1:superseded,2:deployed');
  assert.equal(await regionLabel(), 'us-2');
});
