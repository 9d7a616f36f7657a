/**
 * Compilation of `x-kubernetes-validations` rules on @bufbuild/cel: parse, check references
 * (only `self`, `oldSelf` and comprehension variables; only known functions), estimate nesting
 * for the cost bound, and plan. Results are cached by rule text.
 */
import { type CelResult, celEnv, parse, plan } from '@bufbuild/cel';
import { K8S_NAMESPACED_FUNCTIONS } from './cel-k8s-types.js';
import { KNOWN_FUNCTIONS, k8sFuncs } from './cel-library.js';

export interface CompiledExpr {
  /** The compile error (cel-go style `ERROR: <input>:1:5: ...`), when it did not compile. */
  error?: string;
  eval?: (bindings: Record<string, unknown>) => CelResult;
  usesOldSelf: boolean;
  /** Deepest nesting of comprehensions (all/exists/map/filter): drives the cost estimate. */
  comprehensionDepth: number;
  /** Field selections on `self`/`oldSelf` chains (`self.a.b` → ['a','b']) with their positions. */
  selections?: { path: string[]; pos: string }[];
}

const env = celEnv({ funcs: k8sFuncs });
const cache = new Map<string, CompiledExpr>();

interface Expr {
  id: bigint;
  exprKind: { case: string | undefined; value?: any };
}

function position(source: string, offset: number | undefined): string {
  if (offset === undefined) return '1:1';
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `${line}:${col}`;
}

interface Walk {
  errors: string[];
  usesOldSelf: boolean;
  maxDepth: number;
  selections: { path: string[]; pos: string }[];
}

/** `self.a.b` (through selects only) as ['a', 'b'], or undefined for anything else. */
function selfChain(e: Expr | undefined): string[] | undefined {
  if (!e) return undefined;
  const v = e.exprKind.value;
  if (e.exprKind.case === 'identExpr') return v.name === 'self' || v.name === 'oldSelf' ? [] : undefined;
  if (e.exprKind.case === 'selectExpr') {
    const base = selfChain(v.operand);
    return base ? [...base, v.field as string] : undefined;
  }
  return undefined;
}

function walk(
  e: Expr | undefined,
  bound: Set<string>,
  depth: number,
  w: Walk,
  pos: (id: bigint) => string,
): void {
  if (!e) return;
  const v = e.exprKind.value;
  switch (e.exprKind.case) {
    case 'identExpr': {
      const name = v.name as string;
      if (name === 'oldSelf') w.usesOldSelf = true;
      if (name !== 'self' && name !== 'oldSelf' && !bound.has(name)) {
        w.errors.push(`ERROR: <input>:${pos(e.id)}: undeclared reference to '${name}' (in container '')`);
      }
      return;
    }
    case 'selectExpr': {
      const chain = bound.has('self') || bound.has('oldSelf') ? undefined : selfChain(e);
      if (chain) w.selections.push({ path: chain, pos: pos(e.id) });
      walk(v.operand, bound, depth, w, pos);
      return;
    }
    case 'callExpr': {
      const fn = v.function as string;
      const target = v.target as Expr | undefined;
      if (
        target?.exprKind.case === 'identExpr' &&
        K8S_NAMESPACED_FUNCTIONS.has(`${target.exprKind.value.name}.${fn}`)
      ) {
        for (const a of v.args ?? []) walk(a, bound, depth, w, pos);
        return;
      }
      if (/^[A-Za-z]/.test(fn) && !KNOWN_FUNCTIONS.has(fn)) {
        w.errors.push(`ERROR: <input>:${pos(e.id)}: undeclared reference to '${fn}' (in container '')`);
      }
      walk(v.target, bound, depth, w, pos);
      for (const a of v.args ?? []) walk(a, bound, depth, w, pos);
      return;
    }
    case 'listExpr':
      for (const el of v.elements ?? []) walk(el, bound, depth, w, pos);
      return;
    case 'structExpr':
      for (const en of v.entries ?? []) {
        if (en.keyKind?.case === 'mapKey') walk(en.keyKind.value, bound, depth, w, pos);
        walk(en.value, bound, depth, w, pos);
      }
      return;
    case 'comprehensionExpr': {
      walk(v.iterRange, bound, depth, w, pos);
      walk(v.accuInit, bound, depth, w, pos);
      const inner = new Set(bound);
      for (const n of [v.iterVar, v.iterVar2, v.accuVar]) if (n) inner.add(n);
      w.maxDepth = Math.max(w.maxDepth, depth + 1);
      walk(v.loopCondition, inner, depth + 1, w, pos);
      walk(v.loopStep, inner, depth + 1, w, pos);
      walk(v.result, inner, depth, w, pos);
      return;
    }
    default:
      return;
  }
}

/** Compiles (and caches) one CEL expression. */
export function compileExpr(source: string): CompiledExpr {
  const hit = cache.get(source);
  if (hit) return hit;
  let out: CompiledExpr;
  try {
    const parsed = parse(source);
    const positions = (parsed as any).sourceInfo?.positions as Record<string, number> | undefined;
    const pos = (id: bigint) => position(source, positions?.[String(id)]);
    const w: Walk = { errors: [], usesOldSelf: false, maxDepth: 0, selections: [] };
    walk(parsed.expr as unknown as Expr, new Set(), 0, w, pos);
    if (w.errors.length) {
      out = { error: w.errors.join('\n'), usesOldSelf: w.usesOldSelf, comprehensionDepth: w.maxDepth };
    } else {
      const program = plan(env, parsed);
      out = {
        eval: (b) => program(b as any),
        usesOldSelf: w.usesOldSelf,
        comprehensionDepth: w.maxDepth,
        selections: w.selections,
      };
    }
  } catch (err) {
    const msg = (err as Error).message;
    out = {
      error: `ERROR: ${msg.replace(/^<input>:(\d+):(\d+):/, '<input>:$1:$2: Syntax error:')}`,
      usesOldSelf: false,
      comprehensionDepth: 0,
    };
  }
  if (cache.size > 5000) cache.clear();
  cache.set(source, out);
  return out;
}
