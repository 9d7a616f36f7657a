import { type ClusterId, clusterIdKey } from '../../api/index.js';
import { FlotillaError } from '../../lib/errors.js';
import { KubeClient, type KubeClientOptions, type KubeObject } from '../../kube/index.js';
import {
  type ClusterInformers,
  type Controller,
  type Informer,
  InformerFactory,
  type InformerFactoryOptions,
  type InformerType,
  type Logger,
  type MapFunc,
  mappers,
  type Runnable,
  silentLogger,
  type WatchOptions,
} from '../../runtime/index.js';

/** A cluster has no connection (yet): not registered, not ready, or its kubeconfig unusable. */
export class ClusterNotConnectedError extends FlotillaError {
  override readonly name = 'ClusterNotConnectedError';

  constructor(message: string) {
    super('cluster-not-connected', message);
  }
}

/** A live connection to one managed cluster. */
export interface ClusterConnection {
  readonly id: ClusterId;
  /** `clusterIdKey(id)`: also the client's and informer set's cluster name. */
  readonly key: string;
  readonly client: KubeClient;
  /** This cluster's informers; created lazily, only for the types asked for. */
  readonly informers: ClusterInformers;
  /** Hash of the kubeconfig the client was built from. */
  readonly kubeconfigHash: string;
}

/**
 * `added`: the cluster became ready and reachable through `connection`. `changed`: its kubeconfig
 * changed; the previous connection (and its informers) is gone, watch the new one. `removed`:
 * the cluster was deleted; its informers are stopping.
 */
export type ClusterEvent =
  | { readonly type: 'added'; readonly connection: ClusterConnection }
  | { readonly type: 'changed'; readonly connection: ClusterConnection; readonly previous: ClusterConnection }
  | { readonly type: 'removed'; readonly connection: ClusterConnection };

export type ClusterListener = (event: ClusterEvent) => void;

export interface ClusterConnectionsOptions {
  logger?: Logger;
  /** Options of the per-cluster informers (clock, backoff, page size). */
  informers?: InformerFactoryOptions;
  /** Options of every managed-cluster client (timeouts, field manager). */
  client?: KubeClientOptions;
  /** Run exec credential plugins of kubeconfigs read from Secrets. Default false. */
  allowExec?: boolean;
}

interface Entry {
  connection: ClusterConnection;
  /** Announced to listeners (the cluster was ready at least once with this connection). */
  announced: boolean;
}

/** FNV-1a, 52 bits: change detection of kubeconfig text, not security. */
export function kubeconfigHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/**
 * The registry other controllers use to reach managed clusters: one KubeClient and one lazy
 * informer set per cluster, keyed by `(namespace, name, type)`. The SveltosCluster controller
 * feeds it (`connect` on every reconcile, `setReady` once reachable, `remove` on deletion);
 * controllers read it (`get`, `ready`) and follow it (`subscribe`, `watchAll`).
 *
 * A Runnable: it runs the informers of every cluster. Memory per cluster is one client plus the
 * caches of the kinds controllers asked for.
 */
