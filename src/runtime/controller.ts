import { Registry } from 'prom-client';
import { type Clock, systemClock } from '../lib/clock.js';
import { errorMessage } from '../lib/errors.js';
import { isRetryable, type KubeObject, objectKey, retryAfterMs } from '../kube/index.js';
import type { Informer } from './informer.js';
import { type Logger, silentLogger } from './logger.js';
import { RuntimeMetrics } from './metrics.js';
import { Outcome } from './outcome.js';
import { defaultRateLimiter, type RateLimitOptions } from './rate-limiter.js';
import type { Runnable } from './runnable.js';
import { WorkQueue } from './work-queue.js';

export interface ReconcileContext {
  /** Aborts when the controller stops: pass it to every request. */
  signal: AbortSignal;
  log: Logger;
  /** Failed attempts of this key since it last succeeded. */
  retries: number;
}

export type Reconciler = (key: string, ctx: ReconcileContext) => Promise<Outcome>;

/** Maps an event's object to the keys to reconcile (none to ignore it). */
export type MapFunc<T extends KubeObject = KubeObject> = (obj: T) => string[];

export interface WatchOptions<T extends KubeObject = KubeObject> {
  /** Default: the object's own `namespace/name`. */
  map?: MapFunc<T>;
  /** Filters updates, e.g. `generationChanged`; adds and deletes always pass. */
  updatePredicate?: (oldObj: T, newObj: T) => boolean;
}

export interface ControllerOptions {
  name: string;
  reconcile: Reconciler;
  /** Concurrent reconciles (never two on one key). Default 2. */
  workers?: number;
  clock?: Clock;
  logger?: Logger;
  registry?: Registry;
  /** Retry backoff (default 5 ms..1000 s per key) and overall retry rate (default 10 qps, burst 100). */
  rateLimit?: RateLimitOptions;
  /** Wait for leadership before reconciling. Default true. */
  needLeaderElection?: boolean;
}

const self: MapFunc = (obj) => [objectKey(obj)];

/** Map helpers for `watch`. */
export const mappers = {
  self,
  /** Owned objects map to their controller owner of `kind` (same namespace). */
  toOwner(kind: string, apiVersion?: string): MapFunc {
    return (obj) =>
      (obj.metadata?.ownerReferences ?? [])
        .filter((o) => o.kind === kind && (!apiVersion || o.apiVersion === apiVersion))
        .map((o) => (obj.metadata?.namespace ? `${obj.metadata.namespace}/${o.name}` : o.name));
  },
  /** Prefixes keys with a cluster name: `cluster:namespace/name` (see `splitClusterKey`). */
  inCluster(cluster: string, inner: MapFunc = self): MapFunc {
    return (obj) => inner(obj).map((k) => `${cluster}:${k}`);
  },
};

/** Splits `cluster:namespace/name` into its parts. */
export function splitClusterKey(key: string): { cluster: string; namespace?: string; name: string } {
  const c = key.indexOf(':');
  const cluster = c < 0 ? '' : key.slice(0, c);
  const rest = key.slice(c + 1);
  const s = rest.indexOf('/');
  return s < 0 ? { cluster, name: rest } : { cluster, namespace: rest.slice(0, s), name: rest.slice(s + 1) };
}

/** Splits `namespace/name` (or `name`) into its parts. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const s = key.indexOf('/');
  return s < 0 ? { name: key } : { namespace: key.slice(0, s), name: key.slice(s + 1) };
}

/** Update predicate: only spec changes (metadata.generation) pass. */
export function generationChanged(a: KubeObject, b: KubeObject): boolean {
  return a.metadata?.generation !== b.metadata?.generation;
}

/**
 * Binds informer events to keys in a work queue and runs `reconcile` on N workers. The outcome
 * decides what happens next; a thrown error is classified once: retryable API failures are
 * retried with backoff, anything else is terminal (logged; the next change re-triggers).
 */
export class Controller implements Runnable {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  readonly needLeaderElection: boolean;
  private readonly informers = new Set<Informer<any>>();
  private readonly log: Logger;
  private readonly metrics: RuntimeMetrics;
  private readonly clock: Clock;

