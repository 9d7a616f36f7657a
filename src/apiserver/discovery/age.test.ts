import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration, rfc3339, since } from './age.js';

// Cases from k8s.io/apimachinery/pkg/util/duration TestHumanDuration.
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-2 * S + 1, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [48 * H - 1, '47h'],
    [48 * H, '2d'],
    [48 * H + H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [2 * 365 * D - 1, '729d'],
    [2 * 365 * D, '2y'],
    [2 * 365 * D + D, '2y1d'],
    [8 * 365 * D - 1, '7y364d'],
    [8 * 365 * D, '8y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms is ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('timestamps', () => {
  const now = new Date('2026-01-02T00:00:00Z');
  it('ages a timestamp and marks a missing one unknown', () => {
    assert.equal(since('2026-01-01T00:00:00Z', now), '24h');
    assert.equal(since(undefined, now), '<unknown>');
  });
  it('prints RFC 3339 in UTC without fractions', () => {
    assert.equal(rfc3339('2026-01-01T01:02:03.456+01:00'), '2026-01-01T00:02:03Z');
    assert.equal(rfc3339(undefined), '0001-01-01T00:00:00Z');
  });
});
