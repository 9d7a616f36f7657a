import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crdResourceTypes } from './crd-resource-types.js';
import { validateCRD } from './crd-validate.js';
import { sveltosCRDs } from './test-support.js';

const crds = sveltosCRDs();

test('all 29 Sveltos CRDs validate without errors', () => {
  assert.equal(crds.length, 29);
  for (const crd of crds) assert.deepEqual(validateCRD(crd, undefined), [], String(crd.metadata?.name));
});

test('all 29 Sveltos CRDs convert into one ResourceType per served version', () => {
  for (const crd of crds) {
    const served = (crd.spec as any).versions.filter((v: any) => v.served);
    const rts = crdResourceTypes(crd);
    assert.equal(rts.length, served.length, String(crd.metadata?.name));
    for (const rt of rts) {
      assert.equal(rt.crdName, crd.metadata?.name);
      assert.equal(`${rt.plural}.${rt.group}`, crd.metadata?.name);
      assert.equal(rt.builtin, false);
      assert.equal(rt.schema?.type, 'object');
      assert.ok(rt.printerColumns && rt.printerColumns.length > 0);
    }
  }
});

test('SveltosCluster: names, scope, status subresource, printer columns, storage version', () => {
  const crd = crds.find((c) => c.metadata?.name === 'sveltosclusters.lib.projectsveltos.io')!;
  const rts = crdResourceTypes(crd);
  const v1beta1 = rts.find((r) => r.version === 'v1beta1')!;
  assert.equal(v1beta1.kind, 'SveltosCluster');
  assert.equal(v1beta1.listKind, 'SveltosClusterList');
  assert.equal(v1beta1.singular, 'sveltoscluster');
  assert.equal(v1beta1.namespaced, true);
  assert.equal(v1beta1.storageVersion, 'v1beta1');
  assert.deepEqual(v1beta1.subresources, { status: true });
  assert.deepEqual(v1beta1.verbs, [
    'delete',
    'deletecollection',
    'get',
    'list',
    'patch',
    'create',
    'update',
    'watch',
  ]);
  assert.deepEqual(
    v1beta1.printerColumns!.map((c) => c.name),
    ['Ready', 'ConnectionStatus', 'Version', 'Age', 'Shard'],
  );
  assert.equal(v1beta1.printerColumns![1].priority, 1);
  assert.equal(v1beta1.printerColumns![0].jsonPath, '.status.ready');
});

test('ClusterProfile is cluster-scoped; conversion is deterministic', () => {
  const crd = crds.find((c) => c.metadata?.name === 'clusterprofiles.config.projectsveltos.io')!;
  const a = crdResourceTypes(crd);
  const b = crdResourceTypes(structuredClone(crd));
  assert.equal(a[0].namespaced, false);
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const spec = a[0].schema!.properties!.spec;
  assert.equal(spec.properties!.syncMode.default, 'Continuous');
  assert.ok(spec.properties!.helmCharts.items!.validations!.length > 0);
});

test('a version without printer columns gets the Age column; deprecated versions warn', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1alpha1',
          served: true,
          storage: false,
          deprecated: true,
          schema: { openAPIV3Schema: { type: 'object' } },
          subresources: {
            scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
          },
        },
        { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
  const [v1, alpha] = crdResourceTypes(crd);
  assert.equal(crdResourceTypes(crd).length, 2);
  assert.deepEqual(
    v1.printerColumns!.map((c) => [c.name, c.type, c.jsonPath]),
    [['Age', 'date', '.metadata.creationTimestamp']],
  );
  assert.equal(v1.singular, 'widget');
  assert.equal(v1.listKind, 'WidgetList');
  assert.deepEqual(v1.shortNames, ['wd']);
  assert.deepEqual(v1.categories, ['all']);
  assert.equal(v1.deprecationWarning, undefined);
  assert.equal(alpha.deprecationWarning, 'example.com/v1alpha1 Widget is deprecated');
  assert.equal(alpha.storageVersion, 'v1');
  assert.deepEqual(alpha.subresources.scale, {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
  });
});
