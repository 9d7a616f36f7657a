import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBuiltinTypes } from '../catalog/builtin.js';
import type { ResourceType, SchemaNode } from '../contracts.js';
import { definitionName } from './crd-openapi.js';
import { createPublisher, publisher } from './publisher.js';

const builtins = buildBuiltinTypes();
const spec: SchemaNode = {
  type: 'object',
  description: 'ClusterProfileSpec defines the desired state of ClusterProfile',
  properties: {
    clusterSelector: {
      type: 'object',
      properties: {
        matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
        matchExpressions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'operator'],
            properties: { key: { type: 'string' }, operator: { type: 'string' } },
          },
          listType: 'atomic',
        },
      },
      mapType: 'atomic',
    },
    syncMode: { type: 'string', enum: ['OneTime', 'Continuous'], default: 'Continuous' },
    tier: { type: 'integer', format: 'int32', minimum: 1, nullable: true },
    port: { intOrString: true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
  },
  validations: [{ rule: 'self.tier > 0' }],
};
const clusterProfile: ResourceType = {
  group: 'config.projectsveltos.io',
  version: 'v1beta1',
  kind: 'ClusterProfile',
  listKind: 'ClusterProfileList',
  plural: 'clusterprofiles',
  singular: 'clusterprofile',
  namespaced: false,
  shortNames: [],
  categories: [],
  verbs: [],
  subresources: { status: true },
  storageVersion: 'v1beta1',
  builtin: false,
  schema: { type: 'object', properties: { spec, status: { type: 'object' } } },
};
const types = [...builtins, clusterProfile];
const CP = 'io.projectsveltos.config.v1beta1.ClusterProfile';

describe('definition names', () => {
  it('reverses the group as kube-apiserver names CRD definitions', () => {
    assert.equal(definitionName('stable.example.com', 'v1', 'CronTab'), 'com.example.stable.v1.CronTab');
    assert.equal(definitionName('config.projectsveltos.io', 'v1beta1', 'ClusterProfile'), CP);
  });
});

