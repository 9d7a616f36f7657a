import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cache, indexers } from './cache.js';

const obj = (ns: string, name: string, labels: Record<string, string> = {}, owner?: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    namespace: ns,
    name,
    labels,
    ...(owner
      ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Thing', name: owner, uid: 'u', controller: true }] }
      : {}),
  },
});

test('indexes by namespace, label and custom functions, and keeps them current', () => {
  const c = new Cache({ owner: indexers.owner });
  c.upsert(obj('a', 'x', { app: 'web', tier: 'fe' }, 'o1'));
  c.upsert(obj('a', 'y', { app: 'db' }));
  c.upsert(obj('b', 'x', { app: 'web' }, 'o1'));
  const label = c.addLabelIndex('app');
  assert.deepEqual(
    c
      .byNamespace('a')
      .map((o) => o.metadata?.name)
      .sort(),
    ['x', 'y'],
  );
  assert.equal(c.byIndex(label, 'web').length, 2);
  assert.deepEqual(
    c.byLabels({ app: 'web', tier: 'fe' }).map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`),
    ['a/x'],
  );
  assert.deepEqual(
    c.byIndex('owner', 'Thing/a/o1').map((o) => o.metadata?.name),
    ['x'],
  );
  // Relabel: the old index entry goes away.
  c.upsert(obj('a', 'x', { app: 'db' }));
  assert.equal(c.byIndex(label, 'web').length, 1);
  assert.equal(c.byIndex(label, 'db').length, 2);
  assert.equal(c.byIndex('owner', 'Thing/a/o1').length, 0);
  assert.equal(c.remove('a/y')?.metadata?.name, 'y');
  assert.equal(c.byIndex(label, 'db').length, 1);
  assert.equal(c.getByName('b', 'x')?.metadata?.name, 'x');
  assert.equal(c.size, 2);
  assert.throws(() => c.byIndex('nope', 'x'), /no index "nope"/);
  c.clear();
  assert.equal(c.size, 0);
  assert.equal(c.byNamespace('b').length, 0);
});
