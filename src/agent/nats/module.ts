/**
 * The NATS/JetStream agent module: watches the `sveltos-nats` Secret and the EventSources, and
 * runs one NatsWatcher for the current configuration, restarting it when the Secret's content
 * hash changes (Sveltos restarts the whole agent; we restart only the messaging part).
 */
import { EventEmitter } from 'node:events';
import { Counter } from 'prom-client';
import { SVELTOS_NAMESPACE } from '../../api/index.js';
import { errorMessage } from '../../lib/errors.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import { type Runnable, sleep } from '../../runtime/index.js';
import type { AgentContext, AgentModule } from '../context.js';
import {
  ClusterEventSources,
  EVENTS_FIELD_MANAGER,
  type EventSourceProvider,
  ensureEventCrds,
  reportTargetOf,
} from '../events/index.js';
import { configHash, NATS_SECRET_NAME, parseNatsConfig, secretConfigText } from './config.js';
import type { EventSourceCriteria } from './match.js';
import { type CloudEventSink, EventReportSink } from './report-sink.js';
import { type Disposition, NatsWatcher } from './watcher.js';

export interface NatsModuleOptions {
  /** Namespace of the Secret. Default `projectsveltos`. */
  namespace?: string;
  /**
   * Agentless placement: the management cluster's client, where reports are written (as the
   * events module does). Without it reports go to `projectsveltos/<eventSource>` in the cluster.
   */
  management?: KubeClient;
  /**
   * Where EventSources come from. Default: the managed cluster's EventSource objects (push). The
   * agentless management plane passes the same `StaticEventSources` it gives the events module
   * (in agentless placement no EventSource is copied into the managed cluster).
   */
  sources?: (ctx: AgentContext) => EventSourceProvider;
  /** Where matching CloudEvents go. Default: the EventReport in the managed cluster. */
  sink?: (ctx: AgentContext) => CloudEventSink;
  /** Durable consumer name. Default `sveltos-agent-<clusterNamespace>-<clusterName>`. */
  durableName?: string;
  /** Install the EventSource/EventReport CRDs when missing. Default true. */
  installCrds?: boolean;
  reconnectTimeWaitMs?: number;
  nakDelayMs?: number;
  streamRetryMs?: number;
  ackWaitMs?: number;
  /** Wait before restarting a watcher that failed. Default 2,000 ms. */
  restartDelayMs?: number;
}

/** Observable state for tests and diagnostics. */
export interface NatsModuleEvents {
  /** A watcher started for the config with this hash ('' = no config / invalid). */
  configured: [hash: string, error: string | undefined];
  disposition: [d: Disposition, natsSubject: string];
}

type ResultLabel = 'cluster' | 'result';

