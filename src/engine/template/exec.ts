/**
 * The executor: a port of Go's text/template exec.go. Each parse tree is compiled once into JS
 * closures ("parse once, render many"); the closures reproduce Go's evaluation order, argument
 * conversion and error messages. Function calls and argument conversion live in exec-call.ts.
 */

import { BUILTINS } from './builtins.js';
import { evalField, idealConstant, isPlainMap, printable, staticTypeInError } from './exec-field.js';
import { type CallArgs, callFunc, safeNum, validateType } from './exec-call.js';
import {
  type ArgEval,
  BREAK,
  type CmdEval,
  CONTINUE,
  type Eval,
  type Exec,
  NO_FINAL,
  State,
} from './exec-state.js';
import type { FuncDef, ParamType } from './funcs-api.js';
import { formatValue } from './fmt.js';
import {
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  nodeString,
  type PipeNode,
  type VariableNode,
} from './nodes.js';
import type { Tree } from './parse.js';
import {
  GO_TYPE,
  GoNumber,
  isGoFunc,
  isHostObject,
  isTrue,
  MISSING,
  mkInt,
  mkNumber,
  numberOf,
  paramGoName,
  sortedKeys,
} from './value.js';

// ---------------------------------------------------------------------------------------------
// Compilation

const compiled = new WeakMap<ListNode, Exec>();

/** Runs a template tree with `dot`; returns nothing, output goes to `s.out`. */
export function runTree(s: State, tree: Tree, dot: unknown): void {
  let fn = compiled.get(tree.root);
  if (fn === undefined) {
    fn = compileList(tree.root);
    compiled.set(tree.root, fn);
  }
  fn(s, dot);
}

function compileList(list: ListNode): Exec {
  const parts = list.nodes.map(compileNode).filter((x): x is Exec => x !== null);
  if (parts.length === 1) return parts[0] as Exec;
  return (s, dot) => {
    for (let i = 0; i < parts.length; i++) {
      const r = (parts[i] as Exec)(s, dot);
      if (r !== 0) return r;
    }
    return 0;
  };
}

function compileNode(n: Node): Exec | null {
  switch (n.type) {
    case 'text': {
      const t = n.text;
      return (s) => {
        s.write(t);
        return 0;
      };
    }
    case 'comment':
      return null;
    case 'action': {
      const pipe = compilePipeline(n.pipe);
      if (n.pipe.decl.length > 0) {
        return (s, dot) => {
          s.step();
          pipe(s, dot);
          return 0;
        };
      }
      return (s, dot) => {
        s.step();
        const v = pipe(s, dot);
        s.at(n);
        s.write(printable(s, n, v));
        return 0;
      };
    }
    case 'if':
    case 'with': {
      const pipe = compilePipeline(n.pipe);
      const list = compileList(n.list);
      const elseList = n.elseList === null ? null : compileList(n.elseList);
      const isWith = n.type === 'with';
      return (s, dot) => {
        s.step();
        const mark = s.mark();
        try {
          const val = pipe(s, dot);
          if (isTrue(val)) {
            if (!isWith) return list(s, dot);
            const prev = s.dotIface;
            s.dotIface = false;
            try {
              return list(s, val);
            } finally {
              s.dotIface = prev;
            }
          }
          if (elseList !== null) return elseList(s, dot);
          return 0;
        } finally {
          s.pop(mark);
        }
      };
    }
    case 'range':
      return compileRange(n);
    case 'template': {
      const pipe = n.pipe === null ? null : compilePipeline(n.pipe);
      const name = n.name;
      return (s, dot) => {
        s.step();
        s.at(n);
        const tree = s.env.lookupTree(name);
        if (tree === undefined) return s.errorf(`template ${JSON.stringify(name)} not defined`);
        if (s.budget.depth >= s.env.limits.maxDepth) {
          s.limitError(`exceeded maximum template depth (${s.env.limits.maxDepth})`);
        }
        const newDot = pipe === null ? MISSING : pipe(s, dot);
        const ns = new State(s.env, name, s.budget, newDot);
        s.budget.depth++;
        try {
          runTree(ns, tree, newDot);
        } finally {
          s.budget.depth--;
        }
        s.write(ns.out);
        return 0;
      };
    }
    case 'break':
      return () => BREAK;
    case 'continue':
      return () => CONTINUE;
    default:
      throw new Error(`unknown node ${nodeString(n)}`);
  }
}

