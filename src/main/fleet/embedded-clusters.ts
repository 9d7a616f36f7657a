/**
 * Embedded managed clusters, driven by the management cluster: a SveltosCluster labelled
 * `flotilla.dev/embedded: "true"` asks `flotilla up` for a virtual cluster of that name in its
 * API server, plus the kubeconfig Secret the SveltosCluster controller reads. Deleting the
 * SveltosCluster (or dropping the label) removes the virtual cluster and its data. So
 * `flotilla cluster create|delete` and `kubectl apply|delete` do the same thing.
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import type { ApiServer } from '../../apiserver/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import {
  Controller,
  type Informer,
  type InformerFactory,
  type Logger,
  Outcome,
  type Runnable,
  silentLogger,
} from '../../runtime/index.js';
import { type ClusterSpec, MGMT } from './spec.js';

export const EMBEDDED_LABEL = 'flotilla.dev/embedded';
/** Namespace of the SveltosClusters `flotilla up` registers (like `sveltosctl register --namespace`). */
export const CLUSTER_NAMESPACE = 'default';
export const SVELTOS_CLUSTER = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'SveltosCluster',
} as const;
const SECRET = { apiVersion: 'v1', kind: 'Secret' } as const;
const FIELD_MANAGER = 'flotilla-up';

interface SveltosClusterSpec {
  kubeconfigName?: string;
  kubeconfigKeyName?: string;
}

export function isEmbedded(obj: KubeObject | undefined): boolean {
  return obj?.metadata?.labels?.[EMBEDDED_LABEL] === 'true';
}

/** The SveltosCluster asking for an embedded cluster. */
export function embeddedClusterObject(spec: ClusterSpec, namespace = CLUSTER_NAMESPACE): KubeObject {
  return {
    ...SVELTOS_CLUSTER,
    metadata: { name: spec.name, namespace, labels: { ...spec.labels, [EMBEDDED_LABEL]: 'true' } },
    spec: {},
  };
}

function secretRef(sc: KubeObject): { name: string; key: string } {
  const spec = (sc.spec ?? {}) as SveltosClusterSpec;
  return {
    name: spec.kubeconfigName || `${sc.metadata?.name}-sveltos-kubeconfig`,
    key: spec.kubeconfigKeyName || 'kubeconfig',
  };
}

/** The kubeconfig Secret of an embedded cluster, owned by its SveltosCluster (deleted with it). */
export function kubeconfigSecret(sc: KubeObject, kubeconfig: string): KubeObject {
  const ref = secretRef(sc);
  return {
    ...SECRET,
    metadata: {
      name: ref.name,
      namespace: sc.metadata?.namespace,
      labels: { [EMBEDDED_LABEL]: 'true' },
      ownerReferences: [
        {
          apiVersion: SVELTOS_CLUSTER.apiVersion,
          kind: SVELTOS_CLUSTER.kind,
          name: sc.metadata?.name ?? '',
          uid: sc.metadata?.uid ?? '',
        },
      ],
    },
    type: 'Opaque',
    data: { [ref.key]: Buffer.from(kubeconfig).toString('base64') },
  };
}

/** `added` (with `resumed` when the cluster existed in an earlier run) or `removed`. */
export type EmbeddedEvent =
  | { type: 'added'; cluster: string; resumed: boolean }
  | { type: 'removed'; cluster: string };

export interface EmbeddedClustersOptions {
  server: ApiServer;
  mgmt: KubeClient;
  /** The management cluster's shared informers (the plane's). */
  informers: InformerFactory;
  logger?: Logger;
  /** Told when a virtual cluster is created or removed. */
  onEvent?: (e: EmbeddedEvent) => void;
}

/** Keeps the API server's virtual clusters in line with the embedded SveltosClusters. */
export class EmbeddedClusters implements Runnable {
  readonly needLeaderElection = false;
  private readonly controller: Controller;
  private readonly clusters: Informer;
  private readonly secrets: Informer;
  private readonly log: Logger;

  constructor(private readonly opts: EmbeddedClustersOptions) {
    this.log = (opts.logger ?? silentLogger()).child({ component: 'embedded-clusters' });
    this.clusters = opts.informers.informer(opts.mgmt, SVELTOS_CLUSTER);
    this.secrets = opts.informers.informer(opts.mgmt, SECRET);
    this.controller = new Controller({
      name: 'embedded-clusters',
      reconcile: (name) => this.reconcile(name),
      workers: 2,
      logger: this.log,
      needLeaderElection: false,
    });
    // Keyed by virtual cluster name: one cluster, whichever SveltosClusters ask for it.
    this.controller.watch(this.clusters, { map: (o) => [o.metadata?.name ?? ''] });
    this.controller.watch(this.secrets, {
      map: (o) =>
        isEmbedded(o)
          ? (o.metadata?.ownerReferences ?? [])
              .filter((r) => r.kind === SVELTOS_CLUSTER.kind)
              .map((r) => r.name)
          : [],
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    // The manager's signal is shared by every runnable and controller of the process.
    setMaxListeners(0, signal);
    const run = this.controller.start(signal);
    // Virtual clusters nobody asks for any more (deleted while we were down) go too.
    const synced = await this.clusters.waitForSync(signal);
    if (synced) for (const name of this.opts.server.clusters()) this.controller.queue.add(name);
    await run;
  }

  /** Reconciles one cluster name (also used once before the controllers start). */
  async ensure(name: string, wanted: readonly KubeObject[]): Promise<void> {
    const { server, mgmt } = this.opts;
    if (name === MGMT) return;
    if (wanted.length === 0) {
      if (!server.clusters().includes(name)) return;
      await server.removeCluster(name);
      this.log.info({ cluster: name }, 'embedded cluster removed');
      this.opts.onEvent?.({ type: 'removed', cluster: name });
      return;
    }
    if (!server.clusters().includes(name)) {
      // The server writes the kubeconfig of every cluster it serves and keeps it across runs.
      const resumed = existsSync(server.kubeconfigPath(name));
      await server.addCluster(name);
      this.log.info({ cluster: name, resumed }, 'embedded cluster added');
      this.opts.onEvent?.({ type: 'added', cluster: name, resumed });
    }
    const kubeconfig = server.kubeconfig(name);
    for (const sc of wanted) {
      const desired = kubeconfigSecret(sc, kubeconfig);
      const current = this.secrets.store.getByName(desired.metadata?.namespace, desired.metadata?.name ?? '');
      if (current && sameSecret(current, desired)) continue;
      await mgmt.apply(desired, { fieldManager: FIELD_MANAGER, force: true });
    }
  }

  private async reconcile(name: string): Promise<Outcome> {
    const wanted = this.clusters.store
      .list()
      .filter((o) => o.metadata?.name === name && isEmbedded(o) && !o.metadata?.deletionTimestamp);
    await this.ensure(name, wanted);
    return Outcome.done;
  }
}

function sameSecret(a: KubeObject, b: KubeObject): boolean {
  const da = (a.data ?? {}) as Record<string, string>;
  const db = (b.data ?? {}) as Record<string, string>;
  const owner = (o: KubeObject) => o.metadata?.ownerReferences?.[0]?.uid;
  return Object.entries(db).every(([k, v]) => da[k] === v) && owner(a) === owner(b) && isEmbedded(a);
}
