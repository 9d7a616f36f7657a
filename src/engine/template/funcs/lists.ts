/** sprig's list functions (list.go). Non-`must` variants fail the same way: Go panics become errors. */

import { def, type FuncContext, type FuncDef, type FuncMap } from '../funcs-api.js';
import { GoNumber, isMap, isNil, type NumberMode, numberOf } from '../value.js';
import { castInt64, goTypeName, isEmpty } from './util.js';

/** reflect.DeepEqual over template values (numbers must have the same Go kind). */
export function goDeepEqual(a: unknown, b: unknown, mode: NumberMode): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  const na = numberOf(a, mode);
  const nb = numberOf(b, mode);
  if (na !== undefined || nb !== undefined) {
    return na !== undefined && nb !== undefined && na.kind === nb.kind && na.value === nb.value;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => goDeepEqual(x, b[i], mode))
    );
  }
  if (isMap(a) || isMap(b)) {
    if (!isMap(a) || !isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && goDeepEqual(a[k], b[k], mode));
  }
  return a === b;
}

function listArg(op: string, v: unknown, ctx: FuncContext): unknown[] {
  if (Array.isArray(v)) return v;
  throw new Error(`Cannot ${op} on type ${isNil(v) ? '<nil>' : goTypeName(v, ctx.numbers)}`);
}

function toInt(v: unknown, mode: NumberMode): number {
  return Number(castInt64(v, mode));
}

/** Registers `name` and `mustName` with the same body. */
function both(name: string, params: Parameters<typeof def>[1], fn: FuncDef['fn']): FuncDef[] {
  const must = `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  return [def(name, params, fn), def(must, params, fn)];
}

export function listFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('list', ['...any'], (_c, ...xs: unknown[]) => [...xs]),
    def('tuple', ['...any'], (_c, ...xs: unknown[]) => [...xs]),
    ...both('push', ['any', 'any'], (c, l: unknown, v: unknown) => [...listArg('push', l, c), v]),
    ...both('append', ['any', 'any'], (c, l: unknown, v: unknown) => [...listArg('append', l, c), v]),
    ...both('prepend', ['any', 'any'], (c, l: unknown, v: unknown) => [v, ...listArg('prepend', l, c)]),
    ...both('first', ['any'], (c, l: unknown) => {
      const xs = listArg('find first', l, c);
      return xs.length === 0 ? null : xs[0];
    }),
    ...both('last', ['any'], (c, l: unknown) => {
      const xs = listArg('find last', l, c);
      return xs.length === 0 ? null : xs[xs.length - 1];
    }),
    ...both('rest', ['any'], (c, l: unknown) => listArg('find rest', l, c).slice(1)),
    ...both('initial', ['any'], (c, l: unknown) => listArg('find initial', l, c).slice(0, -1)),
    ...both('reverse', ['any'], (c, l: unknown) => [...listArg('find reverse', l, c)].reverse()),
    ...both('compact', ['any'], (c, l: unknown) => listArg('compact', l, c).filter((x) => !isEmpty(x))),
    ...both('uniq', ['any'], (c, l: unknown) => {
      const out: unknown[] = [];
      for (const x of listArg('find uniq', l, c)) {
        if (!out.some((y) => goDeepEqual(x, y, c.numbers))) out.push(x);
      }
      return out;
    }),
    ...both('without', ['any', '...any'], (c, l: unknown, ...omit: unknown[]) =>
      listArg('find without', l, c).filter((x) => !omit.some((o) => goDeepEqual(x, o, c.numbers))),
    ),
    ...both('has', ['any', 'any'], (c, needle: unknown, hay: unknown) => {
      if (isNil(hay)) return false;
      return listArg('find has', hay, c).some((x) => goDeepEqual(x, needle, c.numbers));
    }),
    ...both('slice', ['any', '...any'], (c, l: unknown, ...idx: unknown[]) => {
      const xs = listArg('slice', l, c);
      if (xs.length === 0) return null;
      const start = idx.length > 0 ? toInt(idx[0], c.numbers) : 0;
      const end = idx.length > 1 ? toInt(idx[1], c.numbers) : xs.length;
      if (start < 0 || end > xs.length || start > end) {
        throw new Error(`reflect: slice index out of range`);
      }
      return xs.slice(start, end);
    }),
    def('concat', ['...any'], (c, ...ls: unknown[]) => {
      const out: unknown[] = [];
      for (const l of ls) out.push(...listArg('concat', l, c));
      return out;
    }),
    ...both('chunk', ['int', 'any'], (c, size: number, l: unknown) => {
      const xs = listArg('chunk', l, c);
      const out: unknown[] = [];
      for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
      return out;
    }),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}

/** True for a value whose Go kind is a number (used by reflection helpers). */
export function isNumberValue(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof GoNumber;
}
