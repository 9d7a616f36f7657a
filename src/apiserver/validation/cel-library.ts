/**
 * The Kubernetes CEL libraries that CRD validation rules may use, on top of the CEL standard
 * library and the `strings` extension: lists (isSorted, sum, min, max, indexOf, lastIndexOf),
 * regex (find, findAll). Names here also drive the compile-time "undeclared function" check.
 */
import { type CelFunc, CelScalar, celMethod, isCelList, isCelMap, listType } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { compilePattern } from './regex.js';
import { K8S_TYPE_FUNCTION_NAMES, k8sTypeFuncs } from './cel-k8s-types.js';

const DYN_LIST = listType(CelScalar.DYN);

type Comparable = bigint | number | string | boolean;

function toArray(list: Iterable<unknown>): Comparable[] {
  return [...list] as Comparable[];
}

function compare(a: Comparable, b: Comparable): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'bigint' ? a : Number(a);
  const y = typeof b === 'bigint' ? b : Number(b);
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  const nx = Number(x);
  const ny = Number(y);
  return nx < ny ? -1 : nx > ny ? 1 : 0;
}

function regex(pattern: string, global: boolean): RegExp {
  const re = compilePattern(pattern);
  if (typeof re === 'string') throw new Error(re);
  return new RegExp(re.source, re.flags + (global ? 'g' : ''));
}

function listOf(v: unknown): Comparable[] {
  if (!isCelList(v)) throw new Error('no such overload');
  return toArray(v);
}

/** Key marking the map that stands in for a CEL optional (`oldSelf` with optionalOldSelf). */
export const OPTIONAL_KEY = '@flotilla/optional';
const OPTIONAL_VALUE = '@flotilla/value';

/** The stand-in for `optional.of(v)` (v !== undefined) or `optional.none()`. */
export function celOptional(v: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>([[OPTIONAL_KEY, v !== undefined]]);
  if (v !== undefined) m.set(OPTIONAL_VALUE, v);
  return m;
}

function optionalOf(v: unknown): { has: boolean; value: unknown } {
  if (!isCelMap(v) || !v.has(OPTIONAL_KEY)) throw new Error('no such overload');
  return { has: v.get(OPTIONAL_KEY) === true, value: v.get(OPTIONAL_VALUE) };
}

export const k8sFuncs: CelFunc[] = [
  ...k8sTypeFuncs,
  celMethod('hasValue', CelScalar.DYN, [], CelScalar.BOOL, function () {
    return optionalOf(this).has;
  }),
  celMethod('value', CelScalar.DYN, [], CelScalar.DYN, function () {
    const o = optionalOf(this);
    if (!o.has) throw new Error('optional.none() dereference');
    return o.value as never;
  }),
  celMethod('orValue', CelScalar.DYN, [CelScalar.DYN], CelScalar.DYN, function (d) {
    const o = optionalOf(this);
    return (o.has ? o.value : d) as never;
  }),
  ...strings,
  celMethod('isSorted', DYN_LIST, [], CelScalar.BOOL, function () {
    const items = listOf(this);
    return items.every((x, i) => i === 0 || compare(items[i - 1], x) <= 0);
  }),
  celMethod('sum', DYN_LIST, [], CelScalar.DYN, function () {
    const items = listOf(this);
    if (items.length === 0) return 0n;
    if (items.every((x) => typeof x === 'bigint')) return (items as bigint[]).reduce((a, b) => a + b, 0n);
    return items.reduce((a: number, b) => a + Number(b), 0);
  }),
  celMethod('min', DYN_LIST, [], CelScalar.DYN, function () {
    const items = listOf(this);
    if (items.length === 0) throw new Error('min called on empty list');
    return items.reduce((a, b) => (compare(b, a) < 0 ? b : a));
  }),
  celMethod('max', DYN_LIST, [], CelScalar.DYN, function () {
    const items = listOf(this);
    if (items.length === 0) throw new Error('max called on empty list');
    return items.reduce((a, b) => (compare(b, a) > 0 ? b : a));
  }),
  celMethod('indexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (v) {
    return BigInt(listOf(this).findIndex((x) => compare(x, v as Comparable) === 0 && typeof x === typeof v));
  }),
  celMethod('lastIndexOf', DYN_LIST, [CelScalar.DYN], CelScalar.INT, function (v) {
    const items = listOf(this);
    for (let i = items.length - 1; i >= 0; i--) {
      if (typeof items[i] === typeof v && compare(items[i], v as Comparable) === 0) return BigInt(i);
    }
    return -1n;
  }),
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (p) {
    return regex(p, false).exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], DYN_LIST, function (p) {
    return [...this.matchAll(regex(p, true))].map((m) => m[0]);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], DYN_LIST, function (p, n) {
    const all = [...this.matchAll(regex(p, true))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  }),
];

/** Function and method names a rule may call (standard library, strings ext, Kubernetes libs). */
export const KNOWN_FUNCTIONS = new Set([
  'size',
  'int',
  'uint',
  'double',
  'string',
  'bytes',
  'bool',
  'type',
  'dyn',
  'duration',
  'timestamp',
  'matches',
  'contains',
  'startsWith',
  'endsWith',
  'getDate',
  'getDayOfMonth',
  'getDayOfWeek',
  'getDayOfYear',
  'getFullYear',
  'getHours',
  'getMilliseconds',
  'getMinutes',
  'getMonth',
  'getSeconds',
  'charAt',
  'format',
  'indexOf',
  'join',
  'lastIndexOf',
  'lowerAscii',
  'replace',
  'split',
  'substring',
  'trim',
  'upperAscii',
  'isSorted',
  'sum',
  'min',
  'max',
  'find',
  'findAll',
  'hasValue',
  'value',
  'orValue',
  ...K8S_TYPE_FUNCTION_NAMES,
]);
