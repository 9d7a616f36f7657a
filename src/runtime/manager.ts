import { setMaxListeners } from 'node:events';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type Clock, systemClock } from '../lib/clock.js';
import { errorMessage, FlotillaError } from '../lib/errors.js';
import { type Check, HealthServer } from './health-server.js';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
import { type Logger, silentLogger } from './logger.js';
import type { Runnable } from './runnable.js';

export class LeadershipLostError extends FlotillaError {
  override readonly name = 'LeadershipLostError';
  constructor(lease: string) {
    super(
      'leadership-lost',
      `lost leadership of lease ${lease}: the manager stopped its controllers; restart it to campaign again`,
    );
  }
}

export interface ManagerOptions {
  name?: string;
  logger?: Logger;
  clock?: Clock;
  /** Prometheus registry for controller metrics and `/metrics`. Default: a new one. */
  registry?: Registry;
  /** Serve `/metrics`, `/healthz`, `/readyz` on this port (0 picks a free one). Omit for none. */
  healthPort?: number;
  healthHost?: string;
  /** Also export Node process metrics (CPU, memory, event-loop lag, GC) on the registry. */
  processMetrics?: boolean;
  /** Campaign on a Lease; leader-election-aware runnables wait for leadership. */
  leaderElection?: Omit<LeaderElectionOptions, 'clock' | 'logger'>;
}

interface Entry {
  name: string;
  runnable: Runnable;
}

/**
 * Starts and stops Runnables. Runnables not needing leadership start at once; the others when
 * this replica holds the Lease. Stop order on abort: leader runnables, then the lease release,
 * then the rest, then the health server. A runnable that fails, or lost leadership, stops
 * everything and makes `start` reject.
 */
export class Manager {
  readonly registry: Registry;
  readonly log: Logger;
  private readonly entries: Entry[] = [];
  private readonly healthChecks = new Map<string, Check>();
  private readonly readyChecks = new Map<string, Check>();
  private readonly elector: LeaderElector | undefined;
  private server: HealthServer | undefined;
  private started = false;
  private leading = false;
  private readonly electedWaiters: (() => void)[] = [];
  private addLate: ((e: Entry) => void) | undefined;

  constructor(private readonly opts: ManagerOptions = {}) {
    this.registry = opts.registry ?? new Registry();
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
    this.log = (opts.logger ?? silentLogger()).child({ manager: opts.name ?? 'flotilla' });
    const clock: Clock = opts.clock ?? systemClock;
    if (opts.leaderElection) {
      this.elector = new LeaderElector({ ...opts.leaderElection, clock, logger: this.log });
    }
    this.healthChecks.set('ping', () => {});
    this.readyChecks.set('started', () => {
      if (!this.started) throw new Error('manager not started');
    });
  }

  /** Adds a Runnable; if the manager already runs, it starts at once (or when elected). */
  add(runnable: Runnable, name = `runnable-${this.entries.length}`): void {
    const e = { name, runnable };
    this.entries.push(e);
    this.addLate?.(e);
  }

  addHealthCheck(name: string, check: Check): void {
    this.healthChecks.set(name, check);
  }

  addReadyCheck(name: string, check: Check): void {
    this.readyChecks.set(name, check);
  }

  /** The health/metrics port once listening. */
  get port(): number | undefined {
    return this.server?.port;
  }

  get identity(): string | undefined {
    return this.elector?.identity;
  }

  /** True when leading (always true without leader election, once started). */
  isLeader(): boolean {
    return this.leading;
  }

  /** Resolves when this manager becomes leader. */
  elected(): Promise<void> {
    if (this.leading) return Promise.resolve();
    return new Promise((resolve) => this.electedWaiters.push(resolve));
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('manager started twice: create a new Manager');
    this.started = true;
    const leaderCtl = new AbortController();
    const electorCtl = new AbortController();
    const othersCtl = new AbortController();
    // Every runnable's requests and watches listen on these: many at once is normal, not a leak.
    for (const c of [leaderCtl, electorCtl, othersCtl]) setMaxListeners(0, c.signal);
    const leaderRuns = new Set<Promise<void>>();
    const otherRuns = new Set<Promise<void>>();
    let failure: unknown;
    let wake!: () => void;
    const stopping = new Promise<void>((resolve) => (wake = resolve));
    const fail = (err: unknown) => {
      failure ??= err;
      wake();
    };
    const onAbort = () => wake();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) wake();

    const run = (e: Entry, s: AbortSignal, into: Set<Promise<void>>) => {
      const log = this.log.child({ runnable: e.name });
      const p: Promise<void> = Promise.resolve()
        .then(() => e.runnable.start(s))
        .then(
          () => {
            if (!s.aborted) log.debug('runnable returned before stop');
          },
          (err) => {
            log.error({ err: errorMessage(err) }, 'runnable failed: stopping the manager');
            fail(err);
          },
        )
        .finally(() => into.delete(p));
      into.add(p);
    };
    const startLeader = () => {
      this.leading = true;
      for (const w of this.electedWaiters.splice(0)) w();
      for (const e of this.entries) if (e.runnable.needLeaderElection) run(e, leaderCtl.signal, leaderRuns);
    };

    try {
      if (this.opts.healthPort !== undefined) {
        this.server = new HealthServer({
          port: this.opts.healthPort,
          ...(this.opts.healthHost ? { host: this.opts.healthHost } : {}),
          registry: this.registry,
          healthChecks: this.healthChecks,
          readyChecks: this.readyChecks,
        });
        await this.server.listen();
        this.log.info({ port: this.server.port }, 'serving /metrics, /healthz, /readyz');
      }
      for (const e of this.entries) if (!e.runnable.needLeaderElection) run(e, othersCtl.signal, otherRuns);
      this.addLate = (e) => {
        if (!e.runnable.needLeaderElection) run(e, othersCtl.signal, otherRuns);
        else if (this.leading) run(e, leaderCtl.signal, leaderRuns);
      };
      let election: Promise<void> = Promise.resolve();
      if (this.elector) {
        const lease = `${this.opts.leaderElection?.namespace}/${this.opts.leaderElection?.name}`;
        election = this.elector.run(electorCtl.signal, startLeader).then(
          (r) => {
            if (r === 'lost') fail(new LeadershipLostError(lease));
          },
          (err) => fail(err),
        );
      } else if (!signal.aborted) {
        startLeader();
      }
      await stopping;
      this.addLate = undefined;
      leaderCtl.abort();
      while (leaderRuns.size > 0) await Promise.all([...leaderRuns]);
      this.leading = false;
      electorCtl.abort();
      await election;
      othersCtl.abort();
      while (otherRuns.size > 0) await Promise.all([...otherRuns]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      leaderCtl.abort();
      electorCtl.abort();
      othersCtl.abort();
      await this.server?.close();
    }
    if (failure !== undefined) throw failure;
  }
}
