import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyJsonPatch, JsonPatchError } from './json-patch.js';

function fails(doc: unknown, patch: unknown, message: string): void {
  assert.throws(
    () => applyJsonPatch(doc, patch),
    (e: unknown) => {
      assert.ok(e instanceof JsonPatchError, String(e));
      assert.equal(e.code, 422);
      assert.equal(e.reason, 'Invalid');
      assert.equal(e.message, 'the server rejected our request due to an error in our request');
      assert.equal(e.patchError, message);
      return true;
    },
  );
}

test('RFC 6902 operations', () => {
  const doc = { a: { b: 1 }, l: [1, 2, 3] };
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/a/c', value: { x: 1 } }]), {
    a: { b: 1, c: { x: 1 } },
    l: [1, 2, 3],
  });
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/l/-', value: 4 }]).l, [1, 2, 3, 4]);
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/l/0', value: 0 }]).l, [0, 1, 2, 3]);
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/l/3', value: 9 }]).l, [1, 2, 3, 9]);
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/l/-1', value: 9 }]).l, [1, 2, 3, 9]);
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'remove', path: '/l/1' }]).l, [1, 3]);
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'remove', path: '/l/-1' }]).l, [1, 2]);
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'replace', path: '/a/b', value: 'x' }]).a, { b: 'x' });
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'move', from: '/a/b', path: '/z' }]), {
    a: {},
    l: [1, 2, 3],
    z: 1,
  });
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'copy', from: '/a', path: '/c' }]), {
    a: { b: 1 },
    l: [1, 2, 3],
    c: { b: 1 },
  });
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'test', path: '/a', value: { b: 1 } }]), doc);
  assert.deepEqual(applyJsonPatch(doc, [{ op: 'replace', path: '', value: { n: 1 } }]), { n: 1 });
  assert.deepEqual(doc, { a: { b: 1 }, l: [1, 2, 3] }, 'input untouched');
});

test('JSON pointer escapes (~0 ~1) for label and annotation keys', () => {
  const doc = { metadata: { labels: { 'app.kubernetes.io/name': 'x', 'a~b': 'y' } } };
  const out = applyJsonPatch(doc, [
    { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'z' },
    { op: 'remove', path: '/metadata/labels/a~0b' },
    { op: 'add', path: '/metadata/labels/example.com~1tier', value: 'web' },
  ]);
  assert.deepEqual(out.metadata.labels, { 'app.kubernetes.io/name': 'z', 'example.com/tier': 'web' });
});

test('copied values are independent', () => {
  const out = applyJsonPatch({ a: { b: [1] } } as any, [
    { op: 'copy', from: '/a', path: '/c' },
    { op: 'add', path: '/c/b/-', value: 2 },
  ]);
  assert.deepEqual(out, { a: { b: [1] }, c: { b: [1, 2] } });
});

test('errors worded as evanphx/json-patch', () => {
  fails(
    {},
    [{ op: 'add', path: '/x/y', value: 1 }],
    'add operation does not apply: doc is missing path: "/x/y": missing value',
  );
  fails(
    {},
    [{ op: 'remove', path: '/x' }],
    "error in remove for path: '/x': unable to remove nonexistent key: x: missing value",
  );
  fails(
    {},
    [{ op: 'remove', path: '/x/y' }],
    'remove operation does not apply: doc is missing path: "/x/y": missing value',
  );
  fails(
    {},
    [{ op: 'replace', path: '/x', value: 1 }],
    'replace operation does not apply: doc is missing key: /x: missing value',
  );
  fails({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }], 'testing value /a failed: test failed');
  fails({ a: 1 }, [{ op: 'test', path: '/b', value: 2 }], 'testing value /b failed: test failed');
  fails(
    { l: [1] },
    [{ op: 'add', path: '/l/5', value: 2 }],
    "error in add for path: '/l/5': Unable to access invalid index: 5: invalid index referenced",
  );
  fails(
    { l: [1] },
    [{ op: 'remove', path: '/l/3' }],
    "error in remove for path: '/l/3': Unable to access invalid index: 3: invalid index referenced",
  );
  fails({}, [{ op: 'frob', path: '/a' }], 'Unexpected kind: frob');
  fails(
    {},
    [{ op: 'move', from: '/a/b', path: '/c' }],
    'move operation does not apply: doc is missing from path: /a/b: missing value',
  );
  fails(
    {},
    [{ op: 'add', path: 'a', value: 1 }],
    'add operation does not apply: doc is missing path: "a": missing value',
  );
});

test('a patch that is not a list is a bad request', () => {
  assert.throws(
    () => applyJsonPatch({}, { op: 'add' }),
    (e: any) => e.code === 400 && /cannot unmarshal object/.test(e.message),
  );
});

test('test op with a missing key and null value passes (evanphx behaviour)', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/b', value: null }]), { a: 1 });
});
