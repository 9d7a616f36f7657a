import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type {
  ClusterConfigurationStatus,
  ClusterSetStatus,
  ResourceSummarySpec,
  SveltosClusterSpec,
} from './index.js';
import { sveltosResources, sveltosTypes } from './index.js';

test('src/api/generated is up to date with assets/sveltos/crds.yaml', () => {
  // Tests run from the repository root (npm scripts and node --test both do).
  const r = spawnSync(process.execPath, [join(process.cwd(), 'scripts/gen-api.mjs'), '--check'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
});

test('every Sveltos kind has its GVK', () => {
  assert.equal(Object.keys(sveltosResources).length, 29);
  assert.deepEqual(sveltosTypes.SveltosCluster, {
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'SveltosCluster',
  });
  assert.deepEqual(sveltosTypes.ClusterProfile, {
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterProfile',
  });
  assert.equal(sveltosResources.EventTrigger.group, 'lib.projectsveltos.io');
  assert.equal(sveltosResources.ClusterProfile.namespaced, false);
});

test('JSON field-name oddities are kept (API.md 14.16)', () => {
  // Compile-time checks: these assignments fail to type-check if a field is renamed.
  const cfg: ClusterConfigurationStatus = {
    clusterProfileResources: [{ clusterProfileName: 'a', Features: [] }],
  };
  const set: ClusterSetStatus = { matchingClusterRefs: [], selectedClusterRefs: [] };
  const rs: ResourceSummarySpec = {
    chartResources: [{ chartName: 'c', releaseName: 'r', releaseNamespace: 'n', group: [] }],
  };
  const sc: SveltosClusterSpec = { data: { k: 'v' }, consecutiveFailureThreshold: 3 };
  assert.ok(cfg && set && rs && sc);
});
