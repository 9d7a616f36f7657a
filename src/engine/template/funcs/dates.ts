/** sprig's date functions with Go time layouts. Local time is UTC in flotilla renders (deterministic). */

import { DAY_NAMES, MONTH_NAMES } from '../../../lib/calendar.js';
import { def, type FuncContext, type FuncDef, type FuncMap } from '../funcs-api.js';
import { HOST, type HostMethod, type HostObject, isHostObject, NO_FIELD, numberOf } from '../value.js';
import { castInt64 } from './util.js';

export interface GoTime extends HostObject {
  readonly ms: number;
  readonly nanos: number;
  /** IANA zone name; "UTC" (flotilla's Local) when absent. */
  readonly zone: string;
}

/** A time.Time value as a host object. */
export function goTime(ms: number, nanos = 0, zone = 'UTC'): GoTime {
  const t: GoTime = {
    [HOST]: true,
    ms,
    nanos,
    zone,
    field: () => NO_FIELD,
    method: (name) => timeMethods(t)[name],
    goTypeName: () => 'time.Time',
    format: () => formatGoTime(t, '2006-01-02 15:04:05.999999999 -0700 MST'),
  };
  return t;
}

function timeMethods(t: GoTime): Record<string, HostMethod> {
  return {
    Format: { params: ['string'], fn: (l) => formatGoTime(t, l as string) },
    Unix: { params: [], fn: () => Math.floor(t.ms / 1000) },
    UTC: { params: [], fn: () => goTime(t.ms, t.nanos) },
    Year: { params: [], fn: () => new Date(t.ms).getUTCFullYear() },
  };
}

/** Date.UTC without its 0..99 → 1900+ year mapping (Go's zero time is year 1). */
function utcMs(Y: number, M: number, D: number, h: number, mi: number, s: number, ms: number): number {
  const d = new Date(0);
  d.setUTCFullYear(Y, M - 1, D);
  d.setUTCHours(h, mi, s, ms);
  return d.getTime();
}

function pad(n: number, w: number): string {
  return String(Math.abs(n)).padStart(w, '0');
}

const TOKENS = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
  'Z07:00',
  'Z0700',
  'Z07',
  '002',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  '_2',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

function tokenize(layout: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)/.exec(layout.slice(i));
    if (frac !== null && !/\d/.test(layout[i + frac[0].length] ?? '')) {
      out.push(`\u0000${frac[0]}`);
      i += frac[0].length;
      continue;
    }
    const tok = TOKENS.find((t) => layout.startsWith(t, i));
    if (tok !== undefined) {
      out.push(`\u0000${tok}`);
      i += tok.length;
    } else out.push(layout[i++]!);
  }
  return out;
}

/** A zone's UTC offset (minutes) and abbreviation at an instant, from the JS runtime's tz database. */
export function zoneAt(ms: number, zone: string): { offset: number; abbr: string } {
  if (zone === 'UTC' || zone === 'Local' || zone === '') return { offset: 0, abbr: 'UTC' };
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 60000);
  let abbr = '';
  for (const locale of ['en-US', 'en-GB']) {
    const n = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value;
    if (n !== undefined && !/^(GMT|UTC)/.test(n)) {
      abbr = n;
      break;
    }
  }
  if (abbr === '') {
    // Go prints zones without an abbreviation as "+03" / "-0330".
    const a = Math.abs(offset);
    abbr = `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}${a % 60 === 0 ? '' : pad(a % 60, 2)}`;
  }
  return { offset, abbr };
}

/** True when the runtime knows the IANA zone (Go's time.LoadLocation succeeds). */
export function knownZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Local' || zone === '') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function offsetText(off: number, colon: boolean, seconds: boolean, hoursOnly: boolean): string {
  const a = Math.abs(off);
  const hh = pad(Math.floor(a / 60), 2);
  const mm = pad(a % 60, 2);
  const sign = off < 0 ? '-' : '+';
  if (hoursOnly) return `${sign}${hh}`;
  if (seconds) return `${sign}${hh}:${mm}:00`;
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}

