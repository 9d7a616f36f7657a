/**
 * The empty-report safeguard (Sveltos event-manager#497), pure. A report that is empty or missing
 * withdraws the profiles of resource events only once the absence is confirmed: it must stay
 * empty for `graceMs`, measured from the first empty observation, which is stored on the generated
 * ClusterProfiles (annotation EMPTY_SINCE_ANNOTATION) so a restart neither forgets nor restarts
 * the count. A report being deleted (deletionTimestamp) withdraws at once. See README.md.
 */

export type ReportState = 'events' | 'empty' | 'missing' | 'deleting';

export type EmptyDecision =
  /** Generate normally (the report has matches, or nothing is left to protect). */
  | { kind: 'generate' }
  /** Keep resource-event profiles; stamp `since` on those without it; look again after `afterMs`. */
  | { kind: 'hold'; since: string; stamp: boolean; afterMs: number }
  /** Absence confirmed: withdraw resource-event profiles. */
  | { kind: 'withdraw' };

export interface EmptyInput {
  state: ReportState;
  /** Resource-event profiles that exist now. */
  resourceProfiles: number;
  /** Earliest valid EMPTY_SINCE_ANNOTATION among them (undefined when none carries it). */
  emptySince: string | undefined;
  nowMs: number;
  graceMs: number;
}

export function decideEmpty(i: EmptyInput): EmptyDecision {
  if (i.state === 'events') return { kind: 'generate' };
  if (i.state === 'deleting') return { kind: 'withdraw' };
  if (i.resourceProfiles === 0) return { kind: 'generate' };
  const since = i.emptySince !== undefined ? Date.parse(i.emptySince) : Number.NaN;
  if (Number.isNaN(since))
    return { kind: 'hold', since: new Date(i.nowMs).toISOString(), stamp: true, afterMs: i.graceMs };
  const left = since + i.graceMs - i.nowMs;
  if (left <= 0) return { kind: 'withdraw' };
  return { kind: 'hold', since: new Date(since).toISOString(), stamp: false, afterMs: left };
}
