import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duplicate, formatValue, goQuote, notSupported, tooLong, tooMany } from './field-errors.js';

test('Go value formatting as field.Error renders bad values', () => {
  assert.equal(goQuote('a"b\\c\n\u0001é'), '"a\\"b\\\\c\\n\\x01é"');
  assert.equal(formatValue('x'), '"x"');
  assert.equal(formatValue(3), '3');
  assert.equal(formatValue(0.5), '0.5');
  assert.equal(formatValue(1e-7), '1e-07');
  assert.equal(formatValue(true), 'true');
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue({ b: 1, a: ['x'] }), 'map[string]interface {}{"a":[]interface {}{"x"}, "b":1}');
});

test('error bodies', () => {
  assert.equal(
    notSupported('f', 'x', ['A', 'B']).message,
    'Unsupported value: "x": supported values: "A", "B"',
  );
  assert.equal(duplicate('f', 'x').message, 'Duplicate value: "x"');
  assert.equal(tooLong('f', 1).message, 'Too long: may not be more than 1 byte');
  assert.equal(tooMany('f', 3, 2).message, 'Too many: 3: must have at most 2 items');
});