function compileRange(n: BranchNode): Exec {
  const pipe = compilePipeline(n.pipe);
  const list = compileList(n.list);
  const elseList = n.elseList === null ? null : compileList(n.elseList);
  const decl = n.pipe.decl;
  const isAssign = n.pipe.isAssign;
  return (s, dot) => {
    s.step();
    s.at(n);
    const outer = s.mark();
    try {
      const val = pipe(s, dot);
      const mark = s.mark();
      // Elements of []interface{} / map[string]interface{} have static type interface {}.
      const elemIface =
        typeof val === 'object' &&
        val !== null &&
        (Array.isArray(val) || isPlainMap(val)) &&
        (val as { [GO_TYPE]?: string })[GO_TYPE] === undefined;
      // Returns true when the loop must stop (break).
      const one = (index: unknown, elem: unknown): boolean => {
        s.step();
        if (decl.length > 0) {
          if (isAssign) {
            s.setVar((decl[0] as VariableNode).ident[0] as string, decl.length > 1 ? index : elem);
          } else s.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (isAssign) s.setVar((decl[1] as VariableNode).ident[0] as string, elem);
          else s.setTopVar(2, index);
        }
        try {
          const prev = s.dotIface;
          s.dotIface = elemIface;
          try {
            return list(s, elem) === BREAK;
          } finally {
            s.dotIface = prev;
          }
        } finally {
          s.pop(mark);
        }
      };
      if (Array.isArray(val)) {
        if (val.length > 0) {
          for (let i = 0; i < val.length; i++) if (one(decl.length > 1 ? mkInt(i) : null, val[i])) break;
          return 0;
        }
      } else if (val === MISSING || val === null || val === undefined) {
        // An invalid value is likely a nil map: not an error.
      } else if (
        typeof val === 'object' &&
        !(val instanceof GoNumber) &&
        !isHostObject(val) &&
        !isGoFunc(val)
      ) {
        const m = val as Record<string, unknown>;
        const keys = sortedKeys(m);
        if (keys.length > 0) {
          for (const k of keys) if (one(k, m[k])) break;
          return 0;
        }
      } else {
        const num = numberOf(val, s.mode);
        if (num !== undefined && num.kind !== 'float32' && num.kind !== 'float64') {
          if (decl.length > 1)
            s.errorf(`can't use ${formatValue(val, s.mode)} to iterate over more than one variable`);
          const count = Number(num.value);
          if (count > 0) {
            for (let i = 0; i < count; i++) {
              const v = mkNumber(num.kind, i);
              if (one(v, v)) break;
            }
            return 0;
          }
        } else {
          s.errorf(`range can't iterate over ${formatValue(val, s.mode)}`);
        }
      }
      if (elseList !== null) return elseList(s, dot);
      return 0;
    } finally {
      s.pop(outer);
    }
  };
}

export function compilePipeline(pipe: PipeNode): Eval {
  const cmds = pipe.cmds.map(compileCommand);
  const decl = pipe.decl.map((d) => d.ident[0] as string);
  const isAssign = pipe.isAssign;
  if (cmds.length === 1 && decl.length === 0) {
    const cmd = cmds[0] as CmdEval;
    return (s, dot) => {
      s.at(pipe);
      const value = cmd(s, dot, NO_FINAL);
      return value === null || value === undefined ? MISSING : value;
    };
  }
  return (s, dot) => {
    s.at(pipe);
    let value: unknown = NO_FINAL;
    for (let i = 0; i < cmds.length; i++) {
      value = (cmds[i] as CmdEval)(s, dot, value);
      // Go turns a nil interface into the invalid value between commands ("lovely!").
      if (value === null || value === undefined) value = MISSING;
    }
    for (const name of decl) {
      if (isAssign) s.setVar(name, value);
      else s.push(name, value);
    }
    return value;
  };
}

