import { hostname } from 'node:os';
import { type Clock, systemClock } from '../lib/clock.js';
import { errorMessage } from '../lib/errors.js';
import { isConflict, isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';
import {
  decideLease,
  type LeaseObservation,
  type LeaseRecord,
  microTime,
  observe,
} from './lease-decision.js';
import { type Logger, silentLogger } from './logger.js';
import { sleep } from './sleep.js';

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  /** Lease name, shared by every replica of one manager. */
  name: string;
  /** Unique per replica. Default `hostname_random`. */
  identity?: string;
  /** How long a lease is valid without renewal. Default 15 s. */
  leaseDurationMs?: number;
  /** A leader that cannot renew for this long gives up. Default 10 s. */
  renewDeadlineMs?: number;
  /** Time between attempts (to acquire, and to renew). Default 2 s. */
  retryPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
}

type Lease = KubeObject & { spec?: LeaseRecord };

/**
 * Leader election on a coordination.k8s.io/v1 Lease: acquire (waiting for the holder's lease to
 * expire), renew every retry period, give up when renewals fail for the renew deadline, and
 * release on stop so a successor takes over at once.
 */
export class LeaderElector {
  readonly identity: string;
  private observed: LeaseObservation | undefined;
  private leader = false;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.identity = opts.identity ?? `${hostname()}_${Math.random().toString(36).slice(2, 10)}`;
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger()).child({
      lease: `${opts.namespace}/${opts.name}`,
      identity: this.identity,
    });
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs)) {
      throw new Error(
        `leader election for lease ${opts.namespace}/${opts.name}: need leaseDuration > renewDeadline > retryPeriod (got ${this.leaseDurationMs}, ${this.renewDeadlineMs}, ${this.retryPeriodMs} ms)`,
      );
    }
  }

  isLeader(): boolean {
    return this.leader;
  }

  /**
   * Campaigns until leader, calls `onLead`, then renews until `signal` aborts ('stopped', the
   * lease is released) or renewal fails past the deadline ('lost').
   */
  async run(signal: AbortSignal, onLead: () => void): Promise<'stopped' | 'lost'> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(signal)) break;
      await sleep(this.clock, this.retryPeriodMs, signal);
    }
    if (signal.aborted) return 'stopped';
    this.leader = true;
    this.log.info('became leader');
    onLead();
    let lastRenew = this.clock.now();
    while (!signal.aborted) {
      await sleep(this.clock, this.retryPeriodMs, signal);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew(signal)) {
        lastRenew = this.clock.now();
      } else if (this.clock.now() - lastRenew >= this.renewDeadlineMs) {
        this.leader = false;
        this.log.error('could not renew the lease before the renew deadline: leadership lost');
        return 'lost';
      }
    }
    await this.release();
    this.leader = false;
    return 'stopped';
  }

  private ref() {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      namespace: this.opts.namespace,
      name: this.opts.name,
    };
  }

  /** One observe → decide → act round. True when we hold the lease afterwards. */
  private async tryAcquireOrRenew(outer: AbortSignal): Promise<boolean> {
    const { client } = this.opts;
    // A hung request must not hold a leader past its renew deadline. (Not AbortSignal.any: it
    // keeps every derived signal alive as long as the outer one, and we derive one per retry.)
    const ctl = new AbortController();
    const signal = ctl.signal;
    const onAbort = () => ctl.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => ctl.abort(new Error('lease request timed out')), this.renewDeadlineMs);
    try {
      let lease: Lease | undefined;
      try {
        lease = await client.get<Lease>(this.ref(), { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const now = this.clock.now();
      this.observed = observe(lease?.spec, this.observed, now);
      const d = decideLease({
        current: lease?.spec,
        observed: this.observed,
        now,
        identity: this.identity,
        leaseDurationMs: this.leaseDurationMs,
      });
      switch (d.action) {
        case 'wait':
          if (!this.leader)
            this.log.debug({ holder: d.holder, expiresInMs: d.expiresInMs }, 'lease held by another');
          return false;
        case 'create': {
          const created = await client.create<Lease>(
            {
              ...this.ref(),
              metadata: { name: this.opts.name, namespace: this.opts.namespace },
              spec: d.spec,
            },
            { signal },
          );
          this.observed = observe(created.spec, undefined, this.clock.now());
          return true;
        }
        case 'update': {
          const updated = await client.update<Lease>({ ...lease, ...this.ref(), spec: d.spec } as Lease, {
            signal,
          });
          this.observed = observe(updated.spec, undefined, this.clock.now());
          if (d.acquired) this.log.info({ transitions: d.spec.leaseTransitions }, 'acquired the lease');
          return true;
        }
        default: {
          const never: never = d;
          throw new Error(`unknown lease decision ${JSON.stringify(never)}`);
        }
      }
    } catch (err) {
      if (outer.aborted) return false;
      // A conflict means another candidate wrote first: simply not ours this round.
      if (isConflict(err)) this.log.debug({ err: errorMessage(err) }, 'lease write conflicted');
      else this.log.warn({ err: errorMessage(err) }, 'lease read/write failed');
      return false;
    } finally {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
  }

  /** Gives the lease up (empty holder, 1 s duration) so a successor need not wait for expiry. */
  private async release(): Promise<void> {
    const { client } = this.opts;
    try {
      const lease = await client.get<Lease>(this.ref(), {
        signal: AbortSignal.timeout(this.renewDeadlineMs),
      });
      if (lease.spec?.holderIdentity !== this.identity) return;
      const stamp = microTime(this.clock.now());
      await client.update<Lease>(
        {
          ...lease,
          spec: {
            holderIdentity: '',
            leaseDurationSeconds: 1,
            acquireTime: stamp,
            renewTime: stamp,
            leaseTransitions: lease.spec.leaseTransitions ?? 0,
          },
        },
        { signal: AbortSignal.timeout(this.renewDeadlineMs) },
      );
      this.log.info('released the lease');
    } catch (err) {
      this.log.warn(
        { err: errorMessage(err) },
        'could not release the lease; successors wait for it to expire',
      );
    }
  }
}
