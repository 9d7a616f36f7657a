import { createHash } from 'node:crypto';
import type { ActiveWindow } from '../../api/index.js';
import { CronError, nextCronTime, parseCron } from './cron.js';

export interface WindowPlan {
  /** Whether the cluster is outside its window (spec.paused wanted). */
  readonly paused: boolean;
  /** RFC 3339 times of the next `to` (pause) and `from` (unpause). */
  readonly nextPause: string;
  readonly nextUnpause: string;
  /** base64 sha256 of from and to, as `status.activeWindowHash` ([]byte). */
  readonly hash: string;
  /** Until the next transition. */
  readonly wakeInMs: number;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Where `now` lies in a recurring window that opens at `from` and closes at `to` (cron, UTC):
 * inside when the window closes before it next opens.
 */
export function decideActiveWindow(window: ActiveWindow, now: number): WindowPlan {
  const from = nextCronTime(parseCron(window.from), now);
  const to = nextCronTime(parseCron(window.to), now);
  if (from === undefined || to === undefined)
    throw new CronError(
      `activeWindow ${from === undefined ? `from "${window.from}"` : `to "${window.to}"`} never fires: fix the schedule`,
    );
  return {
    paused: !(to < from),
    nextPause: rfc3339(to),
    nextUnpause: rfc3339(from),
    hash: createHash('sha256').update(`${window.from}\n${window.to}`).digest('base64'),
    wakeInMs: Math.max(0, Math.min(from, to) - now),
  };
}
