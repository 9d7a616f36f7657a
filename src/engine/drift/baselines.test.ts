import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { carryBaselines, driftBaselines, driftExclusionsToPatches, textHasher } from './baselines.js';
import { driftText } from './normalize.js';

const ref = (name: string, hash: string) => ({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  namespace: 'd',
  name,
  hash,
});

test('carryBaselines: fresh entries win, listed objects not applied keep theirs, unlisted ones go', () => {
  const out = carryBaselines(
    [ref('a', 'new-a')],
    [ref('a', 'old-a'), ref('b', 'old-b'), ref('gone', 'old-gone'), ref('c', '')],
    [ref('a', ''), ref('b', ''), ref('c', '')],
  );
  assert.deepEqual(
    out.map((e) => [e.name, e.hash]),
    [
      ['a', 'new-a'],
      ['b', 'old-b'],
    ],
  );
  assert.deepEqual(carryBaselines([], undefined, [ref('a', '')]), []);
});

test('textHasher hashes driftText: the same hash for the same content, exclusions applied', () => {
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');
  const patches = driftExclusionsToPatches([{ paths: ['/data/free'] }]);
  const obj = (free: string, level: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', namespace: 'd', resourceVersion: free },
    data: { free, level },
  });
  const b = driftBaselines({ resources: [obj('1', 'safe')] }, patches, textHasher(sha));
  assert.equal(b.resourceHashes?.[0]?.hash, sha(driftText(obj('2', 'safe'), patches)));
  assert.notEqual(b.resourceHashes?.[0]?.hash, sha(driftText(obj('1', 'tampered'), patches)));
});
