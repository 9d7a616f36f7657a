/**
 * Compile-time checks of a parsed CEL expression, standing in for cel-go's type checker (the
 * @bufbuild/cel 0.6.1 checker does not handle calls yet): unknown variables, unknown functions
 * (the standard library only: Sveltos registers no extension, so `"x".lowerAscii()` is
 * rejected), operator overloads on statically known types, the result type, and bounds on
 * size and comprehension nesting (CEL has no loops, so this bounds the evaluation cost).
 */
import type { CelEnv } from '@bufbuild/cel';

type T = 'int' | 'uint' | 'double' | 'string' | 'bool' | 'bytes' | 'null' | 'list' | 'map' | 'type' | 'dyn';

export interface CheckLimits {
  maxNodes: number;
  maxComprehensionDepth: number;
}

export class CheckError extends Error {
  override readonly name = 'CheckError';
}

const TYPE_IDENTS = new Set([
  'int',
  'uint',
  'double',
  'string',
  'bool',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
  'dyn',
]);
const ARITH = new Set(['_+_', '_-_', '_*_', '_/_', '_%_']);
const COMPARE = new Set(['_<_', '_<=_', '_>_', '_>=_']);
const NUMERIC = new Set<T>(['int', 'uint', 'double']);

interface Ctx {
  env: CelEnv;
  vars: string[];
  nodes: number;
  depth: number;
  maxDepth: number;
  limits: CheckLimits;
  positions: (id: bigint) => string;
}

function opName(fn: string): string {
  return fn.replace(/^_|_$/g, '').replace(/^!_$/, '!');
}

function visit(e: any, c: Ctx): T {
  if (++c.nodes > c.limits.maxNodes) {
    throw new CheckError(`expression has more than ${c.limits.maxNodes} nodes`);
  }
  const k = e.exprKind;
  switch (k.case) {
    case 'constExpr': {
      switch (k.value.constantKind.case) {
        case 'boolValue':
          return 'bool';
        case 'int64Value':
          return 'int';
        case 'uint64Value':
          return 'uint';
        case 'doubleValue':
          return 'double';
        case 'stringValue':
          return 'string';
        case 'bytesValue':
          return 'bytes';
        case 'nullValue':
          return 'null';
        default:
          return 'dyn';
      }
    }
    case 'identExpr': {
      const name: string = k.value.name;
      if (name === 'resource' || c.vars.includes(name)) return 'dyn';
      if (TYPE_IDENTS.has(name)) return 'type';
      throw new CheckError(
        `${c.positions(e.id)}undeclared reference to '${name}' (the only variable is 'resource')`,
      );
    }
    case 'selectExpr': {
      const t = visit(k.value.operand, c);
      if (k.value.testOnly) return 'bool';
      if (t !== 'dyn' && t !== 'map')
        throw new CheckError(`${c.positions(e.id)}type '${t}' has no field '${k.value.field}'`);
      return 'dyn';
    }
    case 'listExpr':
      for (const el of k.value.elements) visit(el, c);
      return 'list';
    case 'structExpr':
      if (k.value.messageName)
        throw new CheckError(`${c.positions(e.id)}message construction is not supported`);
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') visit(en.keyKind.value, c);
        visit(en.value, c);
      }
      return 'map';
    case 'comprehensionExpr': {
      const v = k.value;
      visit(v.iterRange, c);
      visit(v.accuInit, c);
      c.depth++;
      c.maxDepth = Math.max(c.maxDepth, c.depth);
      if (c.depth > c.limits.maxComprehensionDepth) {
        throw new CheckError(
          `comprehensions (all, exists, map, filter) nest deeper than ${c.limits.maxComprehensionDepth}`,
        );
      }
      c.vars.push(v.iterVar, v.accuVar);
      if (v.iterVar2) c.vars.push(v.iterVar2);
      visit(v.loopCondition, c);
      visit(v.loopStep, c);
      const r = visit(v.result, c);
      c.vars.length -= v.iterVar2 ? 3 : 2;
      c.depth--;
      return r;
    }
    case 'callExpr':
      return visitCall(e, c);
    default:
      throw new CheckError(`${c.positions(e.id)}unsupported expression`);
  }
}

