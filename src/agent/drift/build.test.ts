import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildResourceSummary, driftBaselines, driftExclusionsToPatches, driftResetPatch } from './build.js';
import { driftHash } from './hash.js';

test('buildResourceSummary: names, annotations, spec lists and exclusions as patches', () => {
  const rs = buildResourceSummary({
    clusterSummary: { namespace: 'c-ns', name: 'p-sveltos-c1' },
    resources: [{ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'd', name: 'x' }],
    driftExclusions: [{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }, { paths: [] }],
  });
  assert.equal(rs.metadata?.name, 'p-sveltos-c1');
  assert.equal(rs.metadata?.namespace, 'projectsveltos');
  assert.equal(rs.metadata?.annotations?.['projectsveltos.io/cluster-summary-namespace'], 'c-ns');
  assert.equal(rs.metadata?.annotations?.['projectsveltos.io/cluster-summary-name'], 'p-sveltos-c1');
  assert.equal(rs.spec?.resources?.length, 1);
  assert.equal(rs.spec?.kustomizeResources, undefined);
  assert.deepEqual(rs.spec?.patches, [
    { patch: '[{"op":"remove","path":"/spec/replicas"}]', target: { kind: 'Deployment' } },
  ]);
});

test('driftExclusionsToPatches: one remove op per path', () => {
  assert.deepEqual(driftExclusionsToPatches([{ paths: ['/a', '/b'] }]), [
    { patch: '[{"op":"remove","path":"/a"},{"op":"remove","path":"/b"}]' },
  ]);
});

test('driftResetPatch clears flags and, unless kept, baselines', () => {
  assert.equal(driftResetPatch().status.resourceHashes, null);
  assert.equal(driftResetPatch().status.resourcesChanged, false);
  assert.equal('resourceHashes' in driftResetPatch({ keepBaselines: true }).status, false);
});

test('driftBaselines hashes applied objects as the agent does; the reset carries them', () => {
  const obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'd', resourceVersion: '7' },
    spec: { replicas: 2 },
  };
  const patches = driftExclusionsToPatches([{ paths: ['/spec/replicas'] }]);
  const chart = { chartName: 'c', releaseName: 'r', releaseNamespace: 'n' };
  const b = driftBaselines({ resources: [obj], helm: [{ object: obj, chart }] }, patches);
  assert.deepEqual(b.resourceHashes, [
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'd',
      name: 'w',
      hash: driftHash(obj, patches),
    },
  ]);
  assert.deepEqual(b.helmResourceHashes?.[0]?.helmChartRef, chart);
  assert.equal(
    b.resourceHashes?.[0]?.hash,
    driftHash({ ...obj, spec: { replicas: 9 } }, patches),
    'exclusions apply',
  );
  const reset = driftResetPatch({ baselines: b }).status;
  assert.deepEqual(reset.resourceHashes, b.resourceHashes);
  assert.equal(reset.kustomizeResourceHashes, null);
});
