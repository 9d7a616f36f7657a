/**
 * Shared helpers of the function library: Go's `%v` printing, sprig's strval, spf13/cast
 * conversions, sprig's notion of "empty", deep copies.
 */

import { formatValue } from '../fmt.js';
import type { FuncContext } from '../funcs-api.js';
import { GoNumber, isMap, Missing, mkFloat64, type NumberMode, numberOf, withGoType } from '../value.js';
import { setOwn } from '../../../lib/own-props.js';

/** Go's fmt `%v` of a value (the engine's formatter: maps sorted, slices space-separated, nil `<nil>`). */
export function formatV(v: unknown, mode: NumberMode): string {
  if (v === null || v === undefined) return '<nil>';
  return formatValue(v, mode);
}

/** sprig's strval: strings unchanged, everything else `%v`. */
export function strval(v: unknown, mode: NumberMode): string {
  return typeof v === 'string' ? v : formatV(v, mode);
}

/** Go strconv.ParseInt(s, 0, 64); undefined on error. */
export function parseGoInt(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (m === null) return undefined;
  let body = m[2]!;
  if (body.includes('_')) {
    if (!/^0[xXbBoO]?/.test(body) || body === '0') return undefined;
    body = body.replaceAll('_', '');
  }
  let v: bigint;
  if (/^0[0-7]+$/.test(body)) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body.replace(/^0[oO]/, '0o'));
  if (m[1] === '-') v = -v;
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) return undefined;
  return v;
}

function bigToNumber(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** spf13/cast ToInt64 (v1.5): numbers truncate, strings parse with base prefix, bools 0/1, else 0. */
export function castInt64(v: unknown, mode: NumberMode): number | bigint {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    // cast trims a ".0..." decimal part before parsing.
    const t = /^[+-]?\d+\.0*$/.test(v) ? v.slice(0, v.indexOf('.')) : v;
    const b = parseGoInt(t);
    return b === undefined ? 0 : bigToNumber(b);
  }
  const n = numberOf(v, mode);
  if (n === undefined) return 0;
  if (typeof n.value === 'bigint') return n.value;
  return Math.trunc(n.value) || 0;
}

/** spf13/cast ToFloat64. */
export function castFloat64(v: unknown, mode: NumberMode): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim() === v ? v : '';
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
    if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(t)) return Number.NaN;
    return 0;
  }
  const n = numberOf(v, mode);
  return n === undefined ? 0 : Number(n.value);
}

/** A float64 result (explicitly typed so that integral values stay float64 in int64 mode). */
export function f64(n: number): GoNumber {
  return mkFloat64(n);
}

/** sprig's empty(): nil, zero numbers, false, and empty strings/slices/maps. */
export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof Missing) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'boolean':
      return !v;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
  }
  if (v instanceof GoNumber) return v.value === 0 || v.value === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** A deep copy of maps and slices (copystructure as sprig's deepCopy uses it). */
export function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(deepCopy);
    const t = (v as unknown as Record<symbol, unknown>)[Symbol.for('flotilla.template.gotype')];
    return typeof t === 'string' ? withGoType(out, t) : out;
  }
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(out, k, deepCopy(v[k]));
    return out;
  }
  return v;
}

/** A []string result. */
export function strSlice(xs: string[]): string[] {
  return withGoType(xs, '[]string');
}

/** The elements of a slice argument, or an error naming the function. */
export function sliceOf(fn: string, v: unknown, ctx: FuncContext): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined || v instanceof Missing) return [];
  throw new Error(`Cannot find ${fn} on type ${goTypeName(v, ctx.numbers)}`);
}

/** Minimal Go type names used in messages. */
export function goTypeName(v: unknown, mode: NumberMode): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  const n = numberOf(v, mode);
  if (n !== undefined) return n.kind;
  if (isMap(v)) return 'map[string]interface {}';
  return 'interface {}';
}
