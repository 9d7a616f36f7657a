/**
 * The Go value model of the template engine.
 *
 * Go's text/template works on reflect.Values; we map them onto plain JS values so that data
 * (Kubernetes objects, Helm values) can be passed without conversion:
 *
 * | JS value                          | Go value                                              |
 * | --------------------------------- | ----------------------------------------------------- |
 * | `string`                          | `string`                                              |
 * | `boolean`                         | `bool`                                                |
 * | `null` / `undefined`              | nil interface                                         |
 * | `MISSING`                         | the invalid Value of a missing map key (`<no value>`) |
 * | raw `number`                      | depends on the render's {@link NumberMode}            |
 * | raw `bigint`                      | `int64` (values beyond 2^53)                           |
 * | {@link GoNumber}                  | a number of an explicit Go kind (`int`, `uint8`, ...) |
 * | array                             | `[]interface {}` (or the type set by {@link withGoType}) |
 * | plain object                      | `map[string]interface {}` (printed sorted by key)      |
 * | {@link HostObject}                | a Go struct/pointer with fields and methods            |
 * | {@link GoFunc}                    | a func value (for `call`)                              |
 *
 * Number modes: in `int64` mode (Sveltos / Kubernetes unstructured data) an integral raw number
 * below 2^53 in magnitude is an `int64` and any other a `float64`; in `float64` mode (Helm `.Values`) every raw number is
 * a `float64`.
 */

export type NumberMode = 'int64' | 'float64';

/** A declared Go parameter type (see funcs-api.ts). `value` is Go's reflect.Value: anything including nil, unconverted. */
export type ParamType = NumKind | 'string' | 'bool' | 'any' | 'value' | '[]any' | '[]string' | 'map' | 'func';

export type IntKind = 'int' | 'int8' | 'int16' | 'int32' | 'int64';
export type UintKind = 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'uintptr';
export type FloatKind = 'float32' | 'float64';
export type NumKind = IntKind | UintKind | FloatKind;

/** Go reflect kinds the engine distinguishes. `invalid` is nil or MISSING. */
export type GoKind =
  | 'invalid'
  | 'bool'
  | 'string'
  | NumKind
  | 'complex128'
  | 'slice'
  | 'map'
  | 'struct'
  | 'func';

/** A number whose Go type is explicit. Integers beyond 2^53 are held as bigint. */
export class GoNumber {
  constructor(
    readonly kind: NumKind,
    readonly value: number | bigint,
  ) {}
}

/** A Go `complex128` (only constants in templates produce one). */
export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/** The "no value" of a missing map key; prints `<no value>`. */
export class Missing {
  private constructor() {}
  static readonly instance = new Missing();
  toString(): string {
    return '<no value>';
  }
}
export const MISSING: Missing = Missing.instance;

/** Symbol that brands host objects (see {@link HostObject}). */
export const HOST = Symbol.for('flotilla.template.host');
/** Symbol under which an array or object may carry its Go type name (see {@link withGoType}). */
export const GO_TYPE = Symbol.for('flotilla.template.gotype');

/** A method of a host object; arguments are converted like a function's (see funcs-api). */
export interface HostMethod {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  /** Throwing returns an error to the template (`error calling NAME: MSG`). */
  readonly fn: (...args: unknown[]) => unknown;
}

/**
 * A Go struct (or pointer to one) exposed to templates: Helm's `.Files`, `.Capabilities`,
 * `.Chart`, `.Release`. `{{.X}}` on a host object first looks up a method `X` (Go resolves
 * methods before fields), then a field `X`. Names are Go names (`.Chart.AppVersion`).
 *
 * - `field(name)` returns the field value or `NO_FIELD` when the struct has no such field
 *   (the template then fails with `can't evaluate field NAME in type TYPE`).
 * - `method(name)` returns the method or `undefined`.
 * - `goTypeName()` is the `%T` name, e.g. `*chartutil.Capabilities`; also used in errors.
 * - `format()` (optional) is how `{{.}}` / `%v` print the object; default `{field values}`.
 */
