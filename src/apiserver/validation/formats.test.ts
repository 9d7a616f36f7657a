import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFormat } from './formats.js';
import { compilePattern, matchPattern } from './regex.js';

test('date-time and date as go-openapi strfmt', () => {
  for (const ok of ['2024-01-02T03:04:05Z', '2024-01-02t03:04:05.123456789z', '2024-02-29T00:00:00+01:00']) {
    assert.equal(checkFormat('date-time', ok), true, ok);
  }
  for (const bad of [
    '2024-01-02',
    '2024-01-02 03:04:05Z',
    '2023-02-29T00:00:00Z',
    '2024-01-02T25:00:00Z',
    'yesterday',
  ]) {
    assert.equal(checkFormat('date-time', bad), false, bad);
  }
  assert.equal(checkFormat('date', '2024-12-31'), true);
  assert.equal(checkFormat('date', '2024-13-01'), false);
});

test('byte, ipv4, ipv6, cidr, uuid, unknown formats', () => {
  assert.equal(checkFormat('byte', 'aGVsbG8='), true);
  assert.equal(checkFormat('byte', 'aGVsbG8'), false);
  assert.equal(checkFormat('ipv4', '10.0.0.1'), true);
  assert.equal(checkFormat('ipv4', '10.0.0.256'), false);
  assert.equal(checkFormat('ipv6', '::1'), true);
  assert.equal(checkFormat('ipv6', '2001:db8::ffff:10.0.0.1'), true);
  assert.equal(checkFormat('ipv6', '1:2:3'), false);
  assert.equal(checkFormat('cidr', '10.0.0.0/8'), true);
  assert.equal(checkFormat('cidr', '10.0.0.0/33'), false);
  assert.equal(checkFormat('uuid', '123e4567-e89b-12d3-a456-426614174000'), true);
  assert.equal(checkFormat('int32', 'anything'), true);
});

test('RE2 patterns become JS RegExps (unanchored, RE2-only syntax rewritten)', () => {
  assert.equal(matchPattern('^((100|[0-9]{1,2})%|[0-9]+)$', '50%'), true);
  assert.equal(matchPattern('^((100|[0-9]{1,2})%|[0-9]+)$', '101%'), false);
  assert.equal(matchPattern('^(https?|oci)://', 'oci://x'), true);
  assert.equal(matchPattern('b', 'abc'), true);
  assert.equal(matchPattern('(?i)^abc$', 'ABC'), true);
  assert.equal(matchPattern('^(?P<n>[a-z]+)\\z', 'abc'), true);
  assert.equal(matchPattern('^[[:alpha:]]+$', 'abC'), true);
  assert.equal(matchPattern('^\\pL+$', 'été'), true);
  assert.equal(typeof compilePattern('(unclosed'), 'string');
});
