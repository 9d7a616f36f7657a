import { toHubVersion } from '../api/conversion/index.js';
import { type Clock, systemClock } from '../lib/clock.js';
import { errorMessage } from '../lib/errors.js';
import { isGone, type KubeClient, type KubeObject, objectKey, type TypeRef } from '../kube/index.js';
import { Cache, type CacheReader, type IndexFunc } from './cache.js';
import { type Logger, silentLogger } from './logger.js';
import { sleep } from './sleep.js';

/** What an informer watches: a kind, optionally one namespace and selectors. */
export interface InformerType extends TypeRef {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface EventHandler<T extends KubeObject = KubeObject> {
  /** `initial` is true for objects delivered by a (re)list rather than a watch event. */
  onAdd?(obj: T, initial: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** The last state seen; after a relist it may be older than the deletion. */
  onDelete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject = KubeObject> {
  clock?: Clock;
  logger?: Logger;
  /** Backoff after list/watch failures. Default 200 ms doubling to 30 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Server-side watch timeout; the informer re-watches from its resourceVersion. Default 300 s. */
  watchTimeoutSeconds?: number;
  /** List page size. Default 500. */
  pageSize?: number;
  /**
   * Applied to every object before it is cached. Default: drop `metadata.managedFields`, which is
   * often half an object and never needed by reconcilers (memory at 1,000 clusters).
   */
  transform?: (obj: KubeObject) => T;
  indexers?: Record<string, IndexFunc<T>>;
  /** Watch from here without an initial list (tests use a stale one to exercise relist on 410). */
  initialResourceVersion?: string;
}

function stripManagedFields<T extends KubeObject>(obj: KubeObject): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  // A real kube-apiserver stores Sveltos v1alpha1 objects with their selector strings (the CRDs'
  // conversion strategy is None there): readers get LabelSelectors.
  return toHubVersion(obj) as T;
}

/**
 * List-then-watch of one kind on one cluster into a cache, with event handlers. Resumes watches
 * from the last resourceVersion (bookmarks keep it fresh), relists when the server answers 410
 * Gone, and backs off on other failures. A Runnable: `start(signal)` runs until the signal aborts,
 * then clears the cache.
 */
export class Informer<T extends KubeObject = KubeObject> {
  readonly cache: Cache<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly syncWaiters = new Set<(ok: boolean) => void>();
  private synced = false;
  private started = false;
  private rv = '';
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly transform: (obj: KubeObject) => T;

  constructor(
    readonly client: KubeClient,
    readonly type: InformerType,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.cache = new Cache<T>(opts.indexers ?? {});
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger()).child({
      cluster: client.cluster,
      informer: `${type.apiVersion}/${type.kind}${type.namespace ? ` ns=${type.namespace}` : ''}`,
    });
    this.transform = opts.transform ?? stripManagedFields;
  }

  /** The cache, read-only. */
  get store(): CacheReader<T> {
    return this.cache;
  }

