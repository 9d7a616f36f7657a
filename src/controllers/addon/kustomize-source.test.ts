import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeTarGz } from '../../helm/chart/index.js';
import { Cache } from '../../runtime/index.js';
import { durationMs, resolveKustomizeSource, treeOfArchive } from './kustomize-source.js';

const enc = new TextEncoder();
const gz = writeTarGz([
  { name: './kustomization.yaml', data: enc.encode('resources: [cm.yaml]\n') },
  { name: './cm.yaml', data: enc.encode('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n') },
]);

test('an archive becomes a tree without ./ prefixes', () => {
  assert.deepEqual([...treeOfArchive(gz, 'test').keys()].sort(), ['cm.yaml', 'kustomization.yaml']);
});

test('Go durations of remoteURL.interval', () => {
  assert.equal(durationMs('5m'), 300_000);
  assert.equal(durationMs('1h30m'), 5_400_000);
  assert.equal(durationMs('250ms'), 250);
  assert.equal(durationMs('soon'), undefined);
  assert.equal(durationMs('5m garbage'), undefined);
});

const cluster = { metadata: { name: 'c1', namespace: 'fleet' } };

function env(objs: Record<string, unknown>[]) {
  const configMaps = new Cache();
  const secrets = new Cache();
  for (const o of objs) (o.kind === 'Secret' ? secrets : configMaps).upsert(o as never);
  // Only Flux kinds reach the management client; these cases never do.
  return { mgmt: undefined as never, caches: { configMaps, secrets }, cluster, profileNamespace: undefined };
}

test('ConfigMap binaryData, Secret data, templated names, optional and missing references', async () => {
  const b64 = Buffer.from(gz).toString('base64');
  const e = env([
    {
      kind: 'ConfigMap',
      metadata: { name: 'k-c1', namespace: 'fleet' },
      binaryData: { 'kustomize.tar.gz': b64 },
    },
    { kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { 'kustomize.tar.gz': b64 } },
    { kind: 'ConfigMap', metadata: { name: 'two', namespace: 'default' }, data: { a: b64, b: b64 } },
  ]);
  const cm = await resolveKustomizeSource(
    { kind: 'ConfigMap', name: 'k-{{ .Cluster.metadata.name }}' },
    0,
    e,
  );
  assert.ok('source' in cm && cm.source.tree.has('kustomization.yaml') && cm.source.namespace === 'fleet');
  const s = await resolveKustomizeSource({ kind: 'Secret', name: 's', namespace: 'default' }, 1, e);
  assert.ok('source' in s && s.source.tree.has('cm.yaml'));
  const opt = await resolveKustomizeSource({ kind: 'ConfigMap', name: 'nope', optional: true }, 2, e);
  assert.ok('skipped' in opt);
  const missing = await resolveKustomizeSource({ kind: 'ConfigMap', name: 'nope' }, 3, e);
  assert.ok(
    'error' in missing && /kustomizationRefs\[3\] ConfigMap fleet\/nope: not found/.test(missing.error),
  );
  const two = await resolveKustomizeSource({ kind: 'ConfigMap', name: 'two', namespace: 'default' }, 4, e);
  assert.ok('error' in two && /exactly one key/.test(two.error));
  const oci = await resolveKustomizeSource({ remoteURL: { url: 'oci://ghcr.io/x/y:1' } }, 5, e);
  assert.ok('error' in oci && /oci:\/\/ is not yet/.test(oci.error));
});
