import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ObjectStore } from './object-store.js';
import { memoryPersistence, type Persistence } from './persistence.js';
import { sqlitePersistence } from './sqlite.js';

function cm(name: string, ns = 'default', owner?: string) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${name}`,
      ...(owner
        ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: `uid-${owner}` }] }
        : {}),
    },
  };
}

function contract(name: string, make: () => { p: Persistence; reopen: () => Persistence; done: () => void }) {
  test(`${name}: commits assign increasing resourceVersions, list is sorted and namespaced`, () => {
    const { p, done } = make();
    const s = new ObjectStore('c', p);
    s.commit('ADDED', '/configmaps', cm('b'));
    s.commit('ADDED', '/configmaps', cm('a'));
    s.commit('ADDED', '/configmaps', cm('z', 'other'));
    assert.equal(s.rv, 3);
    assert.deepEqual(
      s.list('/configmaps').map((e) => e.obj.metadata!.name),
      ['a', 'b', 'z'],
    );
    assert.deepEqual(
      s.list('/configmaps', 'other').map((e) => e.obj.metadata!.name),
      ['z'],
    );
    assert.equal(s.get('/configmaps', 'default', 'a')!.obj.metadata!.resourceVersion, '2');
    s.commit('DELETED', '/configmaps', cm('a'));
    assert.equal(s.get('/configmaps', 'default', 'a'), undefined);
    assert.equal(s.rv, 4);
    p.close();
    done();
  });

  test(`${name}: indexes owners for garbage collection`, () => {
    const { p, done } = make();
    const s = new ObjectStore('c', p);
    s.commit('ADDED', '/configmaps', cm('owner'));
    s.commit('ADDED', '/configmaps', cm('dep', 'default', 'owner'));
    assert.deepEqual(s.dependents('uid-owner'), [{ resource: '/configmaps', key: 'default/dep' }]);
    s.commit('MODIFIED', '/configmaps', cm('dep'));
    assert.deepEqual(s.dependents('uid-owner'), []);
    p.close();
    done();
  });

  test(`${name}: durable stores survive a reopen`, () => {
    const { p, reopen, done } = make();
    const s = new ObjectStore('c', p);
    p.putCluster('c', 'tok');
    s.commit('ADDED', '/configmaps', cm('keep'));
    s.commit('ADDED', '/configmaps', cm('gone'));
    s.commit('DELETED', '/configmaps', cm('gone'));
    p.close();
    const p2 = reopen();
    if (p2.durable) {
      assert.deepEqual(p2.clusters(), [{ name: 'c', token: 'tok', rv: 3 }]);
      const s2 = new ObjectStore('c', p2);
      for (const row of p2.objects('c')) s2.load(row.resource, row.key, row.data);
      assert.deepEqual(
        s2.list('/configmaps').map((e) => e.obj.metadata!.name),
        ['keep'],
      );
    }
    p2.close();
    done();
  });
}

contract('memory', () => ({ p: memoryPersistence(), reopen: () => memoryPersistence(), done: () => {} }));
contract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-store-'));
  return {
    p: sqlitePersistence(dir),
    reopen: () => sqlitePersistence(dir),
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
});
