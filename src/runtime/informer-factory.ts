import { setMaxListeners } from 'node:events';
import type { Clock } from '../lib/clock.js';
import type { KubeClient, KubeObject } from '../kube/index.js';
import { Informer, type InformerOptions, type InformerType } from './informer.js';
import type { Logger } from './logger.js';

export interface InformerFactoryOptions {
  clock?: Clock;
  logger?: Logger;
  /** Options for every informer (backoff, page size, transform, watch timeout). */
  informer?: Omit<InformerOptions, 'clock' | 'logger' | 'indexers' | 'initialResourceVersion'>;
}

function typeKey(t: InformerType): string {
  return [t.apiVersion, t.kind, t.namespace ?? '', t.labelSelector ?? '', t.fieldSelector ?? ''].join('|');
}

/**
 * The informers of one cluster, one per (kind, namespace, selectors), shared by every controller
 * that asks. Informers asked for while the set runs start at once. Stopping the set stops every
 * watch and drops the caches.
 */
export class ClusterInformers {
  private readonly informers = new Map<string, Informer<any>>();
  private readonly running = new Set<Promise<void>>();
  private controller: AbortController | undefined;
  private stopped = false;

  constructor(
    readonly client: KubeClient,
    private readonly opts: InformerFactoryOptions = {},
  ) {}

  get cluster(): string {
    return this.client.cluster;
  }

  get size(): number {
    return this.informers.size;
  }

  /** The shared informer of `type`, created (and started if the set runs) on first use. */
  informer<T extends KubeObject = KubeObject>(type: InformerType): Informer<T> {
    if (this.stopped) {
      throw new Error(
        `informers of cluster "${this.cluster}" were dropped: ask the factory for the cluster again`,
      );
    }
    const key = typeKey(type);
    let inf = this.informers.get(key) as Informer<T> | undefined;
    if (!inf) {
      inf = new Informer<T>(this.client, type, {
        ...(this.opts.informer as InformerOptions<T>),
        ...(this.opts.clock ? { clock: this.opts.clock } : {}),
        ...(this.opts.logger ? { logger: this.opts.logger } : {}),
      });
      this.informers.set(key, inf);
      if (this.controller) this.launch(inf, this.controller.signal);
    }
    return inf;
  }

  /** Whether every informer has listed once. */
  hasSynced(): boolean {
    for (const i of this.informers.values()) if (!i.hasSynced()) return false;
    return true;
  }

  /** Runs every informer, present and future, until `signal` aborts or `stop()` is called. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.controller || this.stopped) return;
    const c = new AbortController();
    // Every informer, watch request and backoff sleep listens on it: not a leak.
    setMaxListeners(0, c.signal);
    this.controller = c;
    const onAbort = () => c.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) c.abort();
    for (const inf of this.informers.values()) this.launch(inf, c.signal);
    await new Promise<void>((resolve) => {
      if (c.signal.aborted) resolve();
      else c.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    signal.removeEventListener('abort', onAbort);
    while (this.running.size > 0) await Promise.all([...this.running]);
    this.stopped = true;
    this.informers.clear();
  }

  /** Stops every watch and frees the caches; resolves when all informers have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    while (this.running.size > 0) await Promise.all([...this.running]);
    this.informers.clear();
  }

  private launch(inf: Informer<any>, signal: AbortSignal): void {
    const p: Promise<void> = inf
      .start(signal)
      .catch((err) =>
        this.opts.logger?.error({ err: String(err), cluster: this.cluster }, 'informer crashed'),
      )
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }
}

/**
 * Per-cluster informer sets for a fleet: clusters are added as they appear and dropped as they
 * go (dropping stops their watches and frees their caches). A Runnable: sets added before
 * `start` begin with it, sets added after begin at once.
 */
export class InformerFactory {
  private readonly sets = new Map<string, ClusterInformers>();
  private signal: AbortSignal | undefined;
  private readonly runs = new Map<string, Promise<void>>();

  constructor(private readonly opts: InformerFactoryOptions = {}) {}

  /** The informer set of a cluster, created for `client` on first call. */
  forCluster(client: KubeClient): ClusterInformers {
    let set = this.sets.get(client.cluster);
    if (!set) {
      set = new ClusterInformers(client, this.opts);
      this.sets.set(client.cluster, set);
      if (this.signal) this.run(set, this.signal);
    }
    return set;
  }

  cluster(name: string): ClusterInformers | undefined {
    return this.sets.get(name);
  }

  clusters(): string[] {
    return [...this.sets.keys()];
  }

  /** Whether every informer of every cluster has listed once (a ready check). */
  hasSynced(): boolean {
    for (const set of this.sets.values()) if (!set.hasSynced()) return false;
    return true;
  }

  /** Shorthand for `forCluster(client).informer(type)`. */
  informer<T extends KubeObject = KubeObject>(client: KubeClient, type: InformerType): Informer<T> {
    return this.forCluster(client).informer<T>(type);
  }

  /** Stops a cluster's informers and forgets them. The client stays open (its owner closes it). */
  async dropCluster(name: string): Promise<void> {
    const set = this.sets.get(name);
    if (!set) return;
    this.sets.delete(name);
    const run = this.runs.get(name);
    await set.stop();
    await run;
  }

  async start(signal: AbortSignal): Promise<void> {
    // One listener on the caller's signal; every cluster set listens on ours (1,000s of them).
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    const onAbort = () => inner.abort();
    if (signal.aborted) inner.abort();
    else signal.addEventListener('abort', onAbort, { once: true });
    this.signal = inner.signal;
    for (const set of this.sets.values()) this.run(set, inner.signal);
    await new Promise<void>((resolve) => {
      if (inner.signal.aborted) resolve();
      else inner.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    signal.removeEventListener('abort', onAbort);
    while (this.runs.size > 0) await Promise.all([...this.runs.values()]);
    this.sets.clear();
  }

  private run(set: ClusterInformers, signal: AbortSignal): void {
    const name = set.cluster;
    const p = set.start(signal).finally(() => {
      if (this.runs.get(name) === p) this.runs.delete(name);
    });
    this.runs.set(name, p);
  }
}
