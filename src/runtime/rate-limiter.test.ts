import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { defaultRateLimiter, ExponentialBackoff, TokenBucket } from './rate-limiter.js';

test('exponential backoff doubles per key up to the cap and resets on forget', () => {
  const b = new ExponentialBackoff<string>({ baseDelayMs: 10, maxDelayMs: 100 });
  assert.deepEqual(
    [b.when('a'), b.when('a'), b.when('a'), b.when('a'), b.when('a'), b.when('a')],
    [10, 20, 40, 80, 100, 100],
  );
  assert.equal(b.when('b'), 10, 'keys back off independently');
  assert.equal(b.retries('a'), 6);
  b.forget('a');
  assert.equal(b.retries('a'), 0);
  assert.equal(b.when('a'), 10);
  for (let i = 0; i < 2000; i++) b.when('c');
  assert.equal(b.when('c'), 100, 'stays finite after many failures');
});

test('token bucket allows the burst, then spreads at qps, and refills with time', () => {
  const clock = new FakeClock(1000);
  const t = new TokenBucket<string>(clock, { qps: 10, burst: 3 });
  assert.deepEqual([t.when('x'), t.when('y'), t.when('z')], [0, 0, 0]);
  assert.equal(t.when('x'), 100);
  assert.equal(t.when('x'), 200, 'each reservation queues behind the previous one');
  clock.advance(1000); // +10 tokens, bucket capped at 3, minus the 2 reserved
  assert.equal(t.when('x'), 0);
});

test('default limiter takes the longer of per-key backoff and the bucket', () => {
  const clock = new FakeClock();
  const l = defaultRateLimiter<string>(clock, { baseDelayMs: 1, maxDelayMs: 1000, qps: 1, burst: 1 });
  assert.equal(l.when('a'), 1);
  assert.equal(l.when('b'), 1000, 'bucket empty: 1 qps');
  clock.advance(5000);
  assert.equal(l.when('a'), 2);
});