describe('/openapi/v2', () => {
  const doc: any = publisher.openapiV2(types);
  it('keeps the served built-in paths and drops the unserved ones', () => {
    assert.equal(doc.swagger, '2.0');
    assert.ok(doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']);
    assert.ok(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments']);
    assert.ok(doc.paths['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}']);
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/podtemplates'], undefined);
    assert.equal(doc.paths['/apis/flowcontrol.apiserver.k8s.io/'], undefined);
    assert.ok(doc.paths['/version/']);
  });
  it('keeps the built-in definitions with their patch metadata', () => {
    const containers = doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  });
  it('adds CRD definitions in v2 form, with group-version-kind and ObjectMeta', () => {
    const d = doc.definitions[CP];
    assert.deepEqual(d['x-kubernetes-group-version-kind'], [
      { group: 'config.projectsveltos.io', kind: 'ClusterProfile', version: 'v1beta1' },
    ]);
    assert.equal(d.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const s = d.properties.spec.properties;
    assert.equal(s.syncMode.default, 'Continuous');
    assert.equal(s.tier.nullable, undefined, 'v2 has no nullable');
    assert.equal(s.port.anyOf, undefined, 'v2 has no anyOf');
    assert.equal(s.port['x-kubernetes-int-or-string'], true);
    assert.equal(doc.definitions[`${CP}List`].properties.items.items.$ref, `#/definitions/${CP}`);
  });
  it('adds the CRD paths', () => {
    const item = doc.paths['/apis/config.projectsveltos.io/v1beta1/clusterprofiles/{name}'];
    assert.equal(item.patch['x-kubernetes-group-version-kind'].kind, 'ClusterProfile');
    assert.ok(doc.paths['/apis/config.projectsveltos.io/v1beta1/clusterprofiles/{name}/status']);
    assert.ok(doc.paths['/apis/config.projectsveltos.io/v1beta1/']);
  });
  it('is cached per set of types, whatever their order', () => {
    assert.equal(publisher.openapiV2([...types].reverse()), doc);
    assert.notEqual(publisher.openapiV2(builtins), doc);
  });
});

describe('/openapi/v3', () => {
  const p = createPublisher();
  it('indexes every served group-version with a content hash under the cluster prefix', () => {
    const idx: any = p.openapiV3Index(types, '/clusters/c1');
    for (const key of [
      'api',
      'api/v1',
      'apis',
      'apis/apps/v1',
      'apis/config.projectsveltos.io/v1beta1',
      'version',
    ]) {
      assert.match(
        idx.paths[key].serverRelativeURL,
        new RegExp(`^/clusters/c1/openapi/v3/${key.replaceAll('.', '\\.')}\\?hash=[0-9A-F]{128}$`),
      );
    }
    assert.equal(idx.paths['apis/flowcontrol.apiserver.k8s.io/v1'], undefined);
    const again: any = createPublisher().openapiV3Index(types, '/clusters/c1');
    assert.deepEqual(again, idx, 'hashes are stable');
  });
  it('returns undefined for a group-version that is not served', () => {
    assert.equal(p.openapiV3(types, 'apis/flowcontrol.apiserver.k8s.io/v1'), undefined);
  });
  it('publishes built-in kinds with components refs, allOf-wrapped when described', () => {
    const doc: any = p.openapiV3(types, 'apis/apps/v1');
    assert.equal(doc.openapi, '3.0.0');
    const dep = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    assert.deepEqual(dep.properties.metadata.allOf, [
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    ]);
    assert.ok(doc.components.schemas['io.k8s.api.core.v1.PodSpec'], 'reachable schemas are included');
    assert.equal(doc.components.schemas['io.k8s.api.batch.v1.Job'], undefined, 'other groups are not');
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
    assert.ok(patch.parameters.some((x: any) => x.name === 'fieldValidation' && x.in === 'query'));
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], {
      group: 'apps',
      kind: 'Deployment',
      version: 'v1',
    });
    assert.ok(
      patch.responses['200'].content['application/json'].schema.$ref.endsWith(
        'io.k8s.api.apps.v1.Deployment',
      ),
    );
  });
  it('publishes CRD kinds with their full v3 schema and fieldValidation on PATCH', () => {
    const doc: any = p.openapiV3(types, '/apis/config.projectsveltos.io/v1beta1');
    const d = doc.components.schemas[CP];
    assert.deepEqual(d['x-kubernetes-group-version-kind'], [
      { group: 'config.projectsveltos.io', kind: 'ClusterProfile', version: 'v1beta1' },
    ]);
    const s = d.properties.spec;
    assert.equal(s.description, spec.description);
    assert.equal(s['x-kubernetes-validations'][0].rule, 'self.tier > 0');
    assert.equal(s.properties.tier.nullable, true);
    assert.equal(s.properties.clusterSelector['x-kubernetes-map-type'], 'atomic');
    assert.equal(
      s.properties.clusterSelector.properties.matchExpressions['x-kubernetes-list-type'],
      'atomic',
    );
    assert.deepEqual(s.properties.syncMode.enum, ['OneTime', 'Continuous']);
    assert.equal(
      d.properties.metadata.allOf[0].$ref,
      '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    );
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    const patch = doc.paths['/apis/config.projectsveltos.io/v1beta1/clusterprofiles/{name}'].patch;
    assert.ok(patch.parameters.some((x: any) => x.name === 'fieldValidation'));
    assert.deepEqual(Object.keys(patch.requestBody.content).sort(), [
      'application/apply-patch+yaml',
      'application/json-patch+json',
      'application/merge-patch+json',
    ]);
  });
  it('shares group-version documents between type sets that serve the same types there', () => {
    const withCrd = p.openapiV3(types, 'apis/apps/v1');
    const withoutCrd = p.openapiV3(builtins, 'apis/apps/v1');
    assert.equal(withCrd, withoutCrd);
    const a: any = p.openapiV3Index(types, '/clusters/a');
    const b: any = p.openapiV3Index(builtins, '/clusters/b');
    assert.equal(
      a.paths['api/v1'].serverRelativeURL.split('?')[1],
      b.paths['api/v1'].serverRelativeURL.split('?')[1],
    );
    assert.equal(b.paths['apis/config.projectsveltos.io/v1beta1'], undefined);
  });
  it('rebuilds when a CRD schema changes', () => {
    const before: any = p.openapiV3(types, 'apis/config.projectsveltos.io/v1beta1');
    const changed = {
      ...clusterProfile,
      schema: { type: 'object', properties: { spec: { type: 'object', description: 'v2' } } },
    } as ResourceType;
    const after: any = p.openapiV3([...builtins, changed], 'apis/config.projectsveltos.io/v1beta1');
    assert.notEqual(after, before);
    assert.equal(after.components.schemas[CP].properties.spec.description, 'v2');
  });
});
