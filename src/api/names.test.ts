import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clusterConfigurationName,
  clusterIdKey,
  clusterReportName,
  clusterSummaryName,
  clusterTypeOfKind,
  parseClusterIdKey,
  reportName,
  sveltosKubeconfigSecretName,
} from './names.js';

test('generated names follow the Sveltos conventions', () => {
  assert.equal(clusterSummaryName('ClusterProfile', 'cp', 'c1', 'Sveltos'), 'cp-sveltos-c1');
  assert.equal(clusterSummaryName('Profile', 'p', 'c1', 'Capi'), 'p--p-capi-c1');
  assert.equal(clusterConfigurationName('c1', 'Sveltos'), 'sveltos--c1');
  assert.equal(clusterReportName('ClusterProfile', 'cp', 'c1', 'Capi'), 'cp--capi--c1');
  assert.equal(clusterReportName('Profile', 'p', 'c1', 'Sveltos'), 'p--p--sveltos--c1');
  assert.equal(reportName('es', 'c1', 'Sveltos'), 'sveltos--es--c1');
  assert.equal(sveltosKubeconfigSecretName('mgmt'), 'mgmt-sveltos-kubeconfig');
  assert.equal(clusterTypeOfKind('SveltosCluster'), 'Sveltos');
  assert.equal(clusterTypeOfKind('Cluster'), 'Capi');
});

test('cluster id keys round-trip and contain no colon', () => {
  const id = { namespace: 'ns', name: 'a.b', type: 'Sveltos' } as const;
  const key = clusterIdKey(id);
  assert.equal(key, 'sveltos/ns/a.b');
  assert.ok(!key.includes(':'));
  assert.deepEqual(parseClusterIdKey(key), id);
  assert.equal(parseClusterIdKey('nope'), undefined);
});
