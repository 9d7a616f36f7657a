/**
 * `x-kubernetes-list-type: set|map` uniqueness, as structurallisttype.ValidateListSetsAndMaps:
 * `spec.s[1]: Duplicate value: "a"`, `spec.m[1]: Duplicate value: map[string]interface {}{"name":"a"}`.
 */
import type { FieldError, SchemaNode } from '../contracts.js';
import { duplicate, isObject } from './field-errors.js';
import { jsonEqual } from './openapi-validate.js';
import { getOwn } from '../../lib/own-props.js';

function keyOf(item: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in item) out[k] = item[k];
  return out;
}

function checkList(s: SchemaNode, v: unknown[], path: string, errs: FieldError[]): void {
  if (s.listType === 'set') {
    v.forEach((x, i) => {
      if (v.slice(0, i).some((y) => jsonEqual(x, y))) errs.push(duplicate(`${path}[${i}]`, x));
    });
  } else if (s.listType === 'map' && s.listMapKeys?.length) {
    const keys = s.listMapKeys;
    const seen: Record<string, unknown>[] = [];
    v.forEach((x, i) => {
      if (!isObject(x)) return;
      const k = keyOf(x, keys);
      if (seen.some((y) => jsonEqual(y, k))) errs.push(duplicate(`${path}[${i}]`, k));
      else seen.push(k);
    });
  }
}

function walk(s: SchemaNode, v: unknown, path: string, errs: FieldError[]): void {
  if (Array.isArray(v)) {
    checkList(s, v, path, errs);
    if (s.items)
      v.forEach((x, i) => {
        walk(s.items!, x, `${path}[${i}]`, errs);
      });
    return;
  }
  if (!isObject(v)) return;
  for (const [k, x] of Object.entries(v)) {
    const ps = s.properties && getOwn(s.properties, k);
    if (ps) walk(ps, x, path ? `${path}.${k}` : k, errs);
    else if (isObject(s.additionalProperties)) walk(s.additionalProperties, x, `${path}[${k}]`, errs);
  }
}

/** Duplicate entries of set and map lists anywhere in `obj`. */
export function validateListTypes(schema: SchemaNode, obj: unknown): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, obj, '', errs);
  return errs;
}
