import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../kube/index.js';
import { Cache } from '../../runtime/index.js';
import { kustomizeValues, renderKustomization } from './kustomize-render.js';
import type { KustomizeSource } from './kustomize-source.js';

const enc = new TextEncoder();
const cluster: KubeObject = { metadata: { name: 'c1', namespace: 'fleet', labels: { region: 'east' } } };
const data = { Cluster: cluster as Record<string, unknown>, MgmtResources: {} };

// Sveltos docs "Sveltos Value Injection" (addons__kustomize__03/08.yaml): the kustomize output is
// a template over the ref's values; values are templates over the management data.
const source: KustomizeSource = {
  ref: {
    kind: 'ConfigMap',
    name: 'k',
    path: './template/{{ .Cluster.metadata.name }}/',
    targetNamespace: 'eng',
    values: { Region: '{{ index .Cluster.metadata.labels "region" }}', Version: 'v1.2.0' },
    valuesFrom: [{ kind: 'ConfigMap', name: 'extra', namespace: 'default' }],
  },
  kind: 'ConfigMap',
  namespace: 'fleet',
  name: 'k',
  revision: 'r1',
  tree: new Map([
    ['template/c1/kustomization.yaml', enc.encode('resources: [deployment.yaml]\nnamespace: test\n')],
    [
      'template/c1/deployment.yaml',
      enc.encode(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: myapp-deployment\n  labels:\n    region: \'{{ default "west" .Region }}\'\n    tier: "{{ .Tier }}"\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:{{ .Version }}\n',
      ),
    ],
  ]),
};

test('values and valuesFrom feed the kustomize output template; targetNamespace wins', () => {
  const configMaps = new Cache();
  configMaps.upsert({
    kind: 'ConfigMap',
    metadata: { name: 'extra', namespace: 'default' },
    data: { Tier: 'gold' },
  });
  const values = kustomizeValues(
    source.ref,
    'kustomizationRefs[0]',
    cluster,
    { configMaps, secrets: new Cache() },
    undefined,
    data,
  );
  assert.deepEqual(values.errors, []);
  assert.deepEqual(values.values, { Region: 'east', Version: 'v1.2.0', Tier: 'gold' });
  const [d] = renderKustomization(source, 'kustomizationRefs[0]', data, values, []) as {
    metadata: { namespace: string; labels: Record<string, string> };
    spec: { template: { spec: { containers: { image: string }[] } } };
  }[];
  assert.equal(d?.metadata.namespace, 'eng');
  assert.deepEqual(d?.metadata.labels, { region: 'east', tier: 'gold' });
  assert.equal(d?.spec.template.spec.containers[0]?.image, 'nginx:v1.2.0');
});

test('a missing value is a render error naming the reference', () => {
  const values = { values: { Region: 'east' }, errors: [], templated: true };
  assert.throws(
    () => renderKustomization(source, 'kustomizationRefs[0]', data, values, []),
    (e: unknown) =>
      e instanceof Error &&
      /^kustomizationRefs\[0\] \(ConfigMap fleet\/k\): template: .*map has no entry for key "Tier"/.test(
        e.message,
      ),
  );
});
