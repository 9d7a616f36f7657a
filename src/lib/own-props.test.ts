import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getOwn, setOwn } from './own-props.js';

test('setOwn adds __proto__ as an own key and leaves the prototype alone', () => {
  const m: Record<string, unknown> = {};
  setOwn(m, '__proto__', { polluted: 1 });
  setOwn(m, 'constructor', 'c');
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
  assert.deepEqual(Object.keys(m), ['__proto__', 'constructor']);
  assert.equal(JSON.stringify(m), '{"__proto__":{"polluted":1},"constructor":"c"}');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  setOwn(m, '__proto__', 2);
  assert.equal(Object.getOwnPropertyDescriptor(m, '__proto__')?.value, 2);
});

test('getOwn never returns Object.prototype members', () => {
  const m: Record<string, unknown> = { a: 1 };
  assert.equal(getOwn(m, 'constructor'), undefined);
  assert.equal(getOwn(m, 'toString'), undefined);
  assert.equal(getOwn(m, '__proto__'), undefined);
  assert.equal(getOwn(m, 'a'), 1);
  assert.equal(getOwn(JSON.parse('{"__proto__":3}'), '__proto__'), 3);
});
