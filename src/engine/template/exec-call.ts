/** Function calls (Go's evalCall) and argument conversion (evalArg / validateType). */

import { TemplateError } from './errors.js';
import { type ArgEval, NO_FINAL, type State } from './exec-state.js';
import { formatValue } from './fmt.js';
import { type FuncDef, type ParamType, TemplateAbort } from './funcs-api.js';
import { type CommandNode, type Node, nodeString } from './nodes.js';
import {
  GO_TYPE,
  GoNumber,
  isGoFunc,
  isHostObject,
  isTrue,
  Missing,
  MISSING,
  numberOf,
  paramGoName,
  typeName,
} from './value.js';

/** Go's evalCall. */
export function callFunc(
  s: State,
  dot: unknown,
  def: FuncDef,
  isBuiltin: boolean,
  node: Node,
  name: string,
  args: CallArgs | null,
  final: unknown,
): unknown {
  s.step();
  const nargs = args === null ? 0 : args.nodes.length;
  const numIn = nargs + (final !== NO_FINAL ? 1 : 0);
  const nparams = def.params.length + (def.variadic !== undefined ? 1 : 0);
  let numFixed = nargs;
  if (def.variadic !== undefined) {
    numFixed = def.params.length;
    if (numIn < numFixed)
      s.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${nargs}`);
  } else if (numIn !== nparams) {
    s.errorf(`wrong number of args for ${name}: want ${nparams} got ${numIn}`);
  }
  if (isBuiltin && (name === 'and' || name === 'or')) {
    let v: unknown = MISSING;
    for (let i = 0; i < nargs; i++) {
      v = (args as CallArgs).evals[i]?.(s, dot, 'value');
      if (isTrue(v) === (name === 'or')) return v;
    }
    if (final !== NO_FINAL) v = validateType(s, final, 'value');
    return v;
  }
  const argv: unknown[] = new Array(numIn);
  let i = 0;
  for (; i < numFixed && i < nargs; i++) {
    argv[i] = (args as CallArgs).evals[i]?.(s, dot, def.params[i] as ParamType);
  }
  if (def.variadic !== undefined) {
    for (; i < nargs; i++) argv[i] = (args as CallArgs).evals[i]?.(s, dot, def.variadic);
  }
  if (final !== NO_FINAL) {
    let t: ParamType;
    if (def.variadic !== undefined)
      t = numIn - 1 < numFixed ? (def.params[numIn - 1] as ParamType) : def.variadic;
    else t = def.params[nparams - 1] as ParamType;
    argv[i] = validateType(s, final, t);
  }
  if (isBuiltin && name === 'call') {
    const callee = nargs === 0 ? formatValue(final, s.mode) : nodeString((args as CallArgs).nodes[0] as Node);
    argv.unshift(callee);
  }
  try {
    const r = def.fn(s.context(), ...argv);
    return r === undefined ? null : r;
  } catch (e) {
    if (e instanceof TemplateError && e.code === 'template.limit') throw e;
    if (e instanceof RangeError && e.message.includes('call stack')) {
      // Deep include/tpl recursion can exhaust the JS stack before limits.maxDepth: stop cleanly.
      throw s.makeError(
        `template recursion exhausted the JavaScript stack at depth ${s.budget.depth} (limits.maxDepth is ${s.env.limits.maxDepth}); a template includes itself too deeply: fix the recursion`,
        'template.limit',
      );
    }
    s.at(node);
    if (e instanceof TemplateAbort) {
      const code = e.code === 'template.limit' ? 'template.limit' : 'template.exec';
      if (e.located) throw new TemplateError(code, e.message, s.tmplName, 0, 0, { cause: e });
      throw s.makeError(e.message, code);
    }
    const msg = e instanceof Error ? e.message : String(e);
    const err = s.makeError(`error calling ${name}: ${msg}`, 'template.exec');
    (err as { cause?: unknown }).cause = e;
    throw err;
  }
}

/** Go's validateType for a runtime value passed to a parameter of type `t`. */
export function validateType(s: State, v: unknown, t: ParamType | 'any-raw'): unknown {
  if (t === 'any-raw') return v;
  if (v === MISSING || v === undefined || v === NO_FINAL) {
    switch (t) {
      case 'value':
        // reflect.Value keeps the invalid value distinct from a nil interface (len reports differently).
        return MISSING;
      case 'any':
      case 'func':
        return null;
      case '[]any':
      case '[]string':
        return [];
      case 'map':
        return {};
      default:
        return s.errorf(`invalid value; expected ${paramGoName(t)}`);
    }
  }
  switch (t) {
    case 'any':
    case 'value':
      return v;
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      break;
    case '[]any':
      if (Array.isArray(v) && goTag(v) === undefined) return v;
      break;
    case '[]string':
      if (Array.isArray(v) && goTag(v) === '[]string') return v;
      break;
    case 'map':
      if (
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        !(v instanceof GoNumber) &&
        !(v instanceof Missing)
      ) {
        if (!isHostObject(v) && !isGoFunc(v) && goTag(v) === undefined) return v;
      }
      break;
    case 'func':
      if (isGoFunc(v)) return v;
      break;
    default: {
      const n = numberOf(v, s.mode);
      if (n !== undefined && n.kind === t) {
        const x = n.value;
        if (typeof x === 'bigint' && x >= -(2n ** 53n) && x <= 2n ** 53n) return Number(x);
        return x;
      }
    }
  }
  const got = v === null ? 'interface {}' : typeName(v, s.mode);
  return s.errorf(`wrong type for value; expected ${paramGoName(t)}; got ${got}`);
}

function goTag(v: object): string | undefined {
  const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
  return t === '[]interface {}' || t === 'map[string]interface {}' ? undefined : t;
}

export function safeNum(b: bigint): number | bigint {
  return b >= -(2n ** 53n) && b <= 2n ** 53n ? Number(b) : b;
}

export interface CallArgs {
  nodes: Node[];
  evals: ArgEval[];
  cmd: CommandNode;
}
