import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { deepEqual } from './json-value.js';
import { applyMergePatch, createMergePatch } from './merge-patch.js';

// RFC 7386 appendix A examples
const rfc: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

test('RFC 7386 examples', () => {
  for (const [doc, patch, want] of rfc) assert.deepEqual(applyMergePatch(doc, patch), want);
});

test('does not modify its inputs', () => {
  const doc = { a: { b: 1 } };
  const patch = { a: { c: { d: 1 } } };
  const out = applyMergePatch(doc, patch) as any;
  out.a.c.d = 2;
  out.a.b = 3;
  assert.deepEqual(doc, { a: { b: 1 } });
  assert.deepEqual(patch, { a: { c: { d: 1 } } });
});

test('a non-object patch is rejected', () => {
  assert.throws(
    () => applyMergePatch({}, [1]),
    (e: any) => e.code === 400 && e.message === 'Invalid JSON Patch',
  );
});

const jsonObject = fc.dictionary(
  fc.string({ maxLength: 3 }),
  fc.oneof(
    fc.integer(),
    fc.string({ maxLength: 3 }),
    fc.boolean(),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(
      fc.string({ maxLength: 2 }),
      fc.oneof(fc.integer(), fc.dictionary(fc.string({ maxLength: 2 }), fc.integer())),
    ),
  ),
);

test('property: applying the merge patch of a diff reproduces the target', () => {
  fc.assert(
    fc.property(jsonObject, jsonObject, (a, b) => deepEqual(applyMergePatch(a, createMergePatch(a, b)), b)),
    { numRuns: 300 },
  );
});
