import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globToRegExp, HelmIgnore } from './helmignore.js';

test('patterns without a slash match the base name, with a slash the whole path, / anchors', () => {
  const r = HelmIgnore.parse('# comment\n*.bak\ndocs/*.txt\n/top.yaml\nsecret?\n');
  assert.ok(r.ignores('a.bak', false));
  assert.ok(r.ignores('templates/x.bak', false));
  assert.ok(r.ignores('docs/a.txt', false));
  assert.ok(!r.ignores('other/docs/a.txt', false));
  assert.ok(r.ignores('top.yaml', false));
  assert.ok(!r.ignores('sub/top.yaml', false));
  assert.ok(r.ignores('x/secret1', false));
  assert.ok(!r.ignores('x/secret12', false));
  assert.ok(!r.ignores('.', true));
});

test('a trailing slash matches directories only', () => {
  const r = HelmIgnore.parse('build/\n');
  assert.ok(r.ignores('build', true));
  assert.ok(!r.ignores('build', false));
});

test('negation follows Helm: a non-matching path is ignored, a match continues', () => {
  const r = HelmIgnore.parse('!keep.txt\n');
  assert.ok(!r.ignores('keep.txt', false));
  assert.ok(r.ignores('other.txt', false));
});

test('the default rule hides dot files under templates/', () => {
  const r = new HelmIgnore().addDefaults();
  assert.ok(r.ignores('templates/.swp', false));
  assert.ok(!r.ignores('templates/a.yaml', false));
  assert.ok(!r.ignores('.helmignore', false));
});

test('** is rejected with the line number', () => {
  assert.throws(() => HelmIgnore.parse('ok\nfoo/**/bar\n', 'c/.helmignore'), /c\/.helmignore:2: double-star/);
});

test('Go filepath.Match classes', () => {
  assert.ok(globToRegExp('[a-c]x').test('bx'));
  assert.ok(!globToRegExp('[^a-c]x').test('bx'));
  assert.ok(globToRegExp('a\\*').test('a*'));
  assert.ok(!globToRegExp('a\\*').test('ab'));
});
