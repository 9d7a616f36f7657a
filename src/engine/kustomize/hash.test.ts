import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kustomizeHash } from './hash.js';

// Suffixes recorded from `kubectl kustomize` (kustomize v5.5.0).
const cases: [string, Record<string, unknown>, string][] = [
  [
    'ConfigMap A=1',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { A: '1' } },
    '89g4tffbfk',
  ],
  [
    'Secret A=1 (base64 MQ==)',
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { A: 'MQ==' } },
    '526mcbf5c2',
  ],
];

for (const [name, obj, want] of cases) {
  test(`kustomize hash: ${name}`, () => assert.equal(kustomizeHash(obj), want));
}

test('kustomize hash: the name does not count (kustomize never reads it), the data does', () => {
  const a = { kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } };
  assert.equal(kustomizeHash(a), kustomizeHash({ ...a, metadata: { name: 'b' } }));
  assert.notEqual(kustomizeHash(a), kustomizeHash({ ...a, data: { k: 'w' } }));
});
