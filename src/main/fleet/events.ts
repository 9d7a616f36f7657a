/**
 * The event framework in agentless placement (`flotilla up`, `flotilla controller --agentless`):
 * the EventTrigger controllers hand each cluster's EventSources to a sink, and the in-process
 * agent of that cluster evaluates them from the same `StaticEventSources` and writes its
 * EventReports straight into the management cluster. Optionally the NATS/JetStream watcher
 * (`--nats`) runs in every agent too.
 */
import { type AgentContext, type AgentModule, defaultAgentModules } from '../../agent/index.js';
import { eventsModule, StaticEventSources } from '../../agent/events/index.js';
import { natsModule } from '../../agent/nats/index.js';
import type { ClusterId } from '../../api/index.js';
import { createEventControllers, eventModule } from '../../controllers/event/module.js';
import type { PlaneModule } from '../../controllers/management-plane.js';
import type { KubeClient } from '../../kube/index.js';
import { UsageError } from '../../lib/errors.js';

export interface AgentlessEventsOptions {
  /** Grace before an empty or missing EventReport withdraws its generated profiles (default 30 s). */
  emptyGraceMs?: number;
  /** Also run the NATS/JetStream CloudEvent watcher in every agent. */
  nats?: boolean;
}

function keyOf(type: string, namespace: string, name: string): string {
  return `${type.toLowerCase()}/${namespace}/${name}`;
}

export class AgentlessEvents {
  private readonly byCluster = new Map<string, StaticEventSources>();

  constructor(private readonly opts: AgentlessEventsOptions = {}) {}

  /** The EventSources of one cluster, shared by the sink (writer) and the agent (reader). */
  private sourcesOf(type: string, namespace: string, name: string): StaticEventSources {
    const key = keyOf(type, namespace, name);
    let s = this.byCluster.get(key);
    if (!s) this.byCluster.set(key, (s = new StaticEventSources()));
    return s;
  }

  /** The EventTrigger controllers' sink: the full set of EventSources of one cluster. */
  readonly sink = (cluster: ClusterId, list: Parameters<StaticEventSources['replaceAll']>[0]): void => {
    this.sourcesOf(cluster.type, cluster.namespace, cluster.name).replaceAll(list);
  };

  /** `base` with the event module replaced by its agentless form (EventSources go to the sink). */
  planeModules(base: readonly PlaneModule[]): PlaneModule[] {
    const agentless: PlaneModule = (ctx) =>
      createEventControllers(
        {
          options: ctx.options,
          mgmt: ctx.mgmt,
          informers: ctx.informers,
          logger: ctx.logger,
          clock: ctx.clock,
        },
        {
          sink: this.sink,
          ...(this.opts.emptyGraceMs !== undefined ? { emptyGraceMs: this.opts.emptyGraceMs } : {}),
        },
      );
    const out = base.map((m) => (m === eventModule ? agentless : m));
    if (!out.includes(agentless)) out.push(agentless);
    return out;
  }

  /**
   * The modules of every agent: the defaults (their push-placement `events` module replaced by
   * the agentless one fed by the sink), and NATS when asked.
   */
  agentModules(management: KubeClient): AgentModule[] {
    // Agentless: no EventSource is copied into the managed cluster, so the NATS watcher matches
    // CloudEvents against the same set the evaluator reads.
    const sources = (ctx: AgentContext) =>
      this.sourcesOf(ctx.clusterType, ctx.clusterNamespace, ctx.clusterName);
    return [
      ...defaultAgentModules().filter((m) => m.name !== 'events' && m.name !== 'nats'),
      eventsModule({ management, sources }),
      ...(this.opts.nats ? [natsModule({ management, sources })] : []),
    ];
  }
}

/** Parses a removal grace such as `500ms`, `5s`, `2m` or a number of milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (!m)
    throw new UsageError(
      `${flag} must be a duration such as 500ms, 5s or 2m (or plain milliseconds), got ${JSON.stringify(value)}`,
    );
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
}
