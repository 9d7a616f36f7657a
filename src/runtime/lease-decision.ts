/** `spec` of a coordination.k8s.io/v1 Lease, as leader election uses it. */
export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/**
 * When this candidate last saw the lease change. Expiry is judged by our own clock from the
 * moment we saw the record change, never from the timestamps in it (clocks of candidates differ).
 */
export interface LeaseObservation {
  record: string;
  at: number;
}

export type LeaseDecision =
  | { action: 'create'; spec: LeaseRecord }
  | { action: 'update'; spec: LeaseRecord; acquired: boolean }
  | { action: 'wait'; holder: string; expiresInMs: number };

export interface LeaseInput {
  /** The lease spec, or undefined when the Lease does not exist. */
  current: LeaseRecord | undefined;
  observed: LeaseObservation | undefined;
  now: number;
  identity: string;
  leaseDurationMs: number;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds, UTC. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The observation to keep after reading `current` at `now`. */
export function observe(
  current: LeaseRecord | undefined,
  prev: LeaseObservation | undefined,
  now: number,
): LeaseObservation {
  const record = JSON.stringify(current ?? null);
  return prev && prev.record === record ? prev : { record, at: now };
}

/**
 * Pure leader-election step (client-go's tryAcquireOrRenew): create the lease if missing, renew it
 * if we hold it, take it if it was released or has not changed for a whole lease duration, else wait.
 */
export function decideLease(input: LeaseInput): LeaseDecision {
  const { current, now, identity, leaseDurationMs } = input;
  const seconds = Math.max(1, Math.ceil(leaseDurationMs / 1000));
  const stamp = microTime(now);
  if (!current) {
    return {
      action: 'create',
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds: seconds,
        acquireTime: stamp,
        renewTime: stamp,
        leaseTransitions: 0,
      },
    };
  }
  const holder = current.holderIdentity ?? '';
  if (holder === identity) {
    return {
      action: 'update',
      acquired: false,
      spec: { ...current, leaseDurationSeconds: seconds, renewTime: stamp },
    };
  }
  if (holder !== '') {
    const obs = observe(current, input.observed, now);
    const duration = (current.leaseDurationSeconds ?? seconds) * 1000;
    const expiresInMs = obs.at + duration - now;
    if (expiresInMs > 0) return { action: 'wait', holder, expiresInMs };
  }
  return {
    action: 'update',
    acquired: true,
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds: seconds,
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: (current.leaseTransitions ?? 0) + 1,
    },
  };
}
