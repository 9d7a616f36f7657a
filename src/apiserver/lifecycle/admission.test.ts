import assert from 'node:assert/strict';
import { test } from 'node:test';
import { removePath } from './admission.js';

test('removePath deletes nested and indexed fields and ignores missing ones', () => {
  const o = { dat: 1, spec: { foo: 2, containers: [{ name: 'a', bar: 3 }] }, keep: true };
  removePath(o, 'dat');
  removePath(o, 'spec.foo');
  removePath(o, 'spec.containers[0].bar');
  removePath(o, 'spec.nothing.deeper');
  removePath(o, 'spec.containers[5].x');
  assert.deepEqual(o, { spec: { containers: [{ name: 'a' }] }, keep: true });
});
