import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  builtinKinds,
  builtinSchemasLoadMillis,
  convertDefinitions,
  loadBuiltinSchemas,
  SchemaConverter,
} from './index.js';

const schemas = loadBuiltinSchemas();

test('indexes built-in kinds by group/version/kind', () => {
  const dep = schemas.forKind('apps', 'v1', 'Deployment');
  assert.ok(dep);
  assert.equal(dep.ref, 'io.k8s.api.apps.v1.Deployment');
  assert.ok(schemas.forKind('', 'v1', 'Pod'));
  assert.ok(schemas.forKind('', 'v1', 'ConfigMap'));
  assert.ok(schemas.forKind('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'));
  assert.equal(schemas.forKind('apps', 'v1', 'NoSuchKind'), undefined);
  assert.ok(builtinKinds().length > 150);
  assert.ok(builtinSchemasLoadMillis() >= 0);
});

test('resolves $refs into shared nodes and keeps patch metadata on list properties', () => {
  const pod = schemas.forKind('', 'v1', 'Pod')!;
  const spec = pod.properties!.spec!;
  assert.equal(spec.ref, 'io.k8s.api.core.v1.PodSpec');
  const containers = spec.properties!.containers!;
  assert.equal(containers.type, 'array');
  assert.equal(containers.patchStrategy, 'merge');
  assert.equal(containers.patchMergeKey, 'name');
  assert.equal(containers.listType, 'map');
  assert.deepEqual(containers.listMapKeys, ['name']);
  // shared node: the Deployment's pod template spec is the very same object
  const dep = schemas.forKind('apps', 'v1', 'Deployment')!;
  assert.equal(dep.properties!.spec!.properties!.template!.properties!.spec, spec);
  const ports = containers.items!.properties!.ports!;
  assert.deepEqual(ports.listMapKeys, ['containerPort', 'protocol']);
});

test('maps special definitions: IntOrString, Quantity, Time, RawExtension, FieldsV1', () => {
  const svc = schemas.forKind('', 'v1', 'Service')!;
  const targetPort = svc.properties!.spec!.properties!.ports!.items!.properties!.targetPort!;
  assert.equal(targetPort.intOrString, true);
  assert.equal(targetPort.type, undefined);
  const pod = schemas.forKind('', 'v1', 'Pod')!;
  const limits =
    pod.properties!.spec!.properties!.containers!.items!.properties!.resources!.properties!.limits!;
  assert.deepEqual(
    (limits.additionalProperties as any).anyOf.map((x: any) => x.type),
    ['string', 'number'],
  );
  const meta = pod.properties!.metadata!;
  assert.equal(meta.properties!.creationTimestamp!.format, 'date-time');
  assert.equal(meta.properties!.creationTimestamp!.type, 'string');
  const mf = meta.properties!.managedFields!;
  assert.equal(mf.listType, 'atomic');
  assert.equal(mf.items!.properties!.fieldsV1!.preserveUnknownFields, true);
  assert.equal(mf.items!.properties!.time!.format, 'date-time');
  const cr = schemas.forKind('apps', 'v1', 'ControllerRevision')!;
  assert.equal(cr.properties!.data!.preserveUnknownFields, true);
});

test('a $ref property with its own extensions gets its own node', () => {
  const dep = schemas.forKind('apps', 'v1', 'Deployment')!;
  const strategy = dep.properties!.spec!.properties!.strategy!;
  assert.equal(strategy.patchStrategy, 'retainKeys');
  assert.equal(strategy.ref, 'io.k8s.api.apps.v1.DeploymentStrategy');
  assert.ok(strategy.properties!.rollingUpdate);
  const selector = dep.properties!.spec!.properties!.selector!;
  assert.equal(selector.mapType, 'atomic');
  const volumes = schemas.forKind('', 'v1', 'Pod')!.properties!.spec!.properties!.volumes!;
  assert.equal(volumes.patchStrategy, 'merge,retainKeys');
});

test('definitions by name', () => {
  const om = schemas.definition!('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!;
  assert.equal(
    om.properties!.labels!.additionalProperties && typeof om.properties!.labels!.additionalProperties,
    'object',
  );
  assert.equal(om, schemas.forKind('', 'v1', 'Pod')!.properties!.metadata);
  assert.equal(schemas.definition!('nope'), undefined);
});

test('exposes the raw swagger and loads it once', () => {
  assert.equal(schemas.swagger.swagger, '2.0');
  assert.ok(schemas.swagger.definitions['io.k8s.api.core.v1.Pod']);
  assert.equal(loadBuiltinSchemas().swagger, schemas.swagger);
});

test('every definition converts, and the converter shares one node per definition', () => {
  const defs = schemas.swagger.definitions as Record<string, any>;
  const { nodes } = convertDefinitions(defs);
  assert.equal(nodes.size, Object.keys(defs).length);
  const c = new SchemaConverter(defs);
  const pod = c.node('io.k8s.api.core.v1.Pod')!;
  assert.ok(c.converted < Object.keys(defs).length, 'only what Pod reaches is converted');
  assert.equal(c.node('io.k8s.api.core.v1.PodSpec'), pod.properties!.spec);
  assert.equal(c.node('no.such.Definition'), undefined);
});
