/**
 * OpenAPI v3 value validation of custom resources, as apiextensions-apiserver runs kube-openapi's
 * SchemaValidator and turns its results into field errors (`kubeOpenAPIResultToFieldErrors`).
 * Paths follow kube-openapi: `spec.items.0.name` (dots, also for indices), and messages embed them
 * (`spec.replicas in body must be of type integer: "string"`).
 */
import type { FieldError, SchemaNode } from '../contracts.js';
import {
  goQuote,
  invalid,
  isObject,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from './field-errors.js';
import { checkFormat } from './formats.js';
import { matchPattern } from './regex.js';
import { getOwn } from '../../lib/own-props.js';

/** The JSON type kube-openapi infers for a decoded value. */
export function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function goNum(n: number): string {
  return String(n);
}

function join(base: string, name: string): string {
  return base ? `${base}.${name}` : name;
}

/** Deep equality of JSON values (numbers compare by value). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof a === 'bigint') {
    return (typeof b === 'number' || typeof b === 'bigint') && Number(a) === Number(b);
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

function schemaTypes(s: SchemaNode): string[] {
  if (s.type) return [s.type];
  if (s.intOrString) return ['integer', 'string'];
  return [];
}

/** The type check of kube-openapi's typeValidator; returns false when it failed. */
function checkType(s: SchemaNode, v: unknown, path: string, errs: FieldError[]): boolean {
  const types = schemaTypes(s);
  if (v === null || v === undefined) {
    if (types.length > 0 && !s.nullable) {
      errs.push(typeInvalid(path, 'null', `${path} in body must be of type ${types.join(',')}: "null"`));
      return false;
    }
    return true;
  }
  if (types.length === 0) return true;
  const t = jsonType(v);
  if (types.includes(t)) return true;
  if (t === 'integer' && types.includes('number')) return true;
  if (t === 'number' && types.includes('integer') && Number.isInteger(v)) return true;
  errs.push(typeInvalid(path, t, `${path} in body must be of type ${types.join(',')}: ${goQuote(t)}`));
  return false;
}

function checkString(s: SchemaNode, v: string, path: string, errs: FieldError[]): void {
  const len = [...v].length;
  if (s.maxLength !== undefined && len > s.maxLength) errs.push(tooLong(path, s.maxLength));
  if (s.minLength !== undefined && len < s.minLength) {
    errs.push(invalid(path, v, `${path} in body should be at least ${s.minLength} chars long`));
  }
  if (s.pattern !== undefined && !matchPattern(s.pattern, v)) {
    errs.push(invalid(path, v, `${path} in body should match '${s.pattern}'`));
  }
  if (s.format && !checkFormat(s.format, v)) {
    errs.push(typeInvalid(path, v, `${path} in body must be of type ${s.format}: ${goQuote(v)}`));
  }
}

function checkNumber(s: SchemaNode, v: number, path: string, errs: FieldError[]): void {
  if (s.multipleOf !== undefined && s.multipleOf > 0) {
    const q = v / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      errs.push(invalid(path, v, `${path} in body should be a multiple of ${goNum(s.multipleOf)}`));
    }
  }
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum && v >= s.maximum) {
      errs.push(invalid(path, v, `${path} in body should be less than ${goNum(s.maximum)}`));
    } else if (!s.exclusiveMaximum && v > s.maximum) {
      errs.push(invalid(path, v, `${path} in body should be less than or equal to ${goNum(s.maximum)}`));
    }
  }
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum && v <= s.minimum) {
      errs.push(invalid(path, v, `${path} in body should be greater than ${goNum(s.minimum)}`));
    } else if (!s.exclusiveMinimum && v < s.minimum) {
      errs.push(invalid(path, v, `${path} in body should be greater than or equal to ${goNum(s.minimum)}`));
    }
  }
}

/** No correlated old value (create, or a new list item / map key). */
export const NO_OLD: unique symbol = Symbol('no old value');
type Old = unknown;

function oldItem(s: SchemaNode, item: unknown, old: Old): Old {
  if (!Array.isArray(old)) return NO_OLD;
  if (s.listType === 'map' && s.listMapKeys?.length && isObject(item)) {
    const keys = s.listMapKeys;
    const hit = old.find((o) => isObject(o) && keys.every((k) => jsonEqual(o[k], item[k])));
    return hit === undefined ? NO_OLD : hit;
  }
  if (s.listType === 'set') return old.some((o) => jsonEqual(o, item)) ? item : NO_OLD;
  return NO_OLD;
}

