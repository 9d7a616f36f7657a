/**
 * Agentless placement: one agent (src/agent) per ready managed cluster, run inside this process
 * on the plane's connection to that cluster (its client and shared informers). Agents follow
 * the connections: started when a cluster becomes ready, restarted when its kubeconfig changes,
 * stopped when it is removed.
 */
import { setMaxListeners } from 'node:events';
import { type AgentModule, createAgent } from '../../agent/index.js';
import type { ClusterConnections, ClusterEvent } from '../../controllers/clusters/index.js';
import { errorMessage } from '../../lib/errors.js';
import { type Logger, type Runnable, silentLogger } from '../../runtime/index.js';

export interface AgentlessAgentsOptions {
  connections: ClusterConnections;
  logger?: Logger;
  /** Agent modules (default: the agent's own default list). */
  modules?: readonly AgentModule[];
}

interface Running {
  ac: AbortController;
  done: Promise<void>;
}

export class AgentlessAgents implements Runnable {
  readonly needLeaderElection = false;
  private readonly running = new Map<string, Running>();
  private readonly log: Logger;

  constructor(private readonly opts: AgentlessAgentsOptions) {
    this.log = (opts.logger ?? silentLogger()).child({ component: 'agentless-agents' });
  }

  /** Keys (`sveltos/<ns>/<name>`) of the clusters with a running agent. */
  clusters(): string[] {
    return [...this.running.keys()];
  }

  async start(signal: AbortSignal): Promise<void> {
    // The manager's signal is shared by every runnable and controller of the process.
    setMaxListeners(0, signal);
    if (signal.aborted) return;
    const off = this.opts.connections.subscribe((ev) => this.onEvent(ev));
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    off();
    const all = [...this.running.values()];
    this.running.clear();
    for (const r of all) r.ac.abort();
    await Promise.all(all.map((r) => r.done));
  }

  private onEvent(ev: ClusterEvent): void {
    const key = ev.connection.key;
    switch (ev.type) {
      case 'added':
      case 'changed':
        this.stop(key);
        this.launch(ev);
        break;
      case 'removed':
        this.stop(key);
        break;
      default: {
        const never: never = ev;
        throw new Error(`unknown cluster event ${JSON.stringify(never)}`);
      }
    }
  }

  private stop(key: string): void {
    const r = this.running.get(key);
    if (!r) return;
    this.running.delete(key);
    r.ac.abort();
  }

  private launch(ev: Extract<ClusterEvent, { type: 'added' | 'changed' }>): void {
    const c = ev.connection;
    const agent = createAgent({
      client: c.client,
      clusterName: c.id.name,
      clusterNamespace: c.id.namespace,
      clusterType: c.id.type,
      informers: c.informers,
      logger: this.log,
      ...(this.opts.modules ? { modules: this.opts.modules } : {}),
    });
    const ac = new AbortController();
    const done = agent.start(ac.signal).catch((err) => {
      // The agent stopped itself; the next connection event (or a restart) starts a new one.
      if (!ac.signal.aborted)
        this.log.error({ cluster: c.key, err: errorMessage(err) }, 'agent failed and stopped');
    });
    this.running.set(c.key, { ac, done });
  }
}
