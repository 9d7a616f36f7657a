import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMBEDDED_LABEL, embeddedClusterObject, isEmbedded, kubeconfigSecret } from './embedded-clusters.js';

test('an embedded cluster is a labelled SveltosCluster in default', () => {
  const sc = embeddedClusterObject({ name: 'edge-1', labels: { env: 'prod' } });
  assert.deepEqual(sc.metadata, {
    name: 'edge-1',
    namespace: 'default',
    labels: { env: 'prod', [EMBEDDED_LABEL]: 'true' },
  });
  assert.equal(isEmbedded(sc), true);
  assert.equal(isEmbedded({ ...sc, metadata: { name: 'x', labels: { [EMBEDDED_LABEL]: 'false' } } }), false);
});

test('its kubeconfig Secret follows spec.kubeconfigName/KeyName and is owned by the cluster', () => {
  const sc = { ...embeddedClusterObject({ name: 'c1', labels: {} }), spec: {} };
  sc.metadata = { ...sc.metadata, uid: 'u-1' };
  const s = kubeconfigSecret(sc, 'apiVersion: v1\n');
  assert.equal(s.metadata?.name, 'c1-sveltos-kubeconfig');
  assert.equal(s.metadata?.namespace, 'default');
  assert.deepEqual(s.data, { kubeconfig: Buffer.from('apiVersion: v1\n').toString('base64') });
  assert.deepEqual(s.metadata?.ownerReferences, [
    { apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'SveltosCluster', name: 'c1', uid: 'u-1' },
  ]);
  const custom = kubeconfigSecret({ ...sc, spec: { kubeconfigName: 'kc', kubeconfigKeyName: 'value' } }, 'x');
  assert.equal(custom.metadata?.name, 'kc');
  assert.deepEqual(Object.keys(custom.data ?? {}), ['value']);
});
