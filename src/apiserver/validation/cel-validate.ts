/**
 * Evaluation of `x-kubernetes-validations` over a custom resource, as apiextensions-apiserver's
 * CEL validator: walks schema and object together, correlates the old object (properties, map
 * keys, list-type=map items by key) for transition rules, and words errors as kube.
 */
import { isCelError } from '@bufbuild/cel';
import type { FieldError, SchemaNode, ValidationRule } from '../contracts.js';
import { compileExpr } from './cel-compile.js';
import { celOptional } from './cel-library.js';
import { duplicate, forbidden, invalid, isObject, required } from './field-errors.js';
import { jsonEqual } from './openapi-validate.js';
import { getOwn } from '../../lib/own-props.js';

/** kube's per-call and per-object CEL cost limits. */
export const PER_CALL_COST_LIMIT = 1_000_000;
export const RUNTIME_COST_BUDGET = 10_000_000;

const MISSING = Symbol('missing');

const timestampOf = compileExpr('timestamp(self)').eval!;
const durationOf = compileExpr('duration(self)').eval!;

/** A string with format date-time/duration as kube types it in CEL (timestamp/duration). */
function typedString(v: string, format: string | undefined): unknown {
  const conv =
    format === 'date-time' || format === 'datetime'
      ? timestampOf
      : format === 'duration'
        ? durationOf
        : undefined;
  if (!conv) return v;
  const r = conv({ self: v });
  return isCelError(r) ? v : r;
}

/**
 * JSON → CEL input: integral numbers become bigint, objects become Maps, and (given the schema)
 * date-time strings become timestamps and duration strings durations, as kube's CEL types them.
 */
export function toCel(v: unknown, s?: SchemaNode): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string') return s?.format ? typedString(v, s.format) : v;
  if (Array.isArray(v)) return v.map((x) => toCel(x, s?.items));
  if (isObject(v)) {
    const ap = s && isObject(s.additionalProperties) ? (s.additionalProperties as SchemaNode) : undefined;
    return new Map(
      Object.entries(v).map(([k, x]) => [k, toCel(x, (s?.properties && getOwn(s.properties, k)) ?? ap)]),
    );
  }
  return v;
}

function nodeCount(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + nodeCount(x), 1);
  if (isObject(v)) return Object.values(v).reduce((n: number, x) => n + nodeCount(x), 1);
  if (typeof v === 'string') return 1 + Math.ceil(v.length / 100);
  return 1;
}

function ruleString(r: ValidationRule): string {
  return r.message?.trim() ? r.message.trim() : r.rule.trim();
}

function defaultMessage(r: ValidationRule): string {
  return r.message?.trim() ? r.message.trim() : `failed rule: ${ruleString(r)}`;
}

function errorForReason(
  path: string,
  type: string,
  detail: string,
  reason: ValidationRule['reason'],
): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return forbidden(path, detail);
    case 'FieldValueRequired':
      return required(path, detail);
    case 'FieldValueDuplicate':
      return duplicate(path, type);
    default:
      return invalid(path, type, detail);
  }
}

function celErrorText(err: Error): string {
  const m = err.message;
  const nf = /^field not found: (.*)$/.exec(m) ?? /^no such key: (.*)$/.exec(m);
  if (nf) return `no such key: ${nf[1]}`;
  return m;
}

function childPath(base: string, fieldPath: string): string {
  const p = fieldPath.trim().replace(/^\./, '');
  if (!p) return base;
  return p.startsWith('[') ? base + p : base ? `${base}.${p}` : p;
}

interface Ctx {
  errs: FieldError[];
  budget: number;
  exhausted: boolean;
}

function evalRules(s: SchemaNode, v: unknown, old: unknown, path: string, ctx: Ctx): void {
  const type = s.type ?? (s.intOrString ? '' : 'object');
  let self: unknown;
  let oldPlain: unknown;
  let oldOptional: unknown;
  let n = -1;
  // kube validates from a nil field path: errors of root rules are reported at `<nil>`.
  const at = path || '<nil>';
  for (const rule of s.validations ?? []) {
    if (ctx.exhausted) return;
    const c = compileExpr(rule.rule);
    if (!c.eval) {
      ctx.errs.push(invalid(at, type, `rule compile error: ${c.error}`));
      continue;
    }
    if (c.usesOldSelf && old === MISSING && !rule.optionalOldSelf) continue;
    if (n < 0) n = nodeCount(v);
    // Rules without comprehensions cost little (equality of a big value is linear, hence n/100).
    const cost = c.comprehensionDepth === 0 ? 1 + Math.ceil(n / 100) : n ** c.comprehensionDepth;
    if (cost > PER_CALL_COST_LIMIT) {
      ctx.errs.push(
        invalid(
          at,
          type,
          `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleString(rule)}`,
        ),
      );
      ctx.exhausted = true;
      return;
    }
    ctx.budget -= cost;
    if (ctx.budget < 0) {
      ctx.errs.push(
        invalid(
          at,
          type,
          'validation failed due to running out of cost budget, no further validation rules will be run',
        ),
      );
      ctx.exhausted = true;
      return;
    }
    self ??= toCel(v, s);
    let oldSelf: unknown;
    if (c.usesOldSelf && rule.optionalOldSelf) {
      oldSelf = oldOptional ??= celOptional(old === MISSING ? undefined : toCel(old, s));
    } else if (c.usesOldSelf) {
      oldSelf = oldPlain ??= toCel(old, s);
    }
    const bindings: Record<string, unknown> = c.usesOldSelf ? { self, oldSelf } : { self };
    const result = c.eval(bindings);
    const fieldPath = childPath(path, rule.fieldPath ?? '') || '<nil>';
    if (isCelError(result)) {
      const text = celErrorText(result);
      const msg =
        text.startsWith('no such overload') || text.startsWith('unbound function')
          ? `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleString(rule)}`
          : `${text} evaluating rule: ${ruleString(rule)}`;
      ctx.errs.push(invalid(at, type, msg));
      continue;
    }
    if (result === true) continue;
    let detail = defaultMessage(rule);
    if (rule.messageExpression) {
      const m = compileExpr(rule.messageExpression);
      const out = m.eval?.(bindings);
      if (typeof out === 'string' && out.trim() && !out.includes('\n') && out.length <= 5000)
        detail = out.trim();
    }
    ctx.errs.push(errorForReason(fieldPath, type, detail, rule.reason));
  }
}

