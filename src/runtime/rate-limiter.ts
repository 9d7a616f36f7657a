import type { Clock } from '../lib/clock.js';

/** Decides how long an item waits before it is retried. */
export interface RateLimiter<K> {
  /** Delay before the next attempt of `key`; counts one more failure. */
  when(key: K): number;
  /** Stops tracking `key` (it succeeded). */
  forget(key: K): void;
  /** Failures counted for `key` since the last forget. */
  retries(key: K): number;
}

export interface BackoffOptions {
  /** First retry delay. Default 5 ms. */
  baseDelayMs?: number;
  /** Longest delay. Default 1000 s, as controller-runtime. */
  maxDelayMs?: number;
}

/** Per-key exponential backoff: base·2^failures, capped. */
export class ExponentialBackoff<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly base: number;
  private readonly max: number;

  constructor(opts: BackoffOptions = {}) {
    this.base = opts.baseDelayMs ?? 5;
    this.max = opts.maxDelayMs ?? 1_000_000;
  }

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long after the cap; the cap keeps it finite.
    return Math.min(this.base * 2 ** n, this.max);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface TokenBucketOptions {
  /** Tokens added per second. Default 10. */
  qps?: number;
  /** Bucket size (the burst allowed after idling). Default 100. */
  burst?: number;
}

/**
 * An overall token bucket shared by every key: each `when` reserves one token and returns how long
 * until it is available, so a storm of retries is spread out at `qps`.
 */
export class TokenBucket<K> implements RateLimiter<K> {
  private tokens: number;
  private last: number;
  private readonly qps: number;
  private readonly burst: number;

  constructor(
    private readonly clock: Clock,
    opts: TokenBucketOptions = {},
  ) {
    this.qps = opts.qps ?? 10;
    this.burst = opts.burst ?? 100;
    this.tokens = this.burst;
    this.last = clock.now();
  }

  when(_key: K): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }

  forget(_key: K): void {}

  retries(_key: K): number {
    return 0;
  }
}

/** The longest delay of several limiters (controller-runtime's default: backoff and bucket). */
export class MaxOf<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(key: K): number {
    let d = 0;
    for (const l of this.limiters) d = Math.max(d, l.when(key));
    return d;
  }

  forget(key: K): void {
    for (const l of this.limiters) l.forget(key);
  }

  retries(key: K): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.retries(key));
    return n;
  }
}

export interface RateLimitOptions extends BackoffOptions, TokenBucketOptions {}

/** Per-key exponential backoff combined with an overall token bucket. */
export function defaultRateLimiter<K>(clock: Clock, opts: RateLimitOptions = {}): RateLimiter<K> {
  return new MaxOf<K>(new ExponentialBackoff<K>(opts), new TokenBucket<K>(clock, opts));
}