/** CloudEvents handled, by what happened to them (recorded, duplicate, unmatched, rejected, failed, ignored). */
function cloudEventCounter(ctx: AgentContext): Counter<ResultLabel> {
  const name = 'flotilla_agent_cloudevents_total';
  const existing = ctx.registry.getSingleMetric(name) as Counter<ResultLabel> | undefined;
  return (
    existing ??
    new Counter({
      name,
      help: 'NATS/JetStream messages handled by the agent, by result',
      labelNames: ['cluster', 'result'],
      registers: [ctx.registry],
    })
  );
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

export class NatsAgentModule implements Runnable {
  readonly needLeaderElection = false;
  readonly events = new EventEmitter<NatsModuleEvents>();
  private readonly namespace: string;
  private wake: (() => void) | undefined;

  constructor(
    private readonly ctx: AgentContext,
    private readonly opts: NatsModuleOptions = {},
  ) {
    this.namespace = opts.namespace ?? SVELTOS_NAMESPACE;
  }

  async start(signal: AbortSignal): Promise<void> {
    const { client, informers, logger, clock } = this.ctx;
    const log = logger.child({ module: 'nats' });
    if (this.opts.installCrds ?? true) await ensureEventCrds(client, EVENTS_FIELD_MANAGER);
    const secrets = informers.informer<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: this.namespace,
      fieldSelector: `metadata.name=${NATS_SECRET_NAME}`,
    });
    const sources = this.opts.sources?.(this.ctx) ?? new ClusterEventSources(informers);
    const names = new Set<string>();
    const poke = () => this.wake?.();
    const offs = [
      secrets.addHandler({ onAdd: poke, onUpdate: poke, onDelete: poke }),
      sources.subscribe((name) => names.add(name)),
    ];
    const sink =
      this.opts.sink?.(this.ctx) ?? new EventReportSink(reportTargetOf(this.ctx, this.opts.management));
    try {
      // Matching needs the EventSources: a JetStream message acked before they list would be lost.
      if (!(await secrets.waitForSync(signal)) || !(await sources.waitForSync(signal))) return;
      const aborted = abortPromise(signal);
      let hash: string | undefined;
      let running: { stop: AbortController; done: Promise<void>; failed: boolean } | undefined;
      while (!signal.aborted) {
        const woke = new Promise<void>((r) => {
          this.wake = r;
        });
        const text = secretConfigText(secrets.store.getByName(this.namespace, NATS_SECRET_NAME) ?? {});
        const next = configHash(text);
        if (next !== hash || running?.failed) {
          if (running) {
            running.stop.abort();
            await running.done;
            running = undefined;
          }
          hash = next;
          running = this.launch(text, next, sink, () => criteria(sources, names), log);
          void running.done.then(() => this.wake?.());
        }
        await Promise.race([woke, aborted]);
        if (running?.failed) await sleep(clock, this.opts.restartDelayMs ?? 2000, signal);
      }
      if (running) {
        running.stop.abort();
        await running.done;
      }
    } finally {
      for (const off of offs) off();
      this.wake = undefined;
    }
  }

  private launch(
    text: string | undefined,
    hash: string,
    sink: CloudEventSink,
    sources: () => EventSourceCriteria[],
    log: AgentContext['logger'],
  ) {
    const stop = new AbortController();
    const state = { stop, done: Promise.resolve(), failed: false };
    if (text === undefined) {
      log.info(`no Secret ${this.namespace}/${NATS_SECRET_NAME}: NATS watcher idle`);
      this.events.emit('configured', '', undefined);
      return state;
    }
    let config: ReturnType<typeof parseNatsConfig>;
    try {
      config = parseNatsConfig(text);
    } catch (err) {
      log.error(
        { err: errorMessage(err) },
        'invalid NATS configuration; NATS watcher idle until the Secret changes',
      );
      this.events.emit('configured', '', errorMessage(err));
      return state;
    }
    const { clusterName, clusterNamespace } = this.ctx;
    const watcher = new NatsWatcher({
      config,
      sink,
      sources,
      logger: log,
      clock: this.ctx.clock,
      durableName:
        this.opts.durableName ?? `sveltos-agent-${sanitize(clusterNamespace)}-${sanitize(clusterName)}`,
      clientName: `flotilla-agent-${clusterNamespace}-${clusterName}`,
      ...(this.opts.reconnectTimeWaitMs !== undefined
        ? { reconnectTimeWaitMs: this.opts.reconnectTimeWaitMs }
        : {}),
      ...(this.opts.nakDelayMs !== undefined ? { nakDelayMs: this.opts.nakDelayMs } : {}),
      ...(this.opts.streamRetryMs !== undefined ? { streamRetryMs: this.opts.streamRetryMs } : {}),
      ...(this.opts.ackWaitMs !== undefined ? { ackWaitMs: this.opts.ackWaitMs } : {}),
    });
    const counter = cloudEventCounter(this.ctx);
    watcher.onDisposition = (d, s) => {
      const result = d.kind === 'recorded' && d.duplicates === d.eventSources.length ? 'duplicate' : d.kind;
      counter.inc({ cluster: clusterName, result });
      this.events.emit('disposition', d, s);
    };
    log.info({ hash: hash.slice(0, 12) }, 'NATS configuration loaded; connecting');
    this.events.emit('configured', hash, undefined);
    state.done = watcher.start(stop.signal).then(
      () => {
        if (stop.signal.aborted) return;
        state.failed = true;
        log.warn('NATS watcher stopped on its own (connection closed or stream gone); restarting');
      },
      (err) => {
        if (stop.signal.aborted) return;
        state.failed = true;
        log.error({ err: errorMessage(err) }, 'NATS watcher failed; restarting');
      },
    );
    return state;
  }
}

/** The EventSources with messagingMatchCriteria among `names` (every name ever notified). */
function criteria(sources: EventSourceProvider, names: Set<string>): EventSourceCriteria[] {
  const out: EventSourceCriteria[] = [];
  for (const name of [...names].sort()) {
    const s = sources.get(name);
    if (!s) {
      names.delete(name);
      continue;
    }
    if ((s.spec?.messagingMatchCriteria?.length ?? 0) > 0 && !s.metadata?.deletionTimestamp)
      out.push({ name, criteria: s.spec?.messagingMatchCriteria ?? [] });
  }
  return out;
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((r) => {
    if (signal.aborted) r();
    else signal.addEventListener('abort', () => r(), { once: true });
  });
}

/** NATS/JetStream CloudEvents as an agent module (opt-in, like Sveltos `--enable-nats-watcher`). */
export function natsModule(opts: NatsModuleOptions = {}): AgentModule {
  return { name: 'nats', create: (ctx) => new NatsAgentModule(ctx, opts) };
}
