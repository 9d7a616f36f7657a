/**
 * Reaches managed clusters: a KubeClient per SveltosCluster, built from its kubeconfig Secret
 * (read from the management cache) and rebuilt when the Secret changes. A small adapter until the
 * shared ClusterConnections registry is wired in; it has no timers and does no I/O of its own
 * beyond loading kubeconfigs.
 */
import { kubeconfigFromSecret, type Secret } from '../../api/index.js';
import { KubeClient } from '../../kube/index.js';
import type { CacheReader, ClusterInformers, InformerFactory } from '../../runtime/index.js';
import type { SveltosClusterObject } from './types.js';

/** A reachable managed cluster: its client and its (lazily created) informers. */
export interface ManagedConnection {
  client: KubeClient;
  informers: ClusterInformers;
}

/**
 * How add-on controllers reach managed clusters. Implemented by ClusterAccess below, or by the
 * shared ClusterConnections registry (`{ connection: async (id) => connections.get(id) }`).
 */
export interface ManagedClusters {
  /** The connection of a ready cluster; throws ClusterUnavailableError saying why there is none. */
  connection(id: { namespace: string; name: string; type: 'Sveltos' | 'Capi' }): Promise<ManagedConnection>;
}

export class ClusterUnavailableError extends Error {
  override readonly name = 'ClusterUnavailableError';
  readonly code = 'addon.cluster-unavailable';
}

interface Entry {
  secretVersion: string;
  client: KubeClient;
}

export class ClusterAccess implements ManagedClusters {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<KubeClient>>();

  constructor(
    private readonly opts: {
      clusters: CacheReader<SveltosClusterObject>;
      secrets: CacheReader;
      /** Per-managed-cluster informers (ResourceSummaries); dropped with the client. */
      informers: InformerFactory;
    },
  ) {}

  async connection(id: { namespace: string; name: string }): Promise<ManagedConnection> {
    const client = await this.client(id.namespace, id.name);
    return { client, informers: this.opts.informers.forCluster(client) };
  }

  /** Name of a managed cluster's client and informer set. */
  static clientName(namespace: string, name: string): string {
    return `sveltos--${namespace}--${name}`;
  }

  /** The client of a ready SveltosCluster; throws ClusterUnavailableError saying why not. */
  async client(namespace: string, name: string): Promise<KubeClient> {
    const key = `${namespace}/${name}`;
    const cluster = this.opts.clusters.get(key);
    if (!cluster) throw new ClusterUnavailableError(`SveltosCluster ${key} does not exist`);
    const secretName = cluster.spec?.kubeconfigName || `${name}-sveltos-kubeconfig`;
    const secret = this.opts.secrets.getByName(namespace, secretName) as Secret | undefined;
    if (!secret) {
      throw new ClusterUnavailableError(
        `kubeconfig Secret ${namespace}/${secretName} of SveltosCluster ${key} not found: create it`,
      );
    }
    const version = secret.metadata?.resourceVersion ?? '';
    const have = this.entries.get(key);
    if (have && have.secretVersion === version) return have.client;
    const inflight = this.pending.get(`${key}@${version}`);
    if (inflight) return inflight;
    const p = (async () => {
      const { yaml } = kubeconfigFromSecret(secret, cluster.spec?.kubeconfigKeyName);
      const client = await KubeClient.fromKubeconfig(
        { yaml },
        { name: ClusterAccess.clientName(namespace, name) },
      );
      const old = this.entries.get(key);
      if (old) await this.dropEntry(key, old);
      this.entries.set(key, { secretVersion: version, client });
      return client;
    })().finally(() => this.pending.delete(`${key}@${version}`));
    this.pending.set(`${key}@${version}`, p);
    return p;
  }

  /** Forgets a cluster: stops its informers, closes its client. */
  async drop(namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    const e = this.entries.get(key);
    if (e) await this.dropEntry(key, e);
  }

  private async dropEntry(key: string, e: Entry): Promise<void> {
    this.entries.delete(key);
    await this.opts.informers.dropCluster(e.client.cluster);
    e.client.close();
  }

  close(): void {
    for (const e of this.entries.values()) e.client.close();
    this.entries.clear();
  }
}
