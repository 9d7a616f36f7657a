import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppliedMemo, coveredBy } from './applied.js';

describe('coveredBy', () => {
  it('accepts server defaults and fields of other managers', () => {
    const desired = {
      spec: { policyRefs: [{ kind: 'ConfigMap', name: 'a' }] },
      metadata: { labels: { x: '1' } },
    };
    const cached = {
      metadata: { labels: { x: '1', other: 'y' }, finalizers: ['f'], resourceVersion: '7' },
      spec: { policyRefs: [{ kind: 'ConfigMap', name: 'a', deploymentType: 'Remote' }], syncMode: 'Sync' },
      status: {},
    };
    assert.equal(coveredBy(desired, cached), true);
  });

  it('rejects a changed value, a missing field, a different array length, a type change', () => {
    assert.equal(coveredBy({ data: { a: '1' } }, { data: { a: '2' } }), false);
    assert.equal(coveredBy({ data: { a: '1' } }, { data: {} }), false);
    assert.equal(coveredBy({ l: [1, 2] }, { l: [1, 2, 3] }), false);
    assert.equal(coveredBy({ l: [1] }, { l: { 0: 1 } }), false);
    assert.equal(coveredBy({ a: {} }, { a: null }), false);
  });

  it('never reads prototype members for user keys', () => {
    assert.equal(coveredBy({ data: { constructor: 'x' } }, { data: {} }), false);
    assert.equal(coveredBy(JSON.parse('{"data":{"__proto__":"x"}}'), { data: {} }), false);
  });
});

describe('AppliedMemo', () => {
  const desired = { kind: 'ConfigMap', data: { a: '1' } };

  it('skips only what it applied itself and the cache still holds', () => {
    const memo = new AppliedMemo();
    assert.equal(memo.unchanged('k', desired, desired), false, 'never applied: apply once');
    memo.applied('k', desired);
    assert.equal(memo.unchanged('k', desired, { ...desired, metadata: { resourceVersion: '2' } }), true);
    assert.equal(memo.unchanged('k', desired, undefined), false, 'not in the cache (deleted): apply');
    assert.equal(memo.unchanged('k', desired, { kind: 'ConfigMap', data: { a: 'edited' } }), false);
  });

  it('applies when a field it sent before is dropped (the apply removes it)', () => {
    const memo = new AppliedMemo();
    const before = { kind: 'ConfigMap', data: { a: '1', b: '2' } };
    memo.applied('k', before);
    assert.equal(memo.unchanged('k', desired, before), false);
    memo.forget('k');
    assert.equal(memo.unchanged('k', before, before), false);
  });
});