export interface HostObject {
  readonly [HOST]: true;
  field(name: string): unknown;
  method(name: string): HostMethod | undefined;
  goTypeName(): string;
  format?(): string;
  /** Field names in declaration order (optional; used to print the struct as Go does). */
  fieldNames?(): string[];
}

/** Returned by {@link HostObject.field} when there is no such field. */
export const NO_FIELD: unique symbol = Symbol('flotilla.template.nofield');

/** A function value (`call` can invoke it). */
export interface GoFunc {
  readonly [HOST]: 'func';
  readonly name: string;
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  readonly fn: (...args: unknown[]) => unknown;
}

export function isHostObject(v: unknown): v is HostObject {
  return typeof v === 'object' && v !== null && (v as { [HOST]?: unknown })[HOST] === true;
}

export function isGoFunc(v: unknown): v is GoFunc {
  return typeof v === 'object' && v !== null && (v as { [HOST]?: unknown })[HOST] === 'func';
}

/** A plain object used as `map[string]interface {}` (not an array, host object or GoNumber). */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  if (v instanceof GoNumber || v instanceof Missing || v instanceof GoComplex) return false;
  return (v as { [HOST]?: unknown })[HOST] === undefined;
}

/**
 * Tags an array or object with its Go type name for `%T` and error messages, e.g.
 * `withGoType(['a'], '[]string')` or `withGoType({a: 'b'}, 'map[string]string')`.
 * Only the name changes: the value still behaves as a slice/map.
 */
export function withGoType<T extends object>(v: T, goType: string): T {
  Object.defineProperty(v, GO_TYPE, { value: goType, enumerable: false, configurable: true });
  return v;
}

const INT_KINDS = new Set<string>(['int', 'int8', 'int16', 'int32', 'int64']);
const UINT_KINDS = new Set<string>(['uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr']);

export function isIntKind(k: GoKind): k is IntKind {
  return INT_KINDS.has(k);
}
export function isUintKind(k: GoKind): k is UintKind {
  return UINT_KINDS.has(k);
}
export function isFloatKind(k: GoKind): k is FloatKind {
  return k === 'float32' || k === 'float64';
}
export function isNumKind(k: GoKind): k is NumKind {
  return INT_KINDS.has(k) || UINT_KINDS.has(k) || k === 'float32' || k === 'float64';
}

/** The Go reflect kind of a value. */
export function goKindOf(v: unknown, mode: NumberMode): GoKind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return mode === 'float64' || !Number.isSafeInteger(v) ? 'float64' : 'int64';
    case 'bigint':
      return 'int64';
    case 'undefined':
      return 'invalid';
    case 'function':
      return 'func';
    case 'object': {
      if (v === null || v instanceof Missing) return 'invalid';
      if (v instanceof GoNumber) return v.kind;
      if (v instanceof GoComplex) return 'complex128';
      if (Array.isArray(v)) return 'slice';
      const h = (v as { [HOST]?: unknown })[HOST];
      if (h === true) return 'struct';
      if (h === 'func') return 'func';
      return 'map';
    }
    default:
      return 'invalid';
  }
}

/** Go's `%T` name of a value. */
export function typeName(v: unknown, mode: NumberMode): string {
  if (typeof v === 'object' && v !== null) {
    const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
    if (t !== undefined) return t;
    if (isHostObject(v)) return v.goTypeName();
    if (isGoFunc(v)) return funcTypeName(v);
  }
  const k = goKindOf(v, mode);
  switch (k) {
    case 'invalid':
      return '<nil>';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'func':
      return 'func()';
    case 'struct':
      return 'struct {}';
    default:
      return k;
  }
}

function funcTypeName(f: GoFunc): string {
  const ps = f.params.map((p) => paramGoName(p));
  if (f.variadic !== undefined) ps.push(`...${paramGoName(f.variadic)}`);
  return `func(${ps.join(', ')}) interface {}`;
}

/** The Go spelling of a parameter type (for `%T` and error messages). */
export function paramGoName(p: ParamType): string {
  switch (p) {
    case 'any':
      return 'interface {}';
    case '[]any':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    default:
      return p;
  }
}

