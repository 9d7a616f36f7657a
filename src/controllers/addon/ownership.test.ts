import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectHash } from './object-hash.js';
import { releaseOwnershipPatch, stampOwnership } from './ownership.js';

test('stamping adds the Sveltos ownership label/annotations and a sha256 hash of the object', () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', namespace: 'x', labels: { k: 'v' } },
    data: { b: '1' },
  };
  const { obj: out, hash } = stampOwnership(
    obj,
    { kind: 'ClusterProfile', name: 'p', tier: 100 },
    { kind: 'ConfigMap', namespace: 'default', name: 'src', tier: 100 },
  );
  const md = out.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
  assert.deepEqual(md.labels, { k: 'v', 'projectsveltos.io/reason': 'Resources' });
  assert.equal(md.annotations['projectsveltos.io/owner-kind'], 'ClusterProfile');
  assert.equal(md.annotations['projectsveltos.io/owner-name'], 'p');
  assert.equal(md.annotations['projectsveltos.io/owner-tier'], '100');
  assert.equal(md.annotations['projectsveltos.io/reference-name'], 'src');
  assert.match(hash, /^sha256:[0-9a-f]{64}$/);
  assert.equal(md.annotations['projectsveltos.io/hash'], hash);
  assert.equal(objectHash(out), hash, 'the hash ignores the hash annotation itself');
  assert.equal(obj.metadata.labels.k, 'v');
  assert.equal((obj.metadata as { annotations?: unknown }).annotations, undefined, 'input untouched');
  const other = stampOwnership(
    { ...obj, data: { b: '2' } },
    { kind: 'ClusterProfile', name: 'p', tier: 100 },
    {
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'src',
      tier: 100,
    },
  );
  assert.notEqual(other.hash, hash);
  const patch = releaseOwnershipPatch() as { metadata: { annotations: Record<string, null> } };
  assert.equal(patch.metadata.annotations['projectsveltos.io/owner-name'], null);
});
