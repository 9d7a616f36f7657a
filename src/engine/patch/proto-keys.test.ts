import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyMergePatch, createMergePatch } from './merge-patch.js';

// Patch keys named like Object.prototype members are ordinary keys, never prototype access.
const j = (s: string) => JSON.parse(s) as Record<string, unknown>;

test('a merge patch with an object under __proto__ adds a key and leaves Object.prototype alone', () => {
  const out = applyMergePatch(
    j('{"spec":{"a":1}}'),
    j('{"spec":{"__proto__":{"polluted":"yes"},"constructor":{"b":2}}}'),
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype.polluted was set');
  assert.equal(JSON.stringify(out), '{"spec":{"a":1,"__proto__":{"polluted":"yes"},"constructor":{"b":2}}}');
});

test('createMergePatch keeps __proto__ keys (added, changed and removed)', () => {
  const p = createMergePatch(
    j('{"a":{"__proto__":{"x":1}},"b":{"__proto__":1}}'),
    j('{"a":{"__proto__":{"x":2}},"c":{"__proto__":3}}'),
  );
  assert.equal(JSON.stringify(p), '{"b":null,"a":{"__proto__":{"x":2}},"c":{"__proto__":3}}');
  const q = createMergePatch(j('{"__proto__":1}'), j('{}'));
  assert.equal(JSON.stringify(q), '{"__proto__":null}');
});