  /** The resourceVersion the next watch starts from. */
  get resourceVersion(): string {
    return this.rv;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is cached, false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => {
        this.syncWaiters.delete(done);
        resolve(false);
      };
      this.syncWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Registers handlers; returns a function that removes them. Handlers added after the first
   * sync receive `onAdd(obj, true)` for every cached object first, so late subscribers miss nothing.
   */
  addHandler(h: EventHandler<T>): () => void {
    this.handlers.add(h);
    if (this.synced && h.onAdd) for (const o of this.cache.list()) this.call(() => h.onAdd?.(o, true));
    return () => this.handlers.delete(h);
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`informer ${this.describe()} was started twice: create a new one`);
    this.started = true;
    const base = this.opts.backoffBaseMs ?? 200;
    const max = this.opts.backoffMaxMs ?? 30_000;
    let failures = 0;
    let needList = true;
    if (this.opts.initialResourceVersion) {
      this.rv = this.opts.initialResourceVersion;
      needList = false;
    }
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            await this.relist(signal);
            needList = false;
          }
          const began = this.clock.now();
          const events = await this.watchOnce(signal);
          // A watch that closes at once with nothing in it is a failure in disguise: back off.
          if (events === 0 && this.clock.now() - began < 1000 && !signal.aborted) {
            failures++;
            await sleep(this.clock, Math.min(base * 2 ** (failures - 1), max), signal);
          } else {
            failures = 0;
          }
        } catch (err) {
          if (signal.aborted) break;
          if (isGone(err)) {
            // Our resourceVersion left the server's window: list again, at once the first time.
            this.log.info({ rv: this.rv }, 'resourceVersion expired, relisting');
            needList = true;
            if (failures++ === 0) continue;
          } else {
            failures++;
            this.log.warn({ err: errorMessage(err), failures }, 'list/watch failed, backing off');
          }
          await sleep(this.clock, Math.min(base * 2 ** (failures - 1), max), signal);
        }
      }
    } finally {
      this.cache.clear();
      this.handlers.clear();
      for (const w of this.syncWaiters) w(false);
      this.syncWaiters.clear();
    }
  }

  private describe(): string {
    return `${this.type.apiVersion} ${this.type.kind} in cluster "${this.client.cluster}"`;
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const list = await this.client.list(this.type, {
      limit: this.opts.pageSize ?? 500,
      ...(this.type.labelSelector ? { labelSelector: this.type.labelSelector } : {}),
      ...(this.type.fieldSelector ? { fieldSelector: this.type.fieldSelector } : {}),
      signal,
    });
    if (signal.aborted) return;
    const seen = new Set<string>();
    for (const raw of list.items) {
      const obj = this.transform(raw);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.upsert(obj);
      if (!old) this.dispatchAdd(obj, true);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.dispatchUpdate(old, obj);
    }
    for (const key of [...this.cache.keys()]) {
      if (seen.has(key)) continue;
      const old = this.cache.remove(key);
      if (old) this.dispatchDelete(old);
    }
    this.rv = list.resourceVersion;
    this.log.debug({ rv: this.rv, count: list.items.length }, 'listed');
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters) w(true);
      this.syncWaiters.clear();
    }
  }

  /** One watch stream; returns the number of events it carried when the server ends it. */
  private async watchOnce(signal: AbortSignal): Promise<number> {
    let n = 0;
    const stream = this.client.watch(this.type, {
      resourceVersion: this.rv,
      allowWatchBookmarks: true,
      timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300,
      ...(this.type.labelSelector ? { labelSelector: this.type.labelSelector } : {}),
      ...(this.type.fieldSelector ? { fieldSelector: this.type.fieldSelector } : {}),
      signal,
    });
    for await (const ev of stream) {
      n++;
      const rv = ev.object?.metadata?.resourceVersion;
      switch (ev.type) {
        case 'ADDED':
        case 'MODIFIED': {
          const obj = this.transform(ev.object);
          const old = this.cache.upsert(obj);
          if (old) this.dispatchUpdate(old, obj);
          else this.dispatchAdd(obj, false);
          break;
        }
        case 'DELETED': {
          // The event carries the final state, fresher than the cached one.
          const obj = this.transform(ev.object);
          this.cache.remove(objectKey(obj));
          this.dispatchDelete(obj);
          break;
        }
        case 'BOOKMARK':
          break;
        default: {
          const never: never = ev.type;
          this.log.warn({ type: never }, 'unknown watch event type ignored');
        }
      }
      if (rv) this.rv = rv;
    }
    return n;
  }

  private dispatchAdd(obj: T, initial: boolean): void {
    for (const h of this.handlers) if (h.onAdd) this.call(() => h.onAdd?.(obj, initial));
  }

  private dispatchUpdate(old: T, obj: T): void {
    for (const h of this.handlers) if (h.onUpdate) this.call(() => h.onUpdate?.(old, obj));
  }

  private dispatchDelete(obj: T): void {
    for (const h of this.handlers) if (h.onDelete) this.call(() => h.onDelete?.(obj));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'event handler threw; handlers must only enqueue keys');
    }
  }
}
