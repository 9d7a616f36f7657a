import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideLease, type LeaseRecord, microTime, observe } from './lease-decision.js';

const base = { identity: 'me', leaseDurationMs: 15_000 };

test('creates a missing lease', () => {
  const d = decideLease({ ...base, current: undefined, observed: undefined, now: 0 });
  assert.equal(d.action, 'create');
  assert.equal(d.action === 'create' && d.spec.holderIdentity, 'me');
  assert.equal(d.action === 'create' && d.spec.leaseDurationSeconds, 15);
});

test('renews its own lease without a transition', () => {
  const current: LeaseRecord = { holderIdentity: 'me', leaseTransitions: 3, acquireTime: microTime(0) };
  const d = decideLease({ ...base, current, observed: undefined, now: 5000 });
  assert.deepEqual(d.action === 'update' && [d.acquired, d.spec.leaseTransitions, d.spec.acquireTime], [
    false,
    3,
    microTime(0),
  ]);
  assert.equal(d.action === 'update' && d.spec.renewTime, microTime(5000));
});

test('waits while another holder renews, and takes over one lease duration after the last change it saw', () => {
  const other: LeaseRecord = { holderIdentity: 'other', leaseDurationSeconds: 10, renewTime: microTime(0) };
  let observed = observe(other, undefined, 1000);
  let d = decideLease({ ...base, current: other, observed, now: 1000 });
  assert.deepEqual(d, { action: 'wait', holder: 'other', expiresInMs: 10_000 });
  // The holder renews at 8 s: the record changed, so the clock restarts from when we saw it.
  const renewed = { ...other, renewTime: microTime(8000) };
  observed = observe(renewed, observed, 9000);
  d = decideLease({ ...base, current: renewed, observed, now: 18_999 });
  assert.equal(d.action, 'wait');
  d = decideLease({ ...base, current: renewed, observed, now: 19_000 });
  assert.equal(d.action, 'update');
  assert.equal(d.action === 'update' && d.acquired, true);
  assert.equal(d.action === 'update' && d.spec.leaseTransitions, 1);
  assert.equal(d.action === 'update' && d.spec.holderIdentity, 'me');
});

test('judges expiry by its own observation, not the timestamps in the lease', () => {
  // renewTime far in the past (a skewed clock) but we only just saw it: still wait.
  const other: LeaseRecord = {
    holderIdentity: 'other',
    leaseDurationSeconds: 10,
    renewTime: microTime(-1e9),
  };
  const d = decideLease({ ...base, current: other, observed: undefined, now: 50_000 });
  assert.equal(d.action, 'wait');
});

test('takes a released lease at once', () => {
  const released: LeaseRecord = { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 4 };
  const d = decideLease({ ...base, current: released, observed: observe(released, undefined, 0), now: 0 });
  assert.equal(d.action === 'update' && d.acquired, true);
  assert.equal(d.action === 'update' && d.spec.leaseTransitions, 5);
});

test('MicroTime has microseconds', () => {
  assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z');
});
