import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePattern, matchPattern } from './regex.js';

test('CRD patterns use Go RE2 syntax and semantics', () => {
  assert.equal(matchPattern('^[[:alpha:]]+$', 'abc'), true);
  assert.equal(matchPattern('^[[:alpha:]]+$', 'ab1'), false);
  assert.equal(matchPattern('(?P<word>\\Aab)', 'abc'), true);
  assert.equal(matchPattern('^\\pL+$', 'été'), true);
  assert.equal(matchPattern('(?i)^ABC\\z', 'abc'), true);
  assert.equal(matchPattern('(?i)^ABC\\z', 'abc\n'), false);
  // Go's \s is ASCII whitespace only; JavaScript's would match a no-break space.
  assert.equal(matchPattern('\\s', '\u00a0'), false);
  // Unanchored, as regexp.MatchString.
  assert.equal(matchPattern('b', 'abc'), true);
});

test('patterns Go rejects are errors in Go words, and never match', () => {
  const lookahead = compilePattern('a(?=b)');
  assert.equal(typeof lookahead, 'string');
  assert.match(String(lookahead), /^error parsing regexp: invalid or unsupported Perl syntax/);
  assert.match(String(compilePattern('(ab')), /^error parsing regexp: missing closing \)/);
  assert.equal(matchPattern('a(?=b)', 'ab'), false);
});