function visitCall(e: any, c: Ctx): T {
  const call = e.exprKind.value;
  const fn: string = call.function;
  const target: T | null = call.target ? visit(call.target, c) : null;
  const args: T[] = call.args.map((a: any) => visit(a, c));
  const operator = fn.startsWith('_') || fn.startsWith('@') || fn === '!_';
  if (!operator && c.env.funcs.find(fn) === undefined) {
    const what = call.target ? `method '${fn}'` : `function '${fn}'`;
    throw new CheckError(
      `${c.positions(e.id)}undeclared reference to ${what} (Sveltos uses the standard CEL library only)`,
    );
  }
  const known = args.every((a) => a !== 'dyn');
  const mismatch = () =>
    new CheckError(
      `${c.positions(e.id)}found no matching overload for '${opName(fn)}' applied to '(${args.join(', ')})'`,
    );
  if (ARITH.has(fn) && known) {
    const [a, b] = args;
    if (a !== b) throw mismatch();
    if (fn === '_+_' && !['int', 'uint', 'double', 'string', 'bytes', 'list'].includes(a)) throw mismatch();
    if (fn !== '_+_' && !NUMERIC.has(a)) throw mismatch();
    return a;
  }
  if (ARITH.has(fn)) return args.find((a) => a !== 'dyn') ?? 'dyn';
  if (COMPARE.has(fn) && known) {
    const [a, b] = args;
    if (!(a === b || (NUMERIC.has(a) && NUMERIC.has(b)))) throw mismatch();
    return 'bool';
  }
  if (
    (fn === '_==_' || fn === '_!=_') &&
    known &&
    args[0] !== args[1] &&
    args[0] !== 'null' &&
    args[1] !== 'null'
  ) {
    if (!(NUMERIC.has(args[0]) && NUMERIC.has(args[1]))) throw mismatch();
  }
  if ((fn === '_&&_' || fn === '_||_' || fn === '!_') && args.some((a) => a !== 'bool' && a !== 'dyn'))
    throw mismatch();
  if (fn === '_?_:_' && args[0] !== 'bool' && args[0] !== 'dyn') throw mismatch();
  void target;
  switch (fn) {
    case '_==_':
    case '_!=_':
    case '_&&_':
    case '_||_':
    case '!_':
    case '@in':
    case 'startsWith':
    case 'endsWith':
    case 'contains':
    case 'matches':
    case '@not_strictly_false':
    case 'not_strictly_false':
      return 'bool';
    case 'size':
    case 'int':
      return 'int';
    case 'string':
      return 'string';
    case 'double':
      return 'double';
    case 'uint':
      return 'uint';
    case 'bool':
      return 'bool';
    case 'bytes':
      return 'bytes';
    case '_?_:_':
      return args[1] === args[2] ? args[1] : 'dyn';
    default:
      return 'dyn';
  }
}

/**
 * Checks `expr` (a cel.expr.ParsedExpr); returns its static result type ('dyn' when unknown)
 * and the deepest nesting of comprehensions (the exponent of its cost in the input size).
 */
export function checkExpr(
  env: CelEnv,
  parsed: any,
  limits: CheckLimits,
  source: string,
): { type: T; comprehensionDepth: number } {
  const info = parsed.sourceInfo;
  const positions = (id: bigint): string => {
    const off = info?.positions?.[String(id)];
    if (off === undefined) return '';
    const before = source.slice(0, off);
    const line = before.split('\n').length;
    const col = off - before.lastIndexOf('\n');
    return `<input>:${line}:${col}: `;
  };
  const ctx: Ctx = { env, vars: [], nodes: 0, depth: 0, maxDepth: 0, limits, positions };
  const type = visit(parsed.expr, ctx);
  return { type, comprehensionDepth: ctx.maxDepth };
}
