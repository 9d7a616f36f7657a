/** What a reconcile asks of the queue. The queue, not the reconciler, owns retries and delays. */
export type Outcome =
  | { readonly type: 'done' }
  | { readonly type: 'requeueAfter'; readonly ms: number }
  | { readonly type: 'retry'; readonly error: unknown }
  | { readonly type: 'terminal'; readonly error: unknown };

export const Outcome = {
  /** Converged: forget the key's backoff. */
  done: { type: 'done' } as Outcome,
  /** Converged for now; look again after `ms` (e.g. a schedule or a TTL). */
  requeueAfter(ms: number): Outcome {
    return { type: 'requeueAfter', ms };
  },
  /** Failed in a way that may pass: retry with per-key exponential backoff. */
  retry(error: unknown): Outcome {
    return { type: 'retry', error };
  },
  /** Failed in a way retrying cannot fix (bad spec): log it and wait for the next change. */
  terminal(error: unknown): Outcome {
    return { type: 'terminal', error };
  },
};
