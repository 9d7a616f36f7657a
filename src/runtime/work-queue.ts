import { type Clock, systemClock } from '../lib/clock.js';
import { defaultRateLimiter, type RateLimiter } from './rate-limiter.js';

/** Observations the queue reports (the controller turns them into Prometheus metrics). */
export interface QueueObserver {
  /** A key was queued (not counted when it was already waiting). */
  added?(): void;
  /** A worker took a key that waited `waitMs` in the queue. */
  taken?(waitMs: number): void;
  /** A worker finished a key after `workMs`. */
  finished?(workMs: number): void;
  /** A key was scheduled for a rate-limited retry. */
  retried?(): void;
}

export interface WorkQueueOptions<K> {
  clock?: Clock;
  /** Delay policy of `addRateLimited`. Default: exponential per key (5 ms..1000 s) and 10 qps/100 burst overall. */
  rateLimiter?: RateLimiter<K>;
  observer?: QueueObserver;
}

/**
 * A work queue with client-go's guarantees: a key waits at most once (de-duplication), no two
 * workers hold the same key (a key added while being processed is queued again when `done`), and
 * retries are delayed by a rate limiter. Shutting down drops waiting keys (reconciles are
 * level-triggered: the next start rebuilds them) and lets in-flight ones finish.
 */
export class WorkQueue<K = string> {
  private items: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Map<K, number>();
  private readonly queuedAt = new Map<K, number>();
  private readonly delayed = new Map<K, { at: number; cancel(): void }>();
  private readonly getters: ((k: K | undefined) => void)[] = [];
  private readonly drainers: (() => void)[] = [];
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<K>;
  private readonly observer: QueueObserver;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.clock = opts.clock ?? systemClock;
    this.limiter = opts.rateLimiter ?? defaultRateLimiter<K>(this.clock);
    this.observer = opts.observer ?? {};
  }

  /** Keys waiting for a worker (not counting delayed or in-flight keys). */
  len(): number {
    return this.items.length - this.head;
  }

  /** Keys scheduled for later by `addAfter` / `addRateLimited`. */
  delayedLen(): number {
    return this.delayed.size;
  }

  /** Keys being processed by a worker right now. */
  inFlight(): number {
    return this.processing.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.queuedAt.set(key, this.clock.now());
    this.observer.added?.();
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** Adds `key` after `ms`; if it is already scheduled, the earlier time wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const prev = this.delayed.get(key);
    if (prev && prev.at <= at) return;
    prev?.cancel();
    const t = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, cancel: () => t.cancel() });
  }

  /** Adds `key` after the rate limiter's delay (a retry after failure). */
  addRateLimited(key: K): void {
    if (this.shuttingDown) return;
    this.observer.retried?.();
    this.addAfter(key, this.limiter.when(key));
  }

  /** Resets `key`'s backoff (it succeeded or will never be retried). */
  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.retries(key);
  }

  /** Waits for a key; undefined once the queue shuts down. Call `done(key)` when finished. */
  get(): Promise<K | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    if (this.len() > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` finished; if it was added meanwhile it is queued again. */
  done(key: K): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    this.observer.finished?.(this.clock.now() - started);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
    if (this.processing.size === 0 && this.drainers.length > 0) {
      for (const d of this.drainers.splice(0)) d();
    }
  }

  /** Stops handing out keys: waiting `get`s resolve undefined, waiting and delayed keys are dropped. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const d of this.delayed.values()) d.cancel();
    this.delayed.clear();
    this.items = [];
    this.head = 0;
    for (const k of this.dirty) if (!this.processing.has(k)) this.dirty.delete(k);
    for (const g of this.getters.splice(0)) g(undefined);
  }

  /** Shuts down and resolves once every in-flight key is `done`. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private push(key: K): void {
    const g = this.getters.shift();
    if (g) {
      this.begin(key);
      g(key);
      return;
    }
    this.items.push(key);
  }

  private take(): K {
    const key = this.items[this.head] as K;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.begin(key);
    return key;
  }

  private begin(key: K): void {
    this.dirty.delete(key);
    const now = this.clock.now();
    this.processing.set(key, now);
    const q = this.queuedAt.get(key);
    this.queuedAt.delete(key);
    this.observer.taken?.(q === undefined ? 0 : now - q);
  }
}
