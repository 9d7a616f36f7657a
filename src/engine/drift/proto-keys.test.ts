import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyExclusionPatch } from './normalize.js';

// Exclusion patches come from profiles (user data): __proto__ in a path or a merge patch is a key.
type Json = Parameters<typeof applyExclusionPatch>[0];
const doc = (): Json => JSON.parse('{"data":{"a":"1","__proto__":"p"}}');

function assertPrototypeIntact(): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype.polluted was set');
  assert.equal(typeof Object.prototype.toString, 'function', 'Object.prototype.toString was deleted');
}

test('a merge patch with __proto__ keys edits keys, never Object.prototype', () => {
  const out = applyExclusionPatch(
    doc(),
    '{"data":{"__proto__":null},"metadata":{"__proto__":{"polluted":"yes"}}}',
  );
  assert.equal(JSON.stringify(out), '{"data":{"a":"1"},"metadata":{"__proto__":{"polluted":"yes"}}}');
  assertPrototypeIntact();
  const c = applyExclusionPatch(doc(), '{"data":{"constructor":{"x":1}}}');
  assert.equal(JSON.stringify(c), '{"data":{"a":"1","__proto__":"p","constructor":{"x":1}}}');
});

test('JSON6902 paths through __proto__ add and remove keys, never Object.prototype members', () => {
  let out = applyExclusionPatch(doc(), '[{"op":"add","path":"/spec/__proto__/polluted","value":"yes"}]');
  assert.equal(
    JSON.stringify(out),
    '{"data":{"a":"1","__proto__":"p"},"spec":{"__proto__":{"polluted":"yes"}}}',
  );
  out = applyExclusionPatch(
    doc(),
    '[{"op":"remove","path":"/__proto__/toString"},{"op":"remove","path":"/data/__proto__"}]',
  );
  assert.equal(JSON.stringify(out), '{"data":{"a":"1"}}');
  assertPrototypeIntact();
});
