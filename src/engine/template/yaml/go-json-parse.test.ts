import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { goJsonParse } from './go-json-parse.js';

test('valid JSON parses like JSON.parse', () => {
  fc.assert(
    fc.property(fc.json(), (text) => {
      assert.deepEqual(
        goJsonParse(text, (n) => n),
        JSON.parse(text),
      );
    }),
    { numRuns: 500 },
  );
});

test('a __proto__ key is an own property, not the prototype', () => {
  const parsed = goJsonParse('{"__proto__":{"polluted":true},"a":1}', (n) => n) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('syntax errors carry Go encoding/json messages', () => {
  const err = (s: string) => {
    try {
      goJsonParse(s, (n) => n);
      return 'no error';
    } catch (e) {
      return (e as Error).message;
    }
  };
  assert.equal(err('bad'), "invalid character 'b' looking for beginning of value");
  assert.equal(err(''), 'unexpected end of JSON input');
  assert.equal(err('{"a" 1}'), "invalid character '1' after object key");
  assert.equal(err('{"a":1 "b"}'), "invalid character '\"' after object key:value pair");
  assert.equal(err('[1 2]'), "invalid character '2' after array element");
  assert.equal(err('{1:2}'), "invalid character '1' looking for beginning of object key string");
  assert.equal(err('tru'), 'unexpected end of JSON input');
  assert.equal(err('trux'), "invalid character 'x' in literal true (expecting 'e')");
  assert.equal(err('1 2'), "invalid character '2' after top-level value");
  assert.equal(err('-x'), "invalid character 'x' in numeric literal");
  assert.equal(err('"a\nb"'), "invalid character '\\n' in string literal");
});
