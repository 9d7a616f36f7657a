/**
 * Anything long-lived: it runs until `signal` aborts and resolves once fully stopped. Rejecting
 * means it failed; the Manager then stops everything.
 */
export interface Runnable {
  start(signal: AbortSignal): Promise<void>;
  /** Wait for leadership before starting (controllers: yes; caches, servers: no). Default false. */
  readonly needLeaderElection?: boolean;
}