function notAFunction(s: State, cmd: CommandNode, final: unknown): void {
  if (cmd.args.length > 1 || final !== NO_FINAL) {
    s.errorf(`can't give argument to non-function ${nodeString(cmd.args[0] as Node)}`);
  }
}

function compileCommand(cmd: CommandNode): CmdEval {
  const first = cmd.args[0] as Node;
  switch (first.type) {
    case 'field': {
      const f = compileFieldChain(first, first.ident, cmd);
      return (s, dot, final) => {
        s.at(first);
        return f(s, dot, dot, final);
      };
    }
    case 'chain':
      return compileChain(first, cmd);
    case 'identifier':
      return compileFunction(first, cmd);
    case 'pipe': {
      const p = compilePipeline(first);
      return (s, dot, final) => {
        notAFunction(s, cmd, final);
        return p(s, dot);
      };
    }
    case 'variable':
      return compileVariable(first, cmd);
  }
  const literal = literalValue(first);
  return (s, dot, final) => {
    s.at(first);
    notAFunction(s, cmd, final);
    if (first.type === 'dot') return dot;
    if (first.type === 'nil') s.errorf('nil is not a command');
    return literal(s);
  };
}

/** The value of a constant node as Go's evalEmptyInterface would produce it. */
export function literalValue(n: Node): (s: State) => unknown {
  switch (n.type) {
    case 'bool': {
      const v = n.value;
      return () => v;
    }
    case 'string': {
      const v = n.text;
      return () => v;
    }
    case 'number': {
      // Constants are immutable values: compute once (errors are raised on every evaluation).
      let cached: unknown;
      return (s) => {
        if (cached === undefined) cached = idealConstant(s, n);
        return cached;
      };
    }
    default:
      return () => MISSING;
  }
}

export function compileVariable(v: VariableNode, cmd: CommandNode | null): CmdEval {
  const name = v.ident[0] as string;
  if (v.ident.length === 1) {
    return (s, _dot, final) => {
      s.at(v);
      const val = s.varValue(name);
      if (cmd !== null) notAFunction(s, cmd, final);
      else if (final !== NO_FINAL) notAFunctionNode(s, v);
      return val;
    };
  }
  const chain = compileFieldChain(v, v.ident.slice(1), cmd);
  return (s, dot, final) => {
    s.at(v);
    return chain(s, dot, s.varValue(name), final);
  };
}

function notAFunctionNode(s: State, n: Node): never {
  return s.errorf(`can't give argument to non-function ${nodeString(n)}`);
}

export function compileChain(chain: ChainNode, cmd: CommandNode | null): CmdEval {
  const pipe = compileArg(chain.node);
  const rest = compileFieldChain(chain, chain.field, cmd);
  return (s, dot, final) => {
    s.at(chain);
    if (chain.node.type === 'nil') s.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const recv = pipe(s, dot, 'any-raw' as ParamType);
    return rest(s, dot, recv, final);
  };
}

type ChainEval = (s: State, dot: unknown, receiver: unknown, final: unknown) => unknown;

export function compileFieldChain(node: Node, ident: string[], cmd: CommandNode | null): ChainEval {
  const n = ident.length;
  const argNodes = cmd === null ? [] : cmd.args.slice(1);
  const args = argNodes.map(compileArg);
  const last = ident[n - 1] as string;
  const callArgs: CallArgs | null = cmd === null ? null : { nodes: argNodes, evals: args, cmd };
  // A field node's receiver is dot: its static type is interface {} inside a range over
  // []interface{} / map[string]interface{} (s.dotIface), concrete elsewhere.
  const onDot = node.type === 'field';
  const first = ident[0] as string;
  if (n === 1) {
    return (s, dot, receiver, final) => {
      try {
        return evalField(s, dot, last, node, callArgs, final, receiver);
      } catch (e) {
        throw onDot && s.dotIface ? staticTypeInError(e, last) : e;
      }
    };
  }
  return (s, dot, receiver, final) => {
    let r: unknown;
    try {
      r = evalField(s, dot, first, node, null, NO_FINAL, receiver);
    } catch (e) {
      throw onDot && s.dotIface ? staticTypeInError(e, first) : e;
    }
    for (let i = 1; i < n - 1; i++) r = evalField(s, dot, ident[i] as string, node, null, NO_FINAL, r);
    try {
      return evalField(s, dot, last, node, callArgs, final, r);
    } catch (e) {
      throw staticTypeInError(e, last);
    }
  };
}