  constructor(private readonly opts: ControllerOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger()).child({ controller: opts.name });
    this.metrics = RuntimeMetrics.for(opts.registry ?? new Registry());
    this.needLeaderElection = opts.needLeaderElection ?? true;
    const labels = { controller: opts.name };
    this.queue = new WorkQueue<string>({
      clock: this.clock,
      rateLimiter: defaultRateLimiter(this.clock, opts.rateLimit),
      observer: {
        added: () => this.metrics.queueAdds.inc(labels),
        retried: () => this.metrics.queueRetries.inc(labels),
        taken: (ms) => this.metrics.queueLatency.observe(labels, ms / 1000),
      },
    });
  }

  /**
   * Enqueues keys for an informer's events. May be called at any time (e.g. when a cluster
   * joins); returns a function that stops it (call it before the cluster's informers are dropped).
   */
  watch<T extends KubeObject>(informer: Informer<T>, options: WatchOptions<T> = {}): () => void {
    const map = options.map ?? (self as MapFunc<T>);
    const pred = options.updatePredicate;
    const enqueue = (obj: T) => {
      for (const k of map(obj)) this.queue.add(k);
    };
    this.informers.add(informer);
    const off = informer.addHandler({
      onAdd: enqueue,
      onUpdate: (a, b) => {
        if (pred && !pred(a, b)) return;
        // Both: a changed label or owner may move the object between keys.
        const keys = new Set([...map(a), ...map(b)]);
        for (const k of keys) this.queue.add(k);
      },
      onDelete: enqueue,
    });
    return () => {
      off();
      this.informers.delete(informer);
    };
  }

  /** Enqueues a key directly (e.g. from a timer or an external event source). */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  async start(signal: AbortSignal): Promise<void> {
    const untrack = this.metrics.trackQueue(this.name, {
      depth: () => this.queue.len(),
      inFlight: () => this.queue.inFlight(),
    });
    try {
      // Reconciling on a partial cache would delete or recreate what merely is not listed yet.
      // An informer dropped before syncing (its cluster left) is skipped, not waited for.
      for (const inf of [...this.informers]) {
        await inf.waitForSync(signal);
        if (signal.aborted) return;
      }
      this.log.info({ workers: this.opts.workers ?? 2 }, 'controller started');
      const stop = () => void this.queue.shutDownWithDrain();
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      const workers = Array.from({ length: this.opts.workers ?? 2 }, () => this.worker(signal));
      await Promise.all(workers);
      await this.queue.shutDownWithDrain();
      signal.removeEventListener('abort', stop);
      this.log.info('controller stopped');
    } finally {
      this.queue.shutDown();
      untrack();
    }
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.process(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async process(key: string, signal: AbortSignal): Promise<void> {
    const labels = { controller: this.name };
    const log = this.log.child({ key });
    const started = this.clock.now();
    let outcome: Outcome;
    try {
      outcome = await this.opts.reconcile(key, { signal, log, retries: this.queue.numRequeues(key) });
    } catch (err) {
      // Aborted by shutdown: not a failure of the object; the next start reconciles it again.
      outcome = signal.aborted || isRetryable(err) ? Outcome.retry(err) : Outcome.terminal(err);
    }
    this.metrics.reconcileDuration.observe(labels, (this.clock.now() - started) / 1000);
    switch (outcome.type) {
      case 'done':
        this.queue.forget(key);
        this.metrics.reconciles.inc({ ...labels, result: 'done' });
        break;
      case 'requeueAfter':
        this.queue.forget(key);
        this.queue.addAfter(key, outcome.ms);
        this.metrics.reconciles.inc({ ...labels, result: 'requeue_after' });
        break;
      case 'retry': {
        this.metrics.reconciles.inc({ ...labels, result: 'retry' });
        this.metrics.reconcileErrors.inc(labels);
        if (signal.aborted) break;
        const after = retryAfterMs(outcome.error);
        log.warn(
          { err: errorMessage(outcome.error), retries: this.queue.numRequeues(key) + 1 },
          'reconcile failed, will retry',
        );
        if (after !== undefined) {
          this.queue.addAfter(key, after);
        } else {
          this.queue.addRateLimited(key);
        }
        break;
      }
      case 'terminal':
        this.queue.forget(key);
        this.metrics.reconciles.inc({ ...labels, result: 'terminal' });
        this.metrics.reconcileErrors.inc(labels);
        log.error({ err: errorMessage(outcome.error) }, 'reconcile failed terminally; waiting for a change');
        break;
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }
}
