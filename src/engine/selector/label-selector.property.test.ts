// Properties: the canonical string parses back to an equivalent selector, and matching agrees
// with a direct reading of the requirement semantics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LabelSelector, parseLabelSelector } from './label-selector.js';
import type { Operator, Requirement } from './requirement.js';

const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9_.]{0,8}[a-z0-9])?$/);
const key = fc.oneof(
  name,
  fc.tuple(fc.stringMatching(/^[a-z]{1,5}\.[a-z]{2,3}$/), name).map(([p, n]) => `${p}/${n}`),
);
const value = fc.oneof(fc.constant(''), name);
// Negative bounds are not valid label values, so kube rejects `x>-1`; labels may still hold them.
const bound = fc.integer({ min: 0, max: 1000 }).map(String);
const int = fc.integer({ min: -1000, max: 1000 }).map(String);
const plain = (r: Requirement): Requirement => ({ key: r.key, operator: r.operator, values: [...r.values] });

const requirement: fc.Arbitrary<Requirement> = fc
  .oneof(
    fc.record({ key, operator: fc.constantFrom<Operator>('=', '==', '!='), values: value.map((v) => [v]) }),
    fc.record({
      key,
      operator: fc.constantFrom<Operator>('in', 'notin'),
      values: fc.uniqueArray(value, { minLength: 1, maxLength: 4 }).map((vs) => [...vs].sort()),
    }),
    fc.record({
      key,
      operator: fc.constantFrom<Operator>('exists', '!'),
      values: fc.constant([] as string[]),
    }),
    fc.record({ key, operator: fc.constantFrom<Operator>('gt', 'lt'), values: bound.map((v) => [v]) }),
  )
  .map(plain);
const labels = fc.dictionary(key, fc.oneof(value, int), { maxKeys: 6 }).map((d) => ({ ...d }));

function expected(r: Requirement, ls: Record<string, string>): boolean {
  const has = Object.hasOwn(ls, r.key);
  const v = ls[r.key];
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(v)) return false;
      return r.operator === 'gt' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
    }
  }
}

describe('label selector properties', () => {
  it('toString parses back to the same selector', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), (reqs) => {
        const sel = LabelSelector.of(reqs);
        const again = parseLabelSelector(sel.toString());
        assert.equal(again.toString(), sel.toString());
        assert.deepEqual(again.requirements, sel.requirements);
      }),
      { numRuns: 300 },
    );
  });
  it('matches exactly when every requirement holds', () => {
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), labels, (reqs, ls) => {
        // Bias towards hits: give the labels some of the required keys.
        for (const r of reqs.slice(0, 2)) if (r.values.length > 0) ls[r.key] = r.values[0];
        const want = reqs.every((r) => expected(r, ls));
        assert.equal(LabelSelector.of(reqs).matches(ls), want);
        assert.equal(parseLabelSelector(LabelSelector.of(reqs).toString()).matches(ls), want);
      }),
      { numRuns: 500 },
    );
  });
});