function mapKeyOf(item: unknown, keys: string[]): string | undefined {
  if (!isObject(item)) return undefined;
  return JSON.stringify(keys.map((k) => item[k] ?? null));
}

/** Whether a schema node or anything below it carries CEL rules (computed once per node). */
const ruleBearing = new WeakMap<SchemaNode, boolean>();
const visiting = new Set<SchemaNode>();
let cyclesHit = 0;

function hasRules(s: SchemaNode): boolean {
  const known = ruleBearing.get(s);
  if (known !== undefined) return known;
  if (s.validations?.length) {
    ruleBearing.set(s, true);
    return true;
  }
  if (visiting.has(s)) {
    cyclesHit++; // a cyclic schema (never a CRD's): what is below is being looked at already
    return false;
  }
  visiting.add(s);
  const before = cyclesHit;
  const below = [
    ...Object.values(s.properties ?? {}),
    ...(isObject(s.additionalProperties) ? [s.additionalProperties as SchemaNode] : []),
    ...(s.items ? [s.items] : []),
  ];
  const r = below.some(hasRules);
  visiting.delete(s);
  // A "no" reached through a cycle is only partial: keep only sure answers.
  if (r || cyclesHit === before) ruleBearing.set(s, r);
  return r;
}

function walk(s: SchemaNode, v: unknown, old: unknown, path: string, ctx: Ctx): void {
  if (v === null || v === undefined || ctx.exhausted) return;
  // Most of a large object (a ClusterSummary's embedded profile spec) has no rules at all.
  if (!hasRules(s)) return;
  // Ratcheting: an unchanged value keeps passing, whatever the rules say now.
  if (old !== MISSING && jsonEqual(v, old)) return;
  if (s.validations?.length) evalRules(s, v, old, path, ctx);
  if (Array.isArray(v)) {
    const items = s.items;
    if (!items) return;
    let oldByKey: Map<string, unknown> | undefined;
    if (s.listType === 'map' && s.listMapKeys?.length && Array.isArray(old)) {
      oldByKey = new Map();
      for (const o of old) {
        const k = mapKeyOf(o, s.listMapKeys);
        if (k !== undefined) oldByKey.set(k, o);
      }
    }
    v.forEach((item, i) => {
      let o: unknown = MISSING;
      if (oldByKey) {
        const k = mapKeyOf(item, s.listMapKeys!);
        if (k !== undefined && oldByKey.has(k)) o = oldByKey.get(k);
      } else if (s.listType === 'set' && Array.isArray(old)) {
        const hit = old.find((x) => jsonEqual(x, item));
        if (hit !== undefined) o = hit;
      }
      walk(items, item, o, `${path}[${i}]`, ctx);
    });
    return;
  }
  if (!isObject(v)) return;
  const oldObj = isObject(old) ? old : undefined;
  for (const [k, child] of Object.entries(v)) {
    const ps =
      (s.properties && getOwn(s.properties, k)) ??
      (isObject(s.additionalProperties) ? s.additionalProperties : undefined);
    if (!ps) continue;
    const p = s.properties && getOwn(s.properties, k) ? (path ? `${path}.${k}` : k) : `${path}[${k}]`;
    walk(ps, child, oldObj && k in oldObj ? oldObj[k] : MISSING, p, ctx);
  }
}

/** Runs every CEL rule of `schema` over `obj` (and `old` on update); returns kube-worded errors. */
export function validateCelRules(schema: SchemaNode, obj: unknown, old: unknown | undefined): FieldError[] {
  const ctx: Ctx = { errs: [], budget: RUNTIME_COST_BUDGET, exhausted: false };
  walk(schema, obj, old === undefined ? MISSING : old, '', ctx);
  return ctx.errs;
}
