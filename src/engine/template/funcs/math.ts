/**
 * sprig's arithmetic (numeric.go): integer functions cast with spf13/cast and return int64; the
 * `*f` functions compute in shopspring/decimal (so `mulf 1.2 2.4 10 4` is exactly 115.2).
 */

import { def, type FuncContext, type FuncDef, type FuncMap } from '../funcs-api.js';
import { mkInt, mkInt64, type NumberMode } from '../value.js';
import { formatV } from './util.js';
import { castFloat64, castInt64, f64, parseGoInt } from './util.js';

/** An exact decimal: value = m * 10^-scale. */
interface Dec {
  m: bigint;
  scale: number;
}

function decFromFloat(x: number): Dec {
  if (!Number.isFinite(x)) return { m: 0n, scale: 0 };
  const [mant, e] = x.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const frac = mant.includes('.') ? mant.split('.')[1]!.length : 0;
  const scale = frac - Number(e);
  let m = BigInt(digits) * (neg ? -1n : 1n);
  if (scale < 0) return { m: m * 10n ** BigInt(-scale), scale: 0 };
  if (m === 0n) m = 0n;
  return { m, scale };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [a.m * 10n ** BigInt(s - a.scale), b.m * 10n ** BigInt(s - b.scale), s];
}

function decToFloat(d: Dec): number {
  const neg = d.m < 0n;
  let s = (neg ? -d.m : d.m).toString();
  if (d.scale > 0) {
    s = s.padStart(d.scale + 1, '0');
    s = `${s.slice(0, s.length - d.scale)}.${s.slice(s.length - d.scale)}`;
  }
  return Number((neg ? '-' : '') + s);
}

const DIVISION_PRECISION = 16;

const decOps = {
  add: (a: Dec, b: Dec): Dec => {
    const [x, y, s] = align(a, b);
    return { m: x + y, scale: s };
  },
  sub: (a: Dec, b: Dec): Dec => {
    const [x, y, s] = align(a, b);
    return { m: x - y, scale: s };
  },
  mul: (a: Dec, b: Dec): Dec => ({ m: a.m * b.m, scale: a.scale + b.scale }),
  div: (a: Dec, b: Dec): Dec => {
    if (b.m === 0n) throw new Error('decimal division by 0');
    // a/b rounded half away from zero to DIVISION_PRECISION places.
    const [x, y] = align(a, b);
    const num = x * 10n ** BigInt(DIVISION_PRECISION + 1);
    let q = num / y;
    const neg = q < 0n;
    if (neg) q = -q;
    q = (q + 5n) / 10n;
    return { m: neg ? -q : q, scale: DIVISION_PRECISION };
  },
};

function decimalOp(first: unknown, rest: unknown[], op: (a: Dec, b: Dec) => Dec, mode: NumberMode) {
  let acc = decFromFloat(castFloat64(first, mode));
  for (const x of rest) acc = op(acc, decFromFloat(castFloat64(x, mode)));
  return f64(decToFloat(acc));
}

function bigMax(a: bigint, b: bigint): bigint {
  if (b > a) return b;
  return a;
}

function bigMin(a: bigint, b: bigint): bigint {
  if (b < a) return b;
  return a;
}

const i64 = (v: unknown, c: FuncContext): bigint => BigInt(castInt64(v, c.numbers));

function int64Result(b: bigint): unknown {
  const wrapped = BigInt.asIntN(64, b);
  return mkInt64(wrapped);
}

function goDiv(a: bigint, b: bigint, op: string): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return op === '/' ? a / b : a % b;
}

export function mathFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('add1', ['any'], (c, a: unknown) => int64Result(i64(a, c) + 1n)),
    def('add', ['...any'], (c, ...xs: unknown[]) =>
      int64Result(xs.reduce<bigint>((s, x) => s + i64(x, c), 0n)),
    ),
    def('sub', ['any', 'any'], (c, a: unknown, b: unknown) => int64Result(i64(a, c) - i64(b, c))),
    def('div', ['any', 'any'], (c, a: unknown, b: unknown) => int64Result(goDiv(i64(a, c), i64(b, c), '/'))),
    def('mod', ['any', 'any'], (c, a: unknown, b: unknown) => int64Result(goDiv(i64(a, c), i64(b, c), '%'))),
    def('mul', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      int64Result(xs.reduce<bigint>((s, x) => s * i64(x, c), i64(a, c))),
    ),
    def('add1f', ['any'], (c, a: unknown) => decimalOp(a, [1], decOps.add, c.numbers)),
    def('addf', ['...any'], (c, ...xs: unknown[]) => decimalOp(0, xs, decOps.add, c.numbers)),
    def('subf', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      decimalOp(a, xs, decOps.sub, c.numbers),
    ),
    def('mulf', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      decimalOp(a, xs, decOps.mul, c.numbers),
    ),
    def('divf', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      decimalOp(a, xs, decOps.div, c.numbers),
    ),
    def('biggest', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      int64Result(xs.reduce<bigint>((m, x) => bigMax(m, i64(x, c)), i64(a, c))),
    ),
    def('max', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      int64Result(xs.reduce<bigint>((m, x) => bigMax(m, i64(x, c)), i64(a, c))),
    ),
    def('min', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      int64Result(xs.reduce<bigint>((m, x) => bigMin(m, i64(x, c)), i64(a, c))),
    ),
    def('maxf', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      f64(xs.reduce<number>((m, x) => Math.max(m, castFloat64(x, c.numbers)), castFloat64(a, c.numbers))),
    ),
    def('minf', ['any', '...any'], (c, a: unknown, ...xs: unknown[]) =>
      f64(xs.reduce<number>((m, x) => Math.min(m, castFloat64(x, c.numbers)), castFloat64(a, c.numbers))),
    ),
    def('ceil', ['any'], (c, a: unknown) => f64(Math.ceil(castFloat64(a, c.numbers)))),
    def('floor', ['any'], (c, a: unknown) => f64(Math.floor(castFloat64(a, c.numbers)))),
    def('round', ['any', 'int', '...float64'], (c, a: unknown, p: number, ...r: number[]) => {
      const roundOn = r.length > 0 ? r[0]! : 0.5;
      const pow = 10 ** p;
      const digit = pow * castFloat64(a, c.numbers);
      const frac = digit - Math.trunc(digit);
      return f64((frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow);
    }),
    def('int', ['any'], (c, a: unknown) => mkInt(castInt64(a, c.numbers))),
    def('int64', ['any'], (c, a: unknown) => mkInt64(castInt64(a, c.numbers))),
    def('float64', ['any'], (c, a: unknown) => f64(castFloat64(a, c.numbers))),
    def('atoi', ['string'], (_c, s: string) => {
      const m = /^[+-]?\d+$/.test(s) ? BigInt(s) : 0n;
      return mkInt(m > 2n ** 63n - 1n || m < -(2n ** 63n) ? 0n : m);
    }),
    def('toDecimal', ['any'], (c, v: unknown) => {
      const s = formatV(v, c.numbers);
      if (!/^[+-]?[0-7]+$/.test(s)) return mkInt64(0);
      const b = parseGoInt(s.replace(/^([+-]?)/, '$10'));
      return mkInt64(b ?? 0n);
    }),
    def('randInt', ['int', 'int'], (c, min: number, max: number) => {
      if (max - min <= 0) throw new Error('invalid argument to Intn');
      const rnd = c.injected.random;
      if (rnd === undefined) throw new Error('randInt: no random source injected into this render');
      return mkInt(min + Math.floor(rnd() * (max - min)));
    }),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}
