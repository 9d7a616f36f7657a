import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type WatchEvent, WatchHub } from './hub.js';

function ev(rv: number, resource = '/configmaps', namespace = 'default'): WatchEvent {
  return { type: 'ADDED', rv, resource, namespace, name: `n${rv}`, obj: {}, json: '{}' };
}

test('since replays events after a resourceVersion and reports expiry past the window', () => {
  const hub = new WatchHub(0, 3);
  for (let i = 1; i <= 5; i++) hub.publish(ev(i));
  assert.deepEqual(
    hub.since(3, '/configmaps')?.map((e) => e.rv),
    [4, 5],
  );
  assert.equal(hub.compactedRv, 2);
  assert.equal(hub.since(1, '/configmaps'), undefined, 'rv 1 is older than the window');
  assert.deepEqual(
    hub.since(2, '/configmaps')?.map((e) => e.rv),
    [3, 4, 5],
  );
  assert.deepEqual(hub.since(5, '/secrets'), []);
});

test('watchers get events of their resource and namespace only, until removed', () => {
  const hub = new WatchHub(0);
  const got: number[] = [];
  const off = hub.add({ resource: '/configmaps', namespace: 'a', deliver: (e) => got.push(e.rv) });
  hub.publish(ev(1, '/configmaps', 'a'));
  hub.publish(ev(2, '/configmaps', 'b'));
  hub.publish(ev(3, '/secrets', 'a'));
  off();
  hub.publish(ev(4, '/configmaps', 'a'));
  assert.deepEqual(got, [1]);
  assert.equal(hub.watcherCount(), 0);
});

test('the window stays bounded under many events', () => {
  const hub = new WatchHub(0, 10);
  for (let i = 1; i <= 10_000; i++) hub.publish(ev(i));
  assert.equal(hub.since(9990, '/configmaps')?.length, 10);
  assert.equal(hub.since(9989, '/configmaps'), undefined);
});
