import {
  encodeSecretValue,
  LIB_API_VERSION,
  MGMT_CLUSTER_NAME,
  MGMT_CLUSTER_NAMESPACE,
  namespaceType,
  secretType,
  sveltosKubeconfigSecretName,
  sveltosTypes,
} from '../../api/index.js';
import { type Clock, systemClock } from '../../lib/clock.js';
import { errorMessage } from '../../lib/errors.js';
import { isAlreadyExists, type KubeClient } from '../../kube/index.js';
import { type Logger, type Runnable, silentLogger, sleep } from '../../runtime/index.js';

export interface ManagementRegistrationOptions {
  /** The management cluster. */
  client: KubeClient;
  /** Kubeconfig YAML through which controllers reach the management cluster as a managed one. */
  kubeconfig: string;
  name?: string;
  namespace?: string;
  logger?: Logger;
  clock?: Clock;
  /** Retry backoff while the management cluster refuses: default 200 ms doubling to 30 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Wait for leadership before writing. Default true. */
  needLeaderElection?: boolean;
}

const FIELD_MANAGER = 'flotilla-mgmt-registration';

/**
 * Registers the management cluster as SveltosCluster `mgmt/mgmt` with its kubeconfig Secret
 * `mgmt-sveltos-kubeconfig`, so it can be a source or destination like any other cluster. The
 * Secret is kept up to date (server-side apply); the SveltosCluster is created once and then left
 * to its users (labels, pause). Retries until it succeeds, then idles until stopped.
 */
export class ManagementClusterRegistration implements Runnable {
  readonly needLeaderElection: boolean;
  private readonly log: Logger;
  private registered = false;

  constructor(private readonly opts: ManagementRegistrationOptions) {
    this.needLeaderElection = opts.needLeaderElection ?? true;
    this.log = (opts.logger ?? silentLogger()).child({ component: 'mgmt-registration' });
  }

  get isRegistered(): boolean {
    return this.registered;
  }

  async start(signal: AbortSignal): Promise<void> {
    const clock = this.opts.clock ?? systemClock;
    let delay = this.opts.backoffBaseMs ?? 200;
    while (!signal.aborted && !this.registered) {
      try {
        await this.register(signal);
        this.registered = true;
      } catch (err) {
        if (signal.aborted) break;
        this.log.warn(
          { err: errorMessage(err), retryInMs: delay },
          'cannot register the management cluster; retrying',
        );
        await sleep(clock, delay, signal);
        delay = Math.min(delay * 2, this.opts.backoffMaxMs ?? 30_000);
      }
    }
    if (signal.aborted) return;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  /** One idempotent registration pass. */
  async register(signal?: AbortSignal): Promise<void> {
    const name = this.opts.name ?? MGMT_CLUSTER_NAME;
    const namespace = this.opts.namespace ?? MGMT_CLUSTER_NAMESPACE;
    const c = this.opts.client;
    try {
      await c.create({ ...namespaceType, metadata: { name: namespace } }, { signal });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    await c.apply(
      {
        ...secretType,
        metadata: { name: sveltosKubeconfigSecretName(name), namespace },
        type: 'Opaque',
        data: { kubeconfig: encodeSecretValue(this.opts.kubeconfig) },
      },
      { fieldManager: FIELD_MANAGER, force: true, signal },
    );
    try {
      await c.create(
        {
          apiVersion: LIB_API_VERSION,
          kind: sveltosTypes.SveltosCluster.kind,
          metadata: { name, namespace },
          spec: {},
        },
        { signal, fieldManager: FIELD_MANAGER },
      );
      this.log.info({ cluster: `${namespace}/${name}` }, 'management cluster registered');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
