/**
 * The messaging part for one `sveltos-nats` configuration: core NATS subscriptions and JetStream
 * durable consumers, each message parsed as a CloudEvent, matched against the EventSources and
 * handed to the sink. Runs until the signal aborts (the module restarts it on a config change).
 */
import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  type JsMsg,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { Clock } from '../../lib/clock.js';
import { errorMessage } from '../../lib/errors.js';
import type { Logger } from '../../runtime/index.js';
import { sleep } from '../../runtime/index.js';
import { parseCloudEvent } from './cloud-event.js';
import type { CoreNatsConfig, JetStreamConfig, NatsConfig, StreamConfig } from './config.js';
import { connectionOptions, type ReconnectPolicy } from './connection.js';
import { type EventSourceCriteria, matchingEventSources, subjectMatches } from './match.js';
import type { CloudEventSink } from './report-sink.js';

export interface WatcherOptions extends ReconnectPolicy {
  config: NatsConfig;
  sink: CloudEventSink;
  /** The EventSources with messagingMatchCriteria, read at each message. */
  sources: () => readonly EventSourceCriteria[];
  logger: Logger;
  clock: Clock;
  /** Durable consumer name (one per cluster: two agents sharing one would split the messages). */
  durableName: string;
  /** NATS client name. */
  clientName: string;
  /** Redelivery delay after a failed recording. Default 1,000 ms (Sveltos `NakWithDelay(1s)`). */
  nakDelayMs?: number;
  /**
   * Ack wait of a newly created durable consumer. Default 10,000 ms: a message handed to the pull
   * request of an agent that just stopped comes back after this long.
   */
  ackWaitMs?: number;
  /** Wait before retrying a missing stream. Default 2,000 ms. */
  streamRetryMs?: number;
}

/** What happened to one message (for logs, metrics and tests). */
export type Disposition =
  | { kind: 'recorded'; eventSources: string[]; duplicates: number }
  | { kind: 'unmatched' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'failed'; error: string }
  | { kind: 'ignored'; reason: string };

export class NatsWatcher {
  private readonly conns: NatsConnection[] = [];
  private termWithReason = false;
  /** Called after each message is settled; tests wait on it. */
  onDisposition: ((d: Disposition, natsSubject: string) => void) | undefined;

  constructor(private readonly opts: WatcherOptions) {}

  /**
   * Runs until `signal` aborts. When one part (core or JetStream) fails or ends, the other is
   * stopped too and the error is thrown, so the module restarts the whole configuration.
   */
  async start(signal: AbortSignal): Promise<void> {
    const { config } = this.opts;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    const closeAll = () => {
      for (const nc of this.conns) void nc.close().catch(() => {});
    };
    signal.addEventListener('abort', onAbort, { once: true });
    inner.signal.addEventListener('abort', closeAll, { once: true });
    if (signal.aborted) inner.abort();
    let failure: unknown;
    const guard = (what: string, p: Promise<void>) =>
      p.then(
        () => {
          if (!inner.signal.aborted) {
            failure ??= new Error(`NATS ${what} part stopped (connection closed or stream gone)`);
            inner.abort();
          }
        },
        (err) => {
          if (!inner.signal.aborted) {
            failure ??= err;
            inner.abort();
          }
        },
      );
    try {
      const runs: Promise<void>[] = [];
      if (config.nats) runs.push(guard('core', this.runCore(config.nats, inner.signal)));
      if (config.jetstream) runs.push(guard('JetStream', this.runJetStream(config.jetstream, inner.signal)));
      await Promise.all(runs);
      if (failure !== undefined && !signal.aborted) throw failure;
    } finally {
      signal.removeEventListener('abort', onAbort);
      inner.abort();
    }
  }

