import { setMaxListeners } from 'node:events';
import { Registry } from 'prom-client';
import { type Clock, systemClock } from '../lib/clock.js';
import { errorMessage } from '../lib/errors.js';
import type { KubeClient } from '../kube/index.js';
import { ClusterInformers, type Logger, type Runnable, silentLogger } from '../runtime/index.js';
import type { AgentContext, AgentModule, ClusterType } from './context.js';
import { defaultAgentModules } from './modules.js';

export interface AgentOptions {
  /** The managed cluster's client (in-cluster, or the cluster's kubeconfig when agentless). */
  client: KubeClient;
  clusterName: string;
  clusterNamespace: string;
  clusterType: ClusterType;
  logger?: Logger;
  clock?: Clock;
  registry?: Registry;
  /**
   * Informers to share (agentless: the management process's set for this cluster, so the agent
   * and the controllers watch each kind once). The owner runs them; without it the agent creates
   * and runs its own set.
   */
  informers?: ClusterInformers;
  /** The capabilities to run. Default `defaultAgentModules()`. */
  modules?: readonly AgentModule[];
}

/**
 * The per-cluster agent: one Runnable hosting its modules on one shared informer set. The same
 * code runs inside the managed cluster or inside the management process (agentless). A module
 * that fails stops the agent (and the rest of its modules) with that error.
 */
export class Agent implements Runnable {
  readonly needLeaderElection = false;
  readonly context: AgentContext;
  private readonly modules: readonly AgentModule[];
  private readonly ownsInformers: boolean;

  constructor(opts: AgentOptions) {
    const logger = (opts.logger ?? silentLogger()).child({ agent: opts.clusterName });
    const clock = opts.clock ?? systemClock;
    this.ownsInformers = !opts.informers;
    this.context = {
      client: opts.client,
      clusterName: opts.clusterName,
      clusterNamespace: opts.clusterNamespace,
      clusterType: opts.clusterType,
      informers: opts.informers ?? new ClusterInformers(opts.client, { logger, clock }),
      logger,
      clock,
      registry: opts.registry ?? new Registry(),
    };
    this.modules = opts.modules ?? defaultAgentModules();
  }

  async start(signal: AbortSignal): Promise<void> {
    const inner = new AbortController();
    setMaxListeners(0, inner.signal);
    const onAbort = () => inner.abort();
    if (signal.aborted) inner.abort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const log = this.context.logger;
    let failure: unknown;
    const run = (name: string, r: Runnable) =>
      r.start(inner.signal).catch((err) => {
        log.error({ module: name, err: errorMessage(err) }, 'agent module failed; stopping the agent');
        failure ??= new Error(
          `agent of cluster "${this.context.clusterName}": module ${name} failed: ${errorMessage(err)}`,
          {
            cause: err,
          },
        );
        inner.abort();
      });
    const runs: Promise<void>[] = [];
    if (this.ownsInformers) runs.push(run('informers', this.context.informers));
    for (const m of this.modules) runs.push(run(m.name, m.create(this.context)));
    log.info({ modules: this.modules.map((m) => m.name) }, 'agent started');
    await Promise.all(runs);
    signal.removeEventListener('abort', onAbort);
    log.info('agent stopped');
    if (failure) throw failure;
  }
}

/** Creates the agent of one managed cluster. No I/O until `start`. */
export function createAgent(opts: AgentOptions): Agent {
  return new Agent(opts);
}
