import { FlotillaError } from '../../lib/errors.js';

/** A cron expression that cannot be parsed. */
export class CronError extends FlotillaError {
  override readonly name = 'CronError';

  constructor(message: string) {
    super('cron', message);
  }
}

/**
 * A standard 5-field cron schedule as robfig/cron `ParseStandard` reads it (what Sveltos uses):
 * minute hour day-of-month month day-of-week, with `*`, `?`, lists, ranges, steps, month and
 * weekday names, and the descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly.
 * Day-of-month and day-of-week are OR-ed when both are restricted, as in cron. Times are UTC
 * (`CRON_TZ=UTC` / `TZ=UTC` prefixes are accepted; other zones are rejected).
 */
export interface CronSchedule {
  readonly minute: Set<number>;
  readonly hour: Set<number>;
  readonly dom: Set<number>;
  readonly month: Set<number>;
  readonly dow: Set<number>;
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}
const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 6, names: DAYS, namesFrom: 0 },
];

function value(s: string, f: FieldSpec, expr: string): number {
  const i = f.names?.indexOf(s.toLowerCase()) ?? -1;
  if (i >= 0) return i + (f.namesFrom ?? 0);
  if (!/^\d+$/.test(s)) throw new CronError(`cron "${expr}": ${f.name} "${s}" is not a number`);
  return Number(s);
}

function parseField(text: string, f: FieldSpec, expr: string): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new CronError(`cron "${expr}": bad step in ${f.name} "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = f.min;
      hi = f.max;
      if (stepText === undefined) star = true;
    } else {
      const [a, b] = range.split('-');
      lo = value(a, f, expr);
      hi = b === undefined ? (stepText === undefined ? lo : f.max) : value(b, f, expr);
    }
    if (lo < f.min || hi > f.max || lo > hi)
      throw new CronError(`cron "${expr}": ${f.name} "${part}" is outside ${f.min}-${f.max}`);
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

export function parseCron(expr: string): CronSchedule {
  let text = expr.trim();
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    if (!['UTC', 'Etc/UTC', 'GMT'].includes(tz[1]))
      throw new CronError(`cron "${expr}": time zone ${tz[1]} is not supported; write the schedule in UTC`);
    text = text.slice(tz[0].length);
  }
  if (text.startsWith('@')) {
    const d = DESCRIPTORS[text.toLowerCase()];
    if (!d) throw new CronError(`cron "${expr}": unsupported descriptor ${text}`);
    text = d;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(
      `cron "${expr}": expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`,
    );
  const [mi, h, dom, mo, dow] = parts.map((p, i) => parseField(p, FIELDS[i], expr));
  return {
    minute: mi.set,
    hour: h.set,
    dom: dom.set,
    month: mo.set,
    dow: dow.set,
    domStar: dom.star,
    dowStar: dow.star,
  };
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const domOk = s.dom.has(d.getUTCDate());
  const dowOk = s.dow.has(d.getUTCDay());
  return s.domStar || s.dowStar ? domOk && dowOk : domOk || dowOk;
}

/** The first time strictly after `after` (ms) that the schedule fires, in ms; undefined if none within 5 years. */
export function nextCronTime(s: CronSchedule, after: number): number | undefined {
  const t = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const limit = after + 5 * 366 * 24 * 3600_000;
  while (t.getTime() <= limit) {
    if (!s.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!s.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.minute.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else {
      return t.getTime();
    }
  }
  return undefined;
}
