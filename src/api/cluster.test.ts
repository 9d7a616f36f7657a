import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterIdOfReference, clusterObjectReference, isSveltosClusterReady } from './cluster.js';

test('ready means status.ready and not deleting', () => {
  assert.equal(isSveltosClusterReady({ status: { ready: true } }), true);
  assert.equal(isSveltosClusterReady({ status: { ready: false } }), false);
  assert.equal(isSveltosClusterReady({}), false);
  assert.equal(
    isSveltosClusterReady({
      metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' },
      status: { ready: true },
    }),
    false,
  );
});

test('cluster references round-trip', () => {
  const id = { namespace: 'ns', name: 'c', type: 'Sveltos' } as const;
  const ref = clusterObjectReference(id);
  assert.deepEqual(ref, {
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'SveltosCluster',
    namespace: 'ns',
    name: 'c',
  });
  assert.deepEqual(clusterIdOfReference(ref), id);
  assert.equal(clusterIdOfReference({ kind: 'Cluster', namespace: 'ns', name: 'x' }).type, 'Capi');
});
