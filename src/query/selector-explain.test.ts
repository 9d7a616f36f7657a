import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainSelector } from './selector-explain.js';

test('matchLabels: says which label differs', () => {
  const r = explainSelector({ matchLabels: { env: 'prod', tier: 'web' } }, { env: 'dev', tier: 'web' });
  assert.equal(r.matched, false);
  assert.deepEqual(
    r.terms.map((t) => [t.term, t.matched, t.reason]),
    [
      ['env=prod', false, 'label env is "dev"'],
      ['tier=web', true, 'label tier is "web"'],
    ],
  );
});

test('matchExpressions: In, NotIn, Exists, DoesNotExist', () => {
  const sel = {
    matchExpressions: [
      { key: 'zone', operator: 'In', values: ['eu', 'us'] },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'team', operator: 'Exists' },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  };
  assert.equal(explainSelector(sel, { zone: 'eu', env: 'prod', team: 'a' }).matched, true);
  const r = explainSelector(sel, { zone: 'asia', legacy: 'x' });
  assert.equal(r.matched, false);
  assert.deepEqual(
    r.terms.filter((t) => !t.matched).map((t) => t.term),
    ['zone in (eu, us)', 'team', '!legacy'],
  );
});

test('an empty selector matches nothing', () => {
  const r = explainSelector({}, { env: 'prod' });
  assert.equal(r.matched, false);
  assert.equal(r.empty, true);
});