/** time.Time.Format in the time's zone. */
export function formatGoTime(t: GoTime, layout: string): string {
  const zi = zoneAt(t.ms, t.zone);
  const d = new Date(t.ms + zi.offset * 60000);
  const Y = d.getUTCFullYear();
  const M = d.getUTCMonth();
  const D = d.getUTCDate();
  const h = d.getUTCHours();
  const nanos = (((t.ms % 1000) + 1000) % 1000) * 1e6 + t.nanos;
  let out = '';
  for (const p of tokenize(layout)) {
    if (!p.startsWith('\u0000')) {
      out += p;
      continue;
    }
    const tok = p.slice(1);
    switch (tok) {
      case '2006':
        out += pad(Y, 4);
        break;
      case '06':
        out += pad(Y % 100, 2);
        break;
      case 'January':
        out += MONTH_NAMES[M];
        break;
      case 'Jan':
        out += MONTH_NAMES[M]!.slice(0, 3);
        break;
      case '01':
        out += pad(M + 1, 2);
        break;
      case '1':
        out += String(M + 1);
        break;
      case 'Monday':
        out += DAY_NAMES[d.getUTCDay()];
        break;
      case 'Mon':
        out += DAY_NAMES[d.getUTCDay()]!.slice(0, 3);
        break;
      case '02':
        out += pad(D, 2);
        break;
      case '_2':
        out += String(D).padStart(2, ' ');
        break;
      case '2':
        out += String(D);
        break;
      case '002': {
        const start = utcMs(Y, 1, 1, 0, 0, 0, 0) - zi.offset * 60000;
        out += pad(Math.floor((t.ms - start) / 86400000) + 1, 3);
        break;
      }
      case '15':
        out += pad(h, 2);
        break;
      case '03':
        out += pad(h % 12 === 0 ? 12 : h % 12, 2);
        break;
      case '3':
        out += String(h % 12 === 0 ? 12 : h % 12);
        break;
      case '04':
        out += pad(d.getUTCMinutes(), 2);
        break;
      case '4':
        out += String(d.getUTCMinutes());
        break;
      case '05':
        out += pad(d.getUTCSeconds(), 2);
        break;
      case '5':
        out += String(d.getUTCSeconds());
        break;
      case 'PM':
        out += h >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += h >= 12 ? 'pm' : 'am';
        break;
      case 'MST':
        out += zi.abbr;
        break;
      case '-0700':
        out += offsetText(zi.offset, false, false, false);
        break;
      case '-07:00':
        out += offsetText(zi.offset, true, false, false);
        break;
      case '-07':
        out += offsetText(zi.offset, false, false, true);
        break;
      case '-07:00:00':
        out += offsetText(zi.offset, true, true, false);
        break;
      case 'Z0700':
      case 'Z07:00':
      case 'Z07':
        out += zi.offset === 0 ? 'Z' : offsetText(zi.offset, tok === 'Z07:00', false, tok === 'Z07');
        break;
      default: {
        const digits = tok.length - 1;
        const ns = String(nanos).padStart(9, '0').slice(0, digits);
        if (tok[1] === '0') out += tok[0] + ns;
        else {
          const trimmed = ns.replace(/0+$/, '');
          if (trimmed !== '') out += tok[0] + trimmed;
        }
      }
    }
  }
  return out;
}