export function compileFunction(id: IdentifierNode, cmd: CommandNode | null): CmdEval {
  const name = id.ident;
  const argNodes = cmd === null ? [] : cmd.args.slice(1);
  const evals = argNodes.map(compileArg);
  const callArgs: CallArgs | null = cmd === null ? null : { nodes: argNodes, evals, cmd };
  let cachedFuncs: object | undefined;
  let cachedDef: FuncDef | undefined;
  let cachedBuiltin = false;
  const node = cmd ?? id;
  return (s, dot, final) => {
    s.at(id);
    let def = cachedDef;
    if (s.env.funcs !== cachedFuncs) {
      def = cachedDef = s.env.lookupFunc(name);
      cachedBuiltin = def !== undefined && def === BUILTINS[name];
      cachedFuncs = s.env.funcs;
    }
    if (def === undefined) return s.errorf(`${JSON.stringify(name)} is not a defined function`);
    return callFunc(s, dot, def, cachedBuiltin, node, name, callArgs, final);
  };
}

/** Compiles an argument node into an evaluator that converts to the requested parameter type. */
export function compileArg(n: Node): ArgEval {
  switch (n.type) {
    case 'dot':
      return (s, dot, t) => {
        s.at(n);
        return validateType(s, dot, t);
      };
    case 'nil':
      return (s, _dot, t) => {
        s.at(n);
        switch (t) {
          case 'value':
            // reflect.Zero(reflect.Value type): the invalid value.
            return MISSING;
          case 'any':
          case 'func':
          case 'any-raw' as ParamType:
            return null;
          case '[]any':
          case '[]string':
            return [];
          case 'map':
            return {};
          default:
            return s.errorf(`cannot assign nil to ${paramGoName(t)}`);
        }
      };
    case 'field': {
      const f = compileFieldChain(n, n.ident, null);
      return (s, dot, t) => {
        s.at(n);
        const v = f(s, dot, dot, NO_FINAL);
        s.at(n);
        return validateType(s, v, t);
      };
    }
    case 'variable': {
      const f = compileVariable(n, null);
      return (s, dot, t) => {
        s.at(n);
        const v = f(s, dot, NO_FINAL);
        s.at(n);
        return validateType(s, v, t);
      };
    }
    case 'pipe': {
      const p = compilePipeline(n);
      return (s, dot, t) => {
        s.at(n);
        const v = p(s, dot);
        return validateType(s, v, t);
      };
    }
    case 'identifier': {
      const f = compileFunction(n, null);
      return (s, dot, t) => {
        s.at(n);
        const v = f(s, dot, NO_FINAL);
        return validateType(s, v, t);
      };
    }
    case 'chain': {
      const f = compileChain(n, null);
      return (s, dot, t) => {
        s.at(n);
        const v = f(s, dot, NO_FINAL);
        return validateType(s, v, t);
      };
    }
  }
  const lit = literalValue(n);
  const str = nodeString(n);
  return (s, _dot, t) => {
    s.at(n);
    switch (t) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return s.errorf(`expected bool; found ${str}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return s.errorf(`expected string; found ${str}`);
      case 'int':
      case 'int8':
      case 'int16':
      case 'int32':
      case 'int64':
        if (n.type === 'number' && n.isInt) return safeNum(n.int);
        return s.errorf(`expected integer; found ${str}`);
      case 'uint':
      case 'uint8':
      case 'uint16':
      case 'uint32':
      case 'uint64':
      case 'uintptr':
        if (n.type === 'number' && n.isUint) return safeNum(n.int);
        return s.errorf(`expected unsigned integer; found ${str}`);
      case 'float32':
      case 'float64':
        if (n.type === 'number' && n.isFloat) return n.float;
        return s.errorf(`expected float; found ${str}`);
      case 'any':
      case 'value':
      case 'any-raw' as ParamType:
        return lit(s);
      default:
        return s.errorf(`can't handle ${str} for arg of type ${paramGoName(t)}`);
    }
  };
}