  private async open(url: string, cfg: CoreNatsConfig | JetStreamConfig, what: string, signal: AbortSignal) {
    const log = this.opts.logger;
    const options = connectionOptions(url, cfg.auth, `${this.opts.clientName}-${what}`, this.opts);
    let nc: NatsConnection | undefined;
    for (let attempt = 1; !nc; attempt++) {
      if (signal.aborted) throw new Error(`connecting to NATS at ${url} was cancelled`);
      try {
        nc = await connect(options);
      } catch (err) {
        if (attempt === 1 || attempt % 30 === 0) {
          log.warn({ nats: what, url, attempt, err: errorMessage(err) }, 'cannot connect to NATS; retrying');
        }
        await sleep(this.opts.clock, this.opts.reconnectTimeWaitMs ?? 1000, signal);
      }
    }
    this.conns.push(nc);
    if (signal.aborted) await nc.close();
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') {
          log.info(
            { nats: what, status: s.type, server: 'server' in s ? s.server : undefined },
            'NATS connection status',
          );
        }
      }
    })().catch(() => {});
    log.info({ nats: what, url }, 'connected to NATS');
    return nc;
  }

  private async runCore(cfg: CoreNatsConfig, signal: AbortSignal): Promise<void> {
    const nc = await this.open(cfg.url, cfg, 'core', signal);
    const subs = cfg.subjects.map((subject) => this.consumeCore(nc.subscribe(subject), subject));
    const [closed] = await Promise.all([nc.closed(), ...subs]);
    if (closed && !signal.aborted)
      throw new Error(`NATS connection to ${cfg.url} closed: ${errorMessage(closed)}`);
  }

  private async consumeCore(sub: AsyncIterable<Msg>, subject: string): Promise<void> {
    for await (const m of sub) {
      const d = await this.handle(m.subject, m.data);
      this.log(d, m.subject, subject);
      this.onDisposition?.(d, m.subject);
    }
  }

  private async runJetStream(cfg: JetStreamConfig, signal: AbortSignal): Promise<void> {
    const nc = await this.open(cfg.url, cfg, 'jetstream', signal);
    this.termWithReason = atLeast(nc.info?.version ?? '0.0.0', 2, 10);
    const jsm = await jetstreamManager(nc);
    await Promise.all(cfg.streams.map((s) => this.consumeStream(nc, jsm, s, signal)));
  }

  /** Ensures the durable consumer (retrying while the stream is missing) and consumes it. */
  private async consumeStream(
    nc: NatsConnection,
    jsm: JetStreamManager,
    stream: StreamConfig,
    signal: AbortSignal,
  ): Promise<void> {
    const log = this.opts.logger;
    const durable = this.opts.durableName;
    while (!signal.aborted) {
      try {
        await ensureConsumer(jsm, stream.name, durable, this.opts.ackWaitMs ?? 10_000);
        break;
      } catch (err) {
        if (signal.aborted || nc.isClosed()) return;
        log.warn(
          { stream: stream.name, err: errorMessage(err) },
          'JetStream consumer not ready (does the stream exist?); retrying',
        );
        await sleep(this.opts.clock, this.opts.streamRetryMs ?? 2000, signal);
      }
    }
    if (signal.aborted) return;
    const consumer = await jetstream(nc).consumers.get(stream.name, durable);
    // Short pull expiry: a pull request left by a stopped agent ages out fast instead of holding
    // a message until ack_wait.
    const messages = await consumer.consume({ max_messages: 64, expires: 5000 });
    for await (const m of messages) {
      await this.settle(m, stream);
      if (signal.aborted) break;
    }
  }

  private async settle(m: JsMsg, stream: StreamConfig): Promise<void> {
    let d: Disposition;
    if (stream.subjects.length > 0 && !stream.subjects.some((f) => subjectMatches(f, m.subject))) {
      d = { kind: 'ignored', reason: `subject not in streams[${stream.name}].subjects` };
      m.ack();
    } else {
      d = await this.handle(m.subject, m.data);
      switch (d.kind) {
        case 'recorded':
        case 'unmatched':
        case 'ignored':
          m.ack();
          break;
        case 'rejected':
          // Servers before 2.10 ignore `+TERM <reason>` (the message would come back after
          // ack_wait): send the reason only where it is understood; it is logged either way.
          if (this.termWithReason) m.term(d.reason);
          else m.term();
          break;
        case 'failed':
          m.nak(this.opts.nakDelayMs ?? 1000);
          break;
      }
    }
    this.log(d, m.subject, `stream ${stream.name} seq ${m.seq}`);
    this.onDisposition?.(d, m.subject);
  }

  /** Parses, matches and records one message. Never throws. */
  private async handle(natsSubject: string, data: Uint8Array): Promise<Disposition> {
    const parsed = parseCloudEvent(data);
    if (!parsed.ok) return { kind: 'rejected', reason: parsed.reason };
    const e = parsed.event;
    const names = matchingEventSources(this.opts.sources(), {
      natsSubject,
      source: e.source,
      type: e.type,
      subject: e.subject,
    });
    if (names.length === 0) return { kind: 'unmatched' };
    let duplicates = 0;
    try {
      for (const name of names) {
        if ((await this.opts.sink.record(name, e)) === 'duplicate') duplicates++;
      }
    } catch (err) {
      return { kind: 'failed', error: errorMessage(err) };
    }
    return { kind: 'recorded', eventSources: names, duplicates };
  }

  private log(d: Disposition, natsSubject: string, where: string): void {
    const log = this.opts.logger;
    switch (d.kind) {
      case 'rejected':
        log.warn(
          { subject: natsSubject, where, reason: d.reason },
          'NATS message is not a valid CloudEvent; dropped',
        );
        break;
      case 'failed':
        log.warn(
          { subject: natsSubject, where, err: d.error },
          'recording a CloudEvent failed; will be redelivered',
        );
        break;
      case 'recorded':
        log.debug({ subject: natsSubject, where, eventSources: d.eventSources }, 'CloudEvent recorded');
        break;
      default:
        break;
    }
  }
}

function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return a > major || (a === major && b >= minor);
}

/** Creates the durable pull consumer, or leaves an existing one (its cursor is the point). */
async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  ackWaitMs: number,
): Promise<void> {
  try {
    await jsm.consumers.info(stream, durable);
    return;
  } catch (err) {
    if (!(err instanceof JetStreamApiError)) throw err;
  }
  // DeliverAll on creation: at-least-once from the first start; duplicates are de-duplicated.
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ackWaitMs * 1_000_000,
    max_deliver: -1,
  });
}