function checkArray(s: SchemaNode, v: unknown[], path: string, errs: FieldError[], old: Old): void {
  if (s.minItems !== undefined && v.length < s.minItems) {
    errs.push(invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`));
  }
  if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(tooMany(path, v.length, s.maxItems));
  if (s.uniqueItems) {
    const dup = v.some((x, i) => v.slice(0, i).some((y) => jsonEqual(x, y)));
    if (dup) errs.push(invalid(path, '', `${path} in body shouldn't contain duplicates`));
  }
  if (s.items)
    v.forEach((item, i) => {
      validateValue(s.items!, item, join(path, String(i)), errs, oldItem(s, item, old));
    });
}

function checkObject(
  s: SchemaNode,
  v: Record<string, unknown>,
  path: string,
  errs: FieldError[],
  old: Old,
): void {
  const o = isObject(old) ? old : undefined;
  const oldOf = (k: string): Old => (o && k in o ? o[k] : NO_OLD);
  const n = Object.keys(v).length;
  if (s.minProperties !== undefined && n < s.minProperties) {
    errs.push(invalid(path, n, `${path} in body should have at least ${s.minProperties} properties`));
  }
  if (s.maxProperties !== undefined && n > s.maxProperties) errs.push(tooMany(path, n, s.maxProperties));
  // `undefined` never comes from JSON; treat such keys as absent.
  for (const r of s.required ?? []) if (v[r] === undefined) errs.push(required(join(path, r), undefined));
  for (const [k, child] of Object.entries(v)) {
    if (child === undefined) continue;
    const ps = s.properties && getOwn(s.properties, k);
    if (ps) validateValue(ps, child, join(path, k), errs, oldOf(k));
    else if (isObject(s.additionalProperties))
      validateValue(s.additionalProperties, child, join(path, k), errs, oldOf(k));
  }
}

function checkComposition(s: SchemaNode, v: unknown, path: string, errs: FieldError[]): void {
  const name = path || 'body';
  const ok = (sub: SchemaNode) => {
    const e: FieldError[] = [];
    validateValue(sub, v, path, e);
    return e;
  };
  if (s.allOf) {
    const sub = s.allOf.flatMap(ok);
    if (sub.length) {
      errs.push(invalid(path, '', `${name} must validate all the schemas (allOf)`));
      errs.push(...sub);
    }
  }
  if (s.anyOf) {
    const results = s.anyOf.map(ok);
    if (!results.some((r) => r.length === 0)) {
      errs.push(invalid(path, '', `${name} must validate at least one schema (anyOf)`));
      errs.push(...(results[0] ?? []));
    }
  }
  if (s.oneOf) {
    const results = s.oneOf.map(ok);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      errs.push(invalid(path, '', `${name} must validate one and only one schema (oneOf)`));
      if (valid === 0) errs.push(...(results[0] ?? []));
    }
  }
  if (s.not && ok(s.not).length === 0) {
    errs.push(invalid(path, '', `${name} must not validate the schema (not)`));
  }
}

/**
 * Validates `v` against `s`, appending field errors. `path` is the kube-openapi path of `v`
 * (empty for the root). Unknown fields are not reported here (pruning finds them). With `old`
 * (updates), values equal to their correlated old value are not re-validated: kube's validation
 * ratcheting (on by default since 1.30), so a tightened schema does not block unrelated edits.
 */
export function validateValue(
  s: SchemaNode,
  v: unknown,
  path: string,
  errs: FieldError[],
  old: Old = NO_OLD,
): void {
  if (old !== NO_OLD && jsonEqual(v, old)) return;
  if (!checkType(s, v, path, errs)) return;
  if (v === null || v === undefined) return;
  if (typeof v === 'string') checkString(s, v, path, errs);
  else if (typeof v === 'number' || typeof v === 'bigint') checkNumber(s, Number(v), path, errs);
  else if (Array.isArray(v)) checkArray(s, v, path, errs, old);
  else if (isObject(v)) checkObject(s, v, path, errs, old);
  if (s.enum && s.enum.length > 0 && !s.enum.some((e) => jsonEqual(e, v))) {
    errs.push(
      notSupported(
        path,
        v,
        s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
      ),
    );
  }
  if (s.allOf || s.anyOf || s.oneOf || s.not) checkComposition(s, v, path, errs);
}
