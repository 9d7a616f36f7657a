import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatValue, sprint, sprintf, sprintln } from './fmt.js';
import { GoNumber, mkFloat64, mkInt, withGoType } from './value.js';

describe('Go fmt port', () => {
  it('prints floats in the shortest %g form Go uses for %v', () => {
    const cases: [number, string][] = [
      [1000000, '1e+06'],
      [123456789, '1.23456789e+08'],
      [123456, '123456'],
      [0.5, '0.5'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e21, '1e+21'],
      [-2.5, '-2.5'],
      [0, '0'],
      [Number.POSITIVE_INFINITY, '+Inf'],
      [Number.NaN, 'NaN'],
    ];
    for (const [x, want] of cases) assert.equal(formatValue(mkFloat64(x), 'int64'), want, `float ${x}`);
  });

  it('prints maps sorted, slices with spaces, nil and nested values', () => {
    assert.equal(
      formatValue({ b: 2, a: [1, 'x', null], c: { z: true } }, 'int64'),
      'map[a:[1 x <nil>] b:2 c:map[z:true]]',
    );
    assert.equal(sprint(['a', 1, 2, 'b', 'c', true], 'int64'), 'a1 2bctrue');
    assert.equal(sprintln(['a', 1, null], 'int64'), 'a 1 <nil>\n');
  });

  it('implements printf verbs, flags, widths and precision', () => {
    const f = (fmt: string, ...a: unknown[]) => sprintf(fmt, a, 'int64');
    assert.equal(f('%d|%5d|%-5d|%05d|%+d', 42, 42, 42, 42, 42), '42|   42|42   |00042|+42');
    assert.equal(f('%x %X %o %b %#x %#o', 255, 255, 8, 5, 255, 8), 'ff FF 10 101 0xff 010');
    assert.equal(
      f('%s|%10s|%-4s|%.2s|%q', 'go', 'go', 'go', 'gopher', 'a"b'),
      'go|        go|go  |go|"a\\"b"',
    );
    assert.equal(
      f('%f %.2f %e %g %G', 3.14158, 3.14158, 1234.5678, 0.000012, mkFloat64(1e21)),
      '3.141580 3.14 1.234568e+03 1.2e-05 1E+21',
    );
    assert.equal(f('%t %v %c %U %x', true, null, 65, 0x1f600, 'hi'), 'true <nil> A U+1F600 6869');
    assert.equal(
      f('%T %T %T %T', 'a', 1, 1.5, withGoType(['a'], '[]string')),
      'string int64 float64 []string',
    );
    assert.equal(f('%v %d', new GoNumber('uint8', 200), mkInt(-3)), '200 -3');
    assert.equal(f('%6.2f|%-8.3e|', 3.14158, 31.4158), '  3.14|3.142e+01|');
    assert.equal(f('100%%'), '100%');
  });

  it('rounds exact decimal ties half to even, from the exact binary value, like strconv', () => {
    const f = (fmt: string, ...a: number[]) => sprintf(fmt, a.map(mkFloat64), 'int64');
    assert.equal(
      f('%.1f %.1f %.0f %.0f %.0f %.2f %.3f', 0.25, 0.35, 0.5, 1.5, 2.5, 2.675, 0.0005),
      '0.2 0.3 0 2 2 2.67 0.001',
    );
    assert.equal(f('%.1e %.0e %.2g %#.0f', 1.25, 5, 1.25, 3), '1.2e+00 5e+00 1.2 3.');
    assert.equal(f('%.20f', 0.1), '0.10000000000000000555');
  });

  it('reports bad verbs, missing and extra arguments as Go does', () => {
    assert.equal(sprintf('%d', ['x'], 'int64'), '%!d(string=x)');
    assert.equal(sprintf('%d', [8080], 'float64'), '%!d(float64=8080)');
    assert.equal(sprintf('%d %d', [1], 'int64'), '1 %!d(MISSING)');
    assert.equal(sprintf('%d', [1, 'a', 2], 'int64'), '1%!(EXTRA string=a, int64=2)');
    assert.equal(sprintf('%', [], 'int64'), '%!(NOVERB)');
    assert.equal(sprintf('%z', [1], 'int64'), '%!z(int64=1)');
  });
});