/** Numeric view of a value: `undefined` when it is not a number. */
export function numberOf(
  v: unknown,
  mode: NumberMode,
): { kind: NumKind; value: number | bigint } | undefined {
  if (typeof v === 'number')
    return { kind: mode === 'float64' || !Number.isSafeInteger(v) ? 'float64' : 'int64', value: v };
  if (v instanceof GoNumber) return v;
  if (typeof v === 'bigint') return { kind: 'int64', value: v };
  return undefined;
}

/** Converts any numeric value to a JS number (int64 beyond 2^53 loses precision). Throws for non-numbers. */
export function toFloat64(v: unknown, mode: NumberMode): number {
  const n = numberOf(v, mode);
  if (n === undefined) throw new TypeError(`expected a number; got ${typeName(v, mode)}`);
  return Number(n.value);
}

/** Converts any numeric value to an integer (floats truncate toward zero, as Go's int64(f)). */
export function toInt64(v: unknown, mode: NumberMode): number {
  const f = toFloat64(v, mode);
  return Math.trunc(f);
}

/** Converts a numeric value to a bigint without precision loss for integers. */
export function toBigInt(v: unknown, mode: NumberMode): bigint {
  const n = numberOf(v, mode);
  if (n === undefined) throw new TypeError(`expected a number; got ${typeName(v, mode)}`);
  if (typeof n.value === 'bigint') return n.value;
  return BigInt(Math.trunc(n.value));
}

/** A Go `int`. */
export function mkInt(n: number | bigint): GoNumber {
  return new GoNumber('int', normInt(n));
}
/** A Go `int64`. */
export function mkInt64(n: number | bigint): GoNumber {
  return new GoNumber('int64', normInt(n));
}
/** A Go `float64`. */
export function mkFloat64(n: number): GoNumber {
  return new GoNumber('float64', n);
}
/** A number of any explicit kind. */
export function mkNumber(kind: NumKind, n: number | bigint): GoNumber {
  if (kind === 'float32' || kind === 'float64') return new GoNumber(kind, Number(n));
  return new GoNumber(kind, normInt(n));
}

function normInt(n: number | bigint): number | bigint {
  if (typeof n === 'bigint') {
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return Math.trunc(n);
}

/** Unwraps MISSING to nil (`null`) and leaves every other value alone. */
export function indirect(v: unknown): unknown {
  return v === undefined || v instanceof Missing ? null : v;
}

/** True when the value is nil or MISSING. */
export function isNil(v: unknown): boolean {
  return v === null || v === undefined || v instanceof Missing;
}

/** Go truthiness (`if`, `with`, `and`, `or`, `not`): the zero value of any type is false. */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'undefined':
      return false;
    case 'function':
      return true;
    case 'object':
      if (v === null || v instanceof Missing) return false;
      if (v instanceof GoNumber) return v.value !== 0 && v.value !== 0n;
      if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
      if (Array.isArray(v)) return v.length > 0;
      if ((v as { [HOST]?: unknown })[HOST] !== undefined) return true;
      for (const _ in v) return true;
      return false;
    default:
      return false;
  }
}

/** Sorted keys of a map value, as Go's fmt and range order them. */
export function sortedKeys(m: Record<string, unknown>): string[] {
  const ks = Object.keys(m);
  ks.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ks;
}

/**
 * A Go struct value for template data, e.g. Sveltos' template data
 * `goStruct('*controllers.currentObject', { Cluster, KubeadmControlPlane, InfrastructureProvider, MgmtResources })`
 * or Helm's `.Chart`. Fields are read by Go name; an unknown field is an error
 * (`can't evaluate field X in type T`), unlike a map. `methods` adds callable methods.
 * It prints like Go's %v of a struct: `{v1 v2 ...}` in field order (`&{...}` for a pointer type).
 */
export function goStruct(
  goType: string,
  fields: Record<string, unknown>,
  methods: Record<string, HostMethod> = {},
): HostObject {
  return {
    [HOST]: true,
    goTypeName: () => goType,
    field: (name) => (Object.hasOwn(fields, name) ? fields[name] : NO_FIELD),
    method: (name) => (Object.hasOwn(methods, name) ? methods[name] : undefined),
    fieldNames: () => Object.keys(fields),
  };
}
