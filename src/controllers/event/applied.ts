/**
 * Skipping server-side applies that would change nothing. Every reconcile of a report recomputes
 * all its generated profiles and objects; re-applying the unchanged ones costs one request each
 * (k per event for a report with k matches). An apply is skipped when both hold:
 * - the cached object already holds every field of the desired one (`coveredBy`: a deep subset, so
 *   server defaults and fields of other managers are allowed), and
 * - the last apply of that object by this controller sent exactly the same object (`AppliedMemo`):
 *   an apply also removes fields this manager owned and no longer sends, which a subset check
 *   cannot see.
 * A restart starts with an empty memo (everything is applied once); anyone changing a field we
 * own makes the subset check fail, and the next reconcile restores it, as before.
 */
import { getOwn } from '../../lib/own-props.js';

/** Whether `cached` holds every field of `desired` with the same value (arrays: same length). */
export function coveredBy(desired: unknown, cached: unknown): boolean {
  if (desired === cached) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(cached) || cached.length !== desired.length) return false;
    return desired.every((d, i) => coveredBy(d, cached[i]));
  }
  if (desired !== null && typeof desired === 'object') {
    if (cached === null || typeof cached !== 'object' || Array.isArray(cached)) return false;
    for (const [k, v] of Object.entries(desired)) {
      if (v === undefined) continue;
      if (!Object.hasOwn(cached, k) || !coveredBy(v, getOwn(cached as Record<string, unknown>, k)))
        return false;
    }
    return true;
  }
  return false;
}

/** What this controller last applied, per object key, as JSON. */
export class AppliedMemo {
  private readonly last = new Map<string, string>();

  /** True when `desired` needs no apply: same as last sent, and `cached` still holds it. */
  unchanged(key: string, desired: object, cached: object | undefined): boolean {
    return (
      cached !== undefined && this.last.get(key) === JSON.stringify(desired) && coveredBy(desired, cached)
    );
  }

  applied(key: string, desired: object): void {
    this.last.set(key, JSON.stringify(desired));
  }

  forget(key: string): void {
    this.last.delete(key);
  }
}