export class ClusterConnections implements Runnable {
  readonly needLeaderElection = false;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<ClusterListener>();
  private readonly factory: InformerFactory;
  private readonly log: Logger;
  /** Serialises connect/remove per cluster: a kubeconfig load is async. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: ClusterConnectionsOptions = {}) {
    this.log = (opts.logger ?? silentLogger()).child({ component: 'cluster-connections' });
    this.factory = new InformerFactory({ ...opts.informers, logger: opts.informers?.logger ?? this.log });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.factory.start(signal);
  }

  /** Whether every informer of every ready cluster has listed once. */
  hasSynced(): boolean {
    return this.factory.hasSynced();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The connection of a ready cluster. */
  get(id: ClusterId): ClusterConnection | undefined {
    const e = this.entries.get(clusterIdKey(id));
    return e?.announced ? e.connection : undefined;
  }

  /**
   * The connection of a ready cluster, or ClusterNotConnectedError saying why there is none. A
   * reconciler that gets it can return `Outcome.done`: `subscribe` tells when the cluster is added.
   */
  async connection(id: ClusterId): Promise<ClusterConnection> {
    const key = clusterIdKey(id);
    const e = this.entries.get(key);
    if (e?.announced) return e.connection;
    const what = `${id.type === 'Sveltos' ? 'SveltosCluster' : 'Cluster'} ${id.namespace}/${id.name}`;
    throw new ClusterNotConnectedError(
      e
        ? `${what} is not ready yet: see its status.failureMessage`
        : `${what} has no connection: it is not registered or its kubeconfig Secret could not be used (see its status)`,
    );
  }

  /** By `clusterIdKey` (e.g. the cluster part of a `mappers.inCluster` work-queue key). */
  getByKey(key: string): ClusterConnection | undefined {
    const e = this.entries.get(key);
    return e?.announced ? e.connection : undefined;
  }

  /** Every ready cluster's connection. */
  ready(): ClusterConnection[] {
    return [...this.entries.values()].filter((e) => e.announced).map((e) => e.connection);
  }

  /**
   * The client for a cluster built from `kubeconfig`, reusing the current one when the text is
   * unchanged. A changed kubeconfig replaces the connection: the old informers stop, the old
   * client closes, and listeners get `changed` (if the cluster was ready).
   */
  async connect(id: ClusterId, kubeconfig: string): Promise<KubeClient> {
    return this.serial(clusterIdKey(id), async () => {
      const key = clusterIdKey(id);
      const hash = kubeconfigHash(kubeconfig);
      const old = this.entries.get(key);
      if (old && old.connection.kubeconfigHash === hash) return old.connection.client;
      const client = await KubeClient.fromKubeconfig(
        { yaml: kubeconfig },
        { ...this.opts.client, name: key, allowExec: this.opts.allowExec ?? false },
      );
      if (old) await this.dropConnection(old.connection);
      const connection: ClusterConnection = {
        id: { namespace: id.namespace, name: id.name, type: id.type },
        key,
        client,
        informers: this.factory.forCluster(client),
        kubeconfigHash: hash,
      };
      this.entries.set(key, { connection, announced: old?.announced ?? false });
      if (old?.announced) {
        this.log.info({ cluster: key }, 'cluster kubeconfig changed: reconnected');
        this.emit({ type: 'changed', connection, previous: old.connection });
      }
      return client;
    });
  }

  /** Marks a connected cluster ready: listeners get `added` the first time. */
  setReady(id: ClusterId): void {
    const e = this.entries.get(clusterIdKey(id));
    if (!e || e.announced) return;
    e.announced = true;
    this.log.info({ cluster: e.connection.key }, 'cluster added');
    this.emit({ type: 'added', connection: e.connection });
  }

  /** Forgets a cluster: listeners get `removed` (if it was ready), then its watches stop and its client closes. */
  async remove(id: ClusterId): Promise<void> {
    const key = clusterIdKey(id);
    await this.serial(key, async () => {
      const e = this.entries.get(key);
      if (!e) return;
      this.entries.delete(key);
      if (e.announced) {
        this.log.info({ cluster: key }, 'cluster removed');
        this.emit({ type: 'removed', connection: e.connection });
      }
      await this.dropConnection(e.connection);
    });
  }

  /**
   * Calls `listener` for every cluster event, and at once with `added` for every ready cluster.
   * Listeners run synchronously: unsubscribe watches in `removed`/`changed` before returning.
   */
  subscribe(listener: ClusterListener, { replay = true } = {}): () => void {
    this.listeners.add(listener);
    if (replay) for (const c of this.ready()) this.call(listener, { type: 'added', connection: c });
    return () => this.listeners.delete(listener);
  }

  /**
   * Enqueues `keys(event)` into `controller` on every cluster event, e.g. the ClusterSummaries of
   * a cluster that became ready. Ready clusters are replayed as `added` at once.
   */
  trigger(controller: { enqueue(key: string): void }, keys: (event: ClusterEvent) => string[]): () => void {
    return this.subscribe((ev) => {
      for (const k of keys(ev)) controller.enqueue(k);
    });
  }

  /**
   * Feeds `controller` from an informer of `type` in every ready cluster, present and future.
   * Keys are `mappers.inCluster(connection.key, map)`: `<capi|sveltos>/<ns>/<name>:<ns>/<obj>`,
   * split them with `splitClusterKey` and look the cluster up with `getByKey`.
   */
  watchAll<T extends KubeObject = KubeObject>(
    controller: Controller,
    type: InformerType,
    options: WatchOptions<T> = {},
  ): () => void {
    const offs = new Map<string, () => void>();
    const attach = (c: ClusterConnection) => {
      offs.get(c.key)?.();
      const inf: Informer<T> = c.informers.informer<T>(type);
      offs.set(
        c.key,
        controller.watch(inf, {
          ...options,
          map: mappers.inCluster(c.key, options.map as MapFunc | undefined) as MapFunc<T>,
        }),
      );
    };
    const unsubscribe = this.subscribe((ev) => {
      switch (ev.type) {
        case 'added':
        case 'changed':
          attach(ev.connection);
          break;
        case 'removed':
          offs.get(ev.connection.key)?.();
          offs.delete(ev.connection.key);
          break;
        default: {
          const never: never = ev;
          throw new Error(`unknown cluster event ${JSON.stringify(never)}`);
        }
      }
    });
    return () => {
      unsubscribe();
      for (const off of offs.values()) off();
      offs.clear();
    };
  }

  /** Drops every connection (used on shutdown after the managers stopped). */
  async close(): Promise<void> {
    for (const e of [...this.entries.values()]) await this.remove(e.connection.id);
  }

  private async dropConnection(c: ClusterConnection): Promise<void> {
    await this.factory.dropCluster(c.key);
    c.client.close();
  }

  private emit(ev: ClusterEvent): void {
    for (const l of [...this.listeners]) this.call(l, ev);
  }

  private call(l: ClusterListener, ev: ClusterEvent): void {
    try {
      l(ev);
    } catch (err) {
      this.log.error(
        { err: String(err), cluster: ev.connection.key, event: ev.type },
        'cluster listener failed',
      );
    }
  }

  private async serial<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const prev = this.pending.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.pending.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.pending.get(key) === tail) this.pending.delete(key);
    }
  }
}