/** time.Parse for the common layout elements (numeric dates and times, month names, zones). */
export function parseGoTime(layout: string, value: string): GoTime {
  const fail = (): never => {
    throw new Error(
      `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(value)} as ${JSON.stringify(firstToken(layout))}`,
    );
  };
  let Y = 1;
  let M = 1;
  let D = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let ms = 0;
  let off = 0;
  let pm: boolean | undefined;
  let i = 0;
  const num = (min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(value.slice(i));
    if (m === null) return fail();
    i += m[0].length;
    return Number(m[0]);
  };
  for (const p of tokenize(layout)) {
    if (!p.startsWith('\u0000')) {
      if (value[i] !== p) fail();
      i++;
      continue;
    }
    const tok = p.slice(1);
    switch (tok) {
      case '2006':
        Y = num(4, 4);
        break;
      case '06':
        Y = 2000 + num(2, 2);
        if (Y >= 2069) Y -= 100;
        break;
      case '01':
        M = num(2, 2);
        break;
      case '1':
        M = num(1, 2);
        break;
      case '02':
        D = num(2, 2);
        break;
      case '2':
      case '_2':
        if (value[i] === ' ') i++;
        D = num(1, 2);
        break;
      case '15':
        h = num(1, 2);
        break;
      case '03':
      case '3':
        h = num(1, 2);
        break;
      case '04':
      case '4':
        mi = num(1, 2);
        break;
      case '05':
      case '5':
        s = num(1, 2);
        break;
      case 'PM':
      case 'pm':
        pm = /^pm/i.test(value.slice(i, i + 2));
        i += 2;
        break;
      case 'Jan':
      case 'January': {
        const idx = MONTH_NAMES.findIndex((m) => value.startsWith(tok === 'Jan' ? m.slice(0, 3) : m, i));
        if (idx < 0) fail();
        i += tok === 'Jan' ? 3 : MONTH_NAMES[idx]!.length;
        M = idx + 1;
        break;
      }
      case 'Mon':
      case 'Monday': {
        const idx = DAY_NAMES.findIndex((d) => value.startsWith(tok === 'Mon' ? d.slice(0, 3) : d, i));
        if (idx < 0) fail();
        i += tok === 'Mon' ? 3 : DAY_NAMES[idx]!.length;
        break;
      }
      case 'MST': {
        const m = /^[A-Z]{3,5}/.exec(value.slice(i));
        if (m === null) fail();
        i += m![0].length;
        break;
      }
      default: {
        if (tok.startsWith('Z') && value[i] === 'Z') {
          i++;
          break;
        }
        if (tok.startsWith('-') || tok.startsWith('Z')) {
          const m = /^([+-])(\d{2}):?(\d{2})?/.exec(value.slice(i));
          if (m === null) fail();
          off = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 60 + Number(m![3] ?? 0));
          i += m![0].length;
          break;
        }
        const m = /^[.,](\d+)/.exec(value.slice(i));
        if (m !== null) {
          ms = Number(`0.${m[1]}`) * 1000;
          i += m[0].length;
        } else if (tok[1] === '0') fail();
      }
    }
  }
  if (i !== value.length) {
    throw new Error(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(value.slice(i))}`);
  }
  if (pm !== undefined) h = (h % 12) + (pm ? 12 : 0);
  const t = utcMs(Y, M, D, h, mi, s, ms) - off * 60000;
  const d = new Date(utcMs(Y, M, D, 0, 0, 0, 0));
  if (d.getUTCMonth() !== M - 1) throw new Error(`parsing time ${JSON.stringify(value)}: day out of range`);
  return goTime(t);
}

function firstToken(layout: string): string {
  const p = tokenize(layout).find((x) => x.startsWith('\u0000'));
  return p === undefined ? layout : p.slice(1);
}

function zeroTime(): GoTime {
  return goTime(utcMs(1, 1, 1, 0, 0, 0, 0));
}

function toTime(v: unknown, c: FuncContext): GoTime {
  if (isHostObject(v) && typeof (v as Partial<GoTime>).ms === 'number') return v as GoTime;
  if (numberOf(v, c.numbers) !== undefined) return goTime(Number(castInt64(v, c.numbers)) * 1000);
  return goTime(nowMs(c));
}

function nowMs(c: FuncContext): number {
  const n = c.injected.now;
  if (n === undefined) throw new Error('now: no clock injected into this render');
  return n();
}

const UNITS: [string, number][] = [
  ['h', 3600e9],
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
  ['µs', 1e3],
  ['ns', 1],
];

/** time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): number {
  const orig = s;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  let total = 0;
  while (s !== '') {
    const m = /^(\d*\.?\d*)(ns|us|µs|ms|s|m|h)/.exec(s);
    if (m === null || m[1] === '' || m[1] === '.')
      throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
    total += Number(m[1]) * UNITS.find(([u]) => u === m[2])![1];
    s = s.slice(m[0].length);
  }
  return neg ? -total : total;
}

/** time.Duration.String. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    const [unit, div] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trimFrac(u / (div as number))}${unit}`;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const sec = trimFrac(u / 1e9);
    out = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFrac(x: number): string {
  return String(Number(x.toFixed(9)));
}

function durationRound(ns: number): string {
  const u = Math.abs(ns);
  const second = 1e9;
  const steps: [number, string][] = [
    [365 * 24 * 3600 * second, 'y'],
    [30 * 24 * 3600 * second, 'mo'],
    [24 * 3600 * second, 'd'],
    [3600 * second, 'h'],
    [60 * second, 'm'],
    [second, 's'],
  ];
  for (const [d, unit] of steps) if (u > d) return `${Math.floor(u / d)}${unit}`;
  return '0s';
}

/** sprig dateInZone: an unknown zone falls back to UTC, as sprig does. */
function inZone(c: FuncContext, layout: string, t: unknown, zone: string): string {
  const base = toTime(t, c);
  return formatGoTime(goTime(base.ms, base.nanos, knownZone(zone) ? zone : 'UTC'), layout);
}

export function dateFuncs(): FuncMap {
  const dateModify = (c: FuncContext, f: string, t: unknown, must: boolean) => {
    const base = toTime(t, c);
    try {
      return goTime(base.ms + parseDuration(f) / 1e6, base.nanos, base.zone);
    } catch (e) {
      if (must) throw e;
      return base;
    }
  };
  const fns: FuncDef[] = [
    def('now', [], (c) => goTime(nowMs(c))),
    def('date', ['string', 'any'], (c, f: string, t: unknown) => formatGoTime(toTime(t, c), f)),
    def('dateInZone', ['string', 'any', 'string'], (c, f: string, t: unknown, z: string) =>
      inZone(c, f, t, z),
    ),
    def('date_in_zone', ['string', 'any', 'string'], (c, f: string, t: unknown, z: string) =>
      inZone(c, f, t, z),
    ),
    def('htmlDate', ['any'], (c, t: unknown) => formatGoTime(toTime(t, c), '2006-01-02')),
    def('htmlDateInZone', ['any', 'string'], (c, t: unknown, z: string) => inZone(c, '2006-01-02', t, z)),
    def('toDate', ['string', 'string'], (_c, f: string, s: string) => {
      try {
        return parseGoTime(f, s);
      } catch {
        return zeroTime();
      }
    }),
    def('mustToDate', ['string', 'string'], (_c, f: string, s: string) => parseGoTime(f, s)),
    def('dateModify', ['string', 'any'], (c, f: string, t: unknown) => dateModify(c, f, t, false)),
    def('date_modify', ['string', 'any'], (c, f: string, t: unknown) => dateModify(c, f, t, false)),
    def('mustDateModify', ['string', 'any'], (c, f: string, t: unknown) => dateModify(c, f, t, true)),
    def('must_date_modify', ['string', 'any'], (c, f: string, t: unknown) => dateModify(c, f, t, true)),
    def('unixEpoch', ['any'], (c, t: unknown) => String(Math.floor(toTime(t, c).ms / 1000))),
    def('ago', ['any'], (c, t: unknown) =>
      formatDuration(Math.round((nowMs(c) - toTime(t, c).ms) / 1000) * 1e9),
    ),
    def('duration', ['any'], (c, v: unknown) => formatDuration(Number(castInt64(v, c.numbers)) * 1e9)),
    def('durationRound', ['any'], (c, v: unknown) => {
      if (typeof v === 'string') {
        try {
          return durationRound(parseDuration(v));
        } catch {
          return '0s';
        }
      }
      if (isHostObject(v)) return durationRound((nowMs(c) - toTime(v, c).ms) * 1e6);
      return durationRound(Number(castInt64(v, c.numbers)));
    }),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}
