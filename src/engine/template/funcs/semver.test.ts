import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Constraints, SemverError, Version } from './semver.js';

const ok = (c: string, v: string) => Constraints.parse(c).check(Version.parse(v));

test('versions parse loosely and compare with prerelease precedence', () => {
  assert.equal(Version.parse('v1.2').toString(), '1.2.0');
  assert.equal(Version.parse('1.2.3-beta.1+c0ff33').prerelease, 'beta.1');
  assert.equal(Version.parse('1.2.3-alpha').compare(Version.parse('1.2.3')), -1);
  assert.equal(Version.parse('1.2.3-alpha.10').compare(Version.parse('1.2.3-alpha.9')), 1);
  assert.equal(Version.parse('1.2.3-alpha').compare(Version.parse('1.2.3-alpha.1')), -1);
  assert.throws(() => Version.parse('badVersion'), SemverError);
});

test('caret and tilde ranges', () => {
  assert.ok(ok('^1.2.0', '1.9.9'));
  assert.ok(!ok('^1.2.0', '2.0.0'));
  assert.ok(ok('^0.2.3', '0.2.9'));
  assert.ok(!ok('^0.2.3', '0.3.0'));
  assert.ok(ok('^0.0.3', '0.0.3'));
  assert.ok(!ok('^0.0.3', '0.0.4'));
  assert.ok(ok('^0', '0.9.0'));
  assert.ok(ok('~1.2.3', '1.2.9'));
  assert.ok(!ok('~1.2.3', '1.3.0'));
  assert.ok(ok('~1', '1.9.0'));
  assert.ok(!ok('~1', '2.0.0'));
});

test('wildcards, comparisons, hyphen ranges and alternatives', () => {
  assert.ok(ok('1.2.x', '1.2.7'));
  assert.ok(!ok('1.2.x', '1.3.0'));
  assert.ok(ok('*', '4.5.6'));
  assert.ok(ok('>1.2', '1.3.0'));
  assert.ok(!ok('>1.2', '1.2.5'));
  assert.ok(ok('<=1.2', '1.2.9'));
  assert.ok(ok('>= 1.2, < 3.0.0', '2.5.0'));
  assert.ok(ok('>=1.2 <3', '2.5.0'));
  assert.ok(ok('1.2 - 1.4.5', '1.4.5'));
  assert.ok(!ok('1.2 - 1.4.5', '1.4.6'));
  assert.ok(ok('<1.0.0 || >=2.0.0', '2.1.0'));
  assert.ok(!ok('!=1.2.3', '1.2.3'));
});

test('prereleases only match constraints that mention one', () => {
  assert.ok(!ok('>=1.2.0', '1.3.0-rc.1'));
  assert.ok(ok('>=1.2.0-0', '1.3.0-rc.1'));
  assert.throws(() => Constraints.parse('badConstraint'), /improper constraint: badConstraint/);
});
