import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './clock.js';

test('FakeClock fires timers in order when advanced, and not before', () => {
  const c = new FakeClock(1000);
  const fired: string[] = [];
  c.setTimeout(() => fired.push('b'), 20);
  c.setTimeout(() => fired.push('a'), 10);
  const t = c.setTimeout(() => fired.push('never'), 15);
  t.cancel();
  c.advance(5);
  assert.deepEqual(fired, []);
  c.advance(20);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(c.now(), 1025);
});
