// Cases from k8s.io/apimachinery/pkg/util/validation/validation_test.go (TestIsQualifiedName,
// TestIsValidLabelValue), plus Go's %q quoting used in kube's messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregateMessage,
  goQuote,
  goStringSlice,
  isQualifiedName,
  isValidLabelValue,
} from './validation.js';

describe('IsQualifiedName', () => {
  const good = [
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes',
    'now.with.dots/simple',
    'now-with.dashes-and.dots/simple',
    '1-num.2-num/3-num',
    '1234/5678',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ];
  const bad = [
    'nospecialchars%^=@',
    'cantendwithadash-',
    '-cantstartwithadash-',
    'only/one/slash',
    'Example.com/abc',
    'example_com/abc',
    'example.com/',
    '/simple',
    'a'.repeat(64),
    `${'a'.repeat(254)}/abc`,
  ];
  for (const v of good) it(`accepts ${v.slice(0, 40)}`, () => assert.deepEqual(isQualifiedName(v), []));
  for (const v of bad) it(`rejects ${v.slice(0, 40)}`, () => assert.notDeepEqual(isQualifiedName(v), []));
  it('words each problem as upstream', () => {
    assert.deepEqual(isQualifiedName('example.com/'), [
      'name part must be non-empty',
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    assert.deepEqual(isQualifiedName('/simple'), ['prefix part must be non-empty']);
    assert.equal(isQualifiedName('a'.repeat(64))[0], 'name part must be no more than 63 characters');
    assert.equal(
      isQualifiedName(`${'a'.repeat(254)}/abc`)[0],
      'prefix part must be no more than 253 characters',
    );
  });
});

describe('IsValidLabelValue', () => {
  const good = [
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    'end-with-num-1',
    '1234',
    'a'.repeat(63),
    '',
    'A',
    'AB',
    'AbC',
    'A1',
    'a1B2',
    'a.b_c-d',
  ];
  const bad = [
    'a'.repeat(64),
    'Nospecialchars%^=@',
    'Cantendwithadash-',
    '-cantstartwithadash',
    '_cantstartwithunderscore',
    'cantendwithunderscore_',
    'no spaces',
  ];
  for (const v of good)
    it(`accepts ${JSON.stringify(v.slice(0, 40))}`, () => assert.deepEqual(isValidLabelValue(v), []));
  for (const v of bad)
    it(`rejects ${JSON.stringify(v.slice(0, 40))}`, () => assert.notDeepEqual(isValidLabelValue(v), []));
  it('counts bytes, as Go does', () => assert.deepEqual(isValidLabelValue('é'.repeat(32)).length > 0, true));
});

describe('Go formatting helpers', () => {
  it('quotes like %q', () => {
    assert.equal(goQuote('plain'), '"plain"');
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('tab\there\nnl\x01\x7f'), '"tab\\there\\nnl\\x01\\x7f"');
    assert.equal(goQuote('héllo'), '"héllo"');
  });
  it('prints []string like %#v', () => {
    assert.equal(goStringSlice(undefined), '[]string(nil)');
    assert.equal(goStringSlice([]), '[]string{}');
    assert.equal(goStringSlice(['a', 'b']), '[]string{"a", "b"}');
  });
  it('aggregates like utilerrors.Aggregate', () => {
    assert.equal(aggregateMessage(['one']), 'one');
    assert.equal(aggregateMessage(['a', 'b']), '[a, b]');
    assert.equal(aggregateMessage(['a', 'a']), 'a');
  });
});
