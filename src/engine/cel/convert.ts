import type { CelInput } from '@bufbuild/cel';

/**
 * A JSON value as cel-go sees Kubernetes unstructured data: integral numbers are `int`
 * (bigint), others `double`; objects are maps. Objects are wrapped, not copied: @bufbuild/cel
 * converts map values when they are read, so a rule pays only for the fields it touches.
 */
export function toCelValue(v: unknown): CelInput {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? BigInt(v) : v;
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
    case 'object':
      if (v === null) return null;
      if (Array.isArray(v)) return v.map(toCelValue);
      return new JsonMap(v as Record<string, unknown>);
    default:
      return null;
  }
}

/** A read-only Map view of a JSON object whose values convert on access. */
class JsonMap extends Map<string, CelInput> {
  private readonly obj: Record<string, unknown>;

  constructor(obj: Record<string, unknown>) {
    super();
    this.obj = obj;
  }

  override get(key: string): CelInput | undefined {
    return typeof key === 'string' && Object.hasOwn(this.obj, key) ? toCelValue(this.obj[key]) : undefined;
  }

  override has(key: string): boolean {
    return typeof key === 'string' && Object.hasOwn(this.obj, key);
  }

  override get size(): number {
    return Object.keys(this.obj).length;
  }

  override forEach(
    cb: (value: CelInput, key: string, map: Map<string, CelInput>) => void,
    thisArg?: unknown,
  ): void {
    for (const k of Object.keys(this.obj)) cb.call(thisArg, toCelValue(this.obj[k]), k, this);
  }

  override *entries(): MapIterator<[string, CelInput]> {
    for (const k of Object.keys(this.obj)) yield [k, toCelValue(this.obj[k])];
  }

  override *keys(): MapIterator<string> {
    yield* Object.keys(this.obj);
  }

  override *values(): MapIterator<CelInput> {
    for (const k of Object.keys(this.obj)) yield toCelValue(this.obj[k]);
  }

  override [Symbol.iterator](): MapIterator<[string, CelInput]> {
    return this.entries();
  }
}

/** The size of the largest list or map in `v` (bounds the cost of comprehensions over it). */
export function largestCollection(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  if (Array.isArray(v)) return v.reduce((m: number, x) => Math.max(m, largestCollection(x)), v.length);
  let m = 0;
  let n = 0;
  for (const x of Object.values(v as Record<string, unknown>)) {
    n++;
    m = Math.max(m, largestCollection(x));
  }
  return Math.max(m, n);
}
