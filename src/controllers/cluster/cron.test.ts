import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideActiveWindow } from './active-window.js';
import { CronError, nextCronTime, parseCron } from './cron.js';

const at = (s: string) => Date.parse(s);
const next = (expr: string, after: string) =>
  new Date(nextCronTime(parseCron(expr), at(after))!).toISOString();

test('next fire times', () => {
  assert.equal(next('*/15 * * * *', '2026-03-01T10:07:30Z'), '2026-03-01T10:15:00.000Z');
  assert.equal(next('0 9 * * MON-FRI', '2026-11-21T10:00:00Z'), '2026-11-23T09:00:00.000Z'); // Saturday → Monday
  assert.equal(next('0 0 1 JAN *', '2026-06-01T00:00:00Z'), '2027-01-01T00:00:00.000Z');
  assert.equal(next('@hourly', '2026-01-01T00:00:00Z'), '2026-01-01T01:00:00.000Z');
  assert.equal(next('30 2 29 2 *', '2026-01-01T00:00:00Z'), '2028-02-29T02:30:00.000Z');
  // Both day fields restricted: either matches (the 13th, or a Friday).
  assert.equal(next('0 0 13 * 5', '2026-11-01T00:00:00Z'), '2026-11-06T00:00:00.000Z');
  assert.equal(next('CRON_TZ=UTC 5 4 * * *', '2026-01-01T04:05:00Z'), '2026-01-02T04:05:00.000Z');
});

test('bad expressions say what is wrong', () => {
  assert.throws(() => parseCron('* * *'), /expected 5 fields/);
  assert.throws(
    () => parseCron('61 * * * *'),
    (e: unknown) => e instanceof CronError && /minute "61"/.test(e.message),
  );
  assert.throws(() => parseCron('TZ=Europe/Rome * * * * *'), /not supported/);
  assert.throws(() => parseCron('@every 5m'), /unsupported descriptor/);
});

test('active window: inside when it closes before it next opens', () => {
  const w = { from: '0 8 * * *', to: '0 18 * * *' };
  const inside = decideActiveWindow(w, at('2026-03-02T12:00:00Z'));
  assert.equal(inside.paused, false);
  assert.equal(inside.nextPause, '2026-03-02T18:00:00Z');
  assert.equal(inside.nextUnpause, '2026-03-03T08:00:00Z');
  assert.equal(inside.wakeInMs, 6 * 3600_000);
  const outside = decideActiveWindow(w, at('2026-03-02T20:00:00Z'));
  assert.equal(outside.paused, true);
  assert.equal(outside.nextUnpause, '2026-03-03T08:00:00Z');
  assert.equal(outside.hash, inside.hash);
});
