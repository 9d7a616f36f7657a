import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaNode } from '../../contracts.js';
import { FieldSet } from './fieldset.js';
import { compare, merge, removeItems, toFieldSet } from './typed.js';

// The "struct grab bag" and "associative list" schemas of structured-merge-diff's typed tests.
const set = (type: SchemaNode['type']): SchemaNode => ({ type: 'array', listType: 'set', items: { type } });
const grabBag: SchemaNode = {
  type: 'object',
  properties: {
    numeric: { type: 'number' },
    string: { type: 'string' },
    bool: { type: 'boolean' },
    setStr: set('string'),
    setBool: set('boolean'),
    setNumeric: set('number'),
  },
};
const assoc: SchemaNode = {
  type: 'object',
  properties: {
    list: {
      type: 'array',
      listType: 'map',
      listMapKeys: ['key', 'id'],
      items: {
        type: 'object',
        properties: {
          key: { type: 'string' },
          id: { type: 'number' },
          value: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    atomicList: { type: 'array', items: { type: 'string' } },
  },
};

const triplets: [SchemaNode, unknown, unknown, unknown][] = [
  [grabBag, { numeric: 1 }, { numeric: 2.5 }, { numeric: 2.5 }],
  [grabBag, { string: 'aoeu' }, { bool: true }, { string: 'aoeu', bool: true }],
  [grabBag, { setStr: ['a', 'b', 'c'] }, { setStr: ['a', 'b'] }, { setStr: ['a', 'b', 'c'] }],
  [grabBag, { setStr: ['a', 'b'] }, { setStr: ['a', 'b', 'c'] }, { setStr: ['a', 'b', 'c'] }],
  [grabBag, { setStr: ['a', 'b', 'c'] }, { setStr: [] }, { setStr: ['a', 'b', 'c'] }],
  [grabBag, { setStr: [] }, { setStr: ['a', 'b', 'c'] }, { setStr: ['a', 'b', 'c'] }],
  [grabBag, { setStr: ['a', 'b'] }, { setStr: ['b', 'a'] }, { setStr: ['b', 'a'] }],
  [
    grabBag,
    { setStr: ['a', 'b', 'c'] },
    { setStr: ['d', 'e', 'f'] },
    { setStr: ['a', 'b', 'c', 'd', 'e', 'f'] },
  ],
  [grabBag, { setBool: [true] }, { setBool: [false] }, { setBool: [true, false] }],
  // upstream marks this order as a known bug; kube behaves this way
  [grabBag, { setNumeric: [1, 2, 2.5] }, { setNumeric: [1, 2, 3] }, { setNumeric: [1, 2, 2.5, 3] }],
  [
    assoc,
    { list: [{ key: 'a', id: 1, value: { a: 'a' } }] },
    { list: [{ key: 'a', id: 1, value: { a: 'a' } }] },
    { list: [{ key: 'a', id: 1, value: { a: 'a' } }] },
  ],
  [
    assoc,
    { list: [{ key: 'b', id: 2 }] },
    {
      list: [
        { key: 'a', id: 1 },
        { key: 'b', id: 2 },
        { key: 'c', id: 3 },
      ],
    },
    {
      list: [
        { key: 'a', id: 1 },
        { key: 'b', id: 2 },
        { key: 'c', id: 3 },
      ],
    },
  ],
  [assoc, { atomicList: ['a', 'a', 'a'] }, { atomicList: null }, { atomicList: null }],
  [assoc, { atomicList: ['a', 'b', 'c'] }, { atomicList: [] }, { atomicList: [] }],
  [assoc, { atomicList: ['a', 'a', 'a'] }, { atomicList: ['a', 'a'] }, { atomicList: ['a', 'a'] }],
];

test('merge: structured-merge-diff triplets', () => {
  for (const [schema, lhs, rhs, out] of triplets)
    assert.deepEqual(merge(lhs, rhs, schema), out, JSON.stringify([lhs, rhs]));
});

test('removeItems: set items and whole fields, emptied containers disappear', () => {
  const v = (x: unknown) => `v:${JSON.stringify(x)}`;
  assert.deepEqual(removeItems({ setBool: [true, false] }, FieldSet.of(['f:setBool', v(true)]), grabBag), {
    setBool: [false],
  });
  assert.equal(removeItems({ setBool: [false] }, FieldSet.of(['f:setBool', v(false)]), grabBag), undefined);
  assert.deepEqual(removeItems({ setBool: [false] }, FieldSet.of(['f:setBool', v(true)]), grabBag), {
    setBool: [false],
  });
  assert.deepEqual(
    removeItems(
      { setNumeric: [1, 2, 3, 4.5] },
      FieldSet.of(['f:setNumeric', v(1)], ['f:setNumeric', v(4.5)]),
      grabBag,
    ),
    { setNumeric: [2, 3] },
  );
  assert.deepEqual(removeItems({ string: 's', bool: true }, FieldSet.of(['f:string']), grabBag), {
    bool: true,
  });
});

test('toFieldSet: sets, list-map items and atomic lists', () => {
  assert.deepEqual(toFieldSet({ setBool: [true, false] }, grabBag).toFieldsV1(), {
    'f:setBool': { 'v:false': {}, 'v:true': {} },
  });
  assert.deepEqual(
    toFieldSet({ list: [{ key: 'a', id: 1, value: { x: 'y' } }], atomicList: ['q'] }, assoc).toFieldsV1(),
    {
      'f:atomicList': {},
      'f:list': { 'k:{"id":1,"key":"a"}': { '.': {}, 'f:id': {}, 'f:key': {}, 'f:value': { 'f:x': {} } } },
    },
  );
});

test('compare: added, removed and modified leaves and items', () => {
  const c = compare(
    { setStr: ['a', 'b'], numeric: 1, string: 'x' },
    { setStr: ['b', 'c'], numeric: 2, bool: true },
    grabBag,
  );
  assert.deepEqual(c.added.toFieldsV1(), { 'f:bool': {}, 'f:setStr': { 'v:"c"': {} } });
  assert.deepEqual(c.removed.toFieldsV1(), { 'f:setStr': { 'v:"a"': {} }, 'f:string': {} });
  assert.deepEqual(c.modified.toFieldsV1(), { 'f:numeric': {} });
});
