import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileExpr } from './cel-compile.js';
import { toCel } from './cel-validate.js';

function run(expr: string, self: unknown = {}): unknown {
  const c = compileExpr(expr);
  assert.equal(c.error, undefined, `${expr}: ${c.error}`);
  const r = c.eval!({ self: toCel(self) });
  return r instanceof Error ? `error: ${r.message}` : r;
}

test('integral JSON numbers are CEL ints', () => {
  assert.equal(run('self.replicas + 1 == 4', { replicas: 3 }), true);
  assert.equal(run('self.ratio * 2.0 == 1.0', { ratio: 0.5 }), true);
});

test('standard macros and string extension', () => {
  assert.equal(run("self.items.all(x, x.startsWith('a'))", { items: ['ab', 'ac'] }), true);
  assert.equal(run("self.items.exists(x, x == 'b')", { items: ['a'] }), false);
  assert.equal(run("self.s.split(',').size() == 2 && self.s.lowerAscii() == 'a,b'", { s: 'A,B' }), true);
  assert.equal(run("self.s.matches('^[a-z]+$')", { s: 'abc' }), true);
});

test('Kubernetes list and regex libraries', () => {
  assert.equal(
    run('self.l.isSorted() && self.l.sum() == 6 && self.l.min() == 1 && self.l.max() == 3', { l: [1, 2, 3] }),
    true,
  );
  assert.equal(run('self.l.isSorted()', { l: ['b', 'a'] }), false);
  assert.equal(run("self.l.indexOf('b') == 1 && self.l.lastIndexOf('z') == -1", { l: ['a', 'b'] }), true);
  assert.equal(run("self.s.find('[0-9]+') == '123'", { s: 'abc123def456' }), true);
  assert.equal(run("self.s.findAll('[0-9]+').size() == 2", { s: 'abc123def456' }), true);
});

test('Kubernetes URL and quantity libraries', () => {
  assert.equal(
    run("isURL(self.u) && url(self.u).getHost() == 'example.com:8443' && url(self.u).getPort() == '8443'", {
      u: 'https://example.com:8443/x',
    }),
    true,
  );
  assert.equal(run("url(self.u).getScheme() == 'oci'", { u: 'oci://registry/x' }), true);
  assert.equal(run('isURL(self.u)', { u: 'not a url' }), false);
  assert.equal(run("quantity(self.q).isGreaterThan(quantity('1Gi'))", { q: '2Gi' }), true);
  assert.equal(
    run("quantity(self.q).compareTo(quantity('500m')) == 0 && !quantity(self.q).isInteger()", { q: '0.5' }),
    true,
  );
  assert.equal(run('isQuantity(self.q)', { q: '1.5.5' }), false);
});

test('undeclared functions and variables do not compile', () => {
  assert.match(compileExpr('lowerAscii2(self)').error ?? '', /undeclared reference to 'lowerAscii2'/);
  assert.match(compileExpr('other.x == 1').error ?? '', /undeclared reference to 'other'/);
  assert.equal(compileExpr('self.l.all(x, x > 0)').error, undefined);
});

test('date-time and duration strings are CEL timestamps and durations (schema-typed)', () => {
  const s = {
    type: 'object' as const,
    properties: {
      start: { type: 'string' as const, format: 'date-time' },
      end: { type: 'string' as const, format: 'date-time' },
      timeout: { type: 'string' as const, format: 'duration' },
    },
  };
  const self = toCel({ start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z', timeout: '90s' }, s);
  const c = compileExpr(
    "self.start < self.end && self.timeout > duration('1m') && self.end - self.start == duration('24h')",
  );
  assert.equal(c.eval!({ self }), true);
});

test('Kubernetes sets library', () => {
  assert.equal(run('sets.contains(self.a, [1]) && !sets.contains(self.a, [5])', { a: [1, 2] }), true);
  assert.equal(
    run('sets.equivalent(self.a, [2, 1, 1]) && sets.intersects(self.a, [2, 9])', { a: [1, 2] }),
    true,
  );
});

test('Kubernetes IP and CIDR libraries', () => {
  assert.equal(
    run("isIP(self.a) && ip(self.a).family() == 4 && ip('::1').family() == 6 && !isIP('1.2.3')", {
      a: '10.1.2.3',
    }),
    true,
  );
  assert.equal(
    run("isCIDR(self.n) && cidr(self.n).containsIP('10.1.2.3') && !cidr(self.n).containsIP('11.0.0.1')", {
      n: '10.0.0.0/8',
    }),
    true,
  );
  assert.equal(run("cidr('2001:db8::/32').containsIP('2001:db8::1')"), true);
});
