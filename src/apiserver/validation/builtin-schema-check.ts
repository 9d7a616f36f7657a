/**
 * Type and required-field checks of built-in objects against the swagger schema. kube-apiserver
 * rejects such bodies while decoding; we report them as field errors with kube-openapi wording.
 * Paths use kube's field path syntax (`spec.containers[0].name`).
 */
import type { FieldError, SchemaNode } from '../contracts.js';
import { goQuote, isObject, required, typeInvalid } from './field-errors.js';
import { jsonType } from './openapi-validate.js';
import { getOwn } from '../../lib/own-props.js';

function typeMatches(s: SchemaNode, t: string, v: unknown): boolean {
  if (s.intOrString && (t === 'integer' || t === 'string')) return true;
  if (s.type) {
    if (s.type === t) return true;
    if (s.type === 'number' && t === 'integer') return true;
    return s.type === 'integer' && t === 'number' && Number.isInteger(v);
  }
  if (s.anyOf?.length) return s.anyOf.some((a) => typeMatches(a, t, v));
  return !s.intOrString;
}

function expected(s: SchemaNode): string {
  if (s.intOrString) return 'integer,string';
  if (s.type) return s.type;
  return (s.anyOf ?? []).map(expected).join(',');
}

function walk(s: SchemaNode | undefined, v: unknown, path: string, errs: FieldError[]): void {
  if (!s || v === null || v === undefined) return;
  const t = jsonType(v);
  if (!typeMatches(s, t, v)) {
    errs.push(typeInvalid(path, t, `${path} in body must be of type ${expected(s)}: ${goQuote(t)}`));
    return;
  }
  if (s.preserveUnknownFields) return;
  if (Array.isArray(v)) {
    if (s.items)
      v.forEach((x, i) => {
        walk(s.items, x, `${path}[${i}]`, errs);
      });
    return;
  }
  if (!isObject(v)) return;
  for (const r of s.required ?? []) {
    if (v[r] === undefined || v[r] === null) errs.push(required(path ? `${path}.${r}` : r));
  }
  for (const [k, x] of Object.entries(v)) {
    const ps = s.properties && getOwn(s.properties, k);
    if (ps) walk(ps, x, path ? `${path}.${k}` : k, errs);
    else if (isObject(s.additionalProperties)) walk(s.additionalProperties, x, `${path}[${k}]`, errs);
  }
}

/** Type errors and missing required fields of a built-in object. */
export function checkBuiltinSchema(schema: SchemaNode, obj: unknown): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, obj, '', errs);
  return errs;
}
