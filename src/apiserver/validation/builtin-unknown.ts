/**
 * Unknown fields of built-in objects, found by walking the swagger schema alongside the data
 * (the schema graph may be cyclic; the data is not). Paths are as kube words them in
 * `unknown field "spec.foo"`: no leading dot.
 */
import type { SchemaNode } from '../contracts.js';
import { isObject } from './field-errors.js';
import { getOwn } from '../../lib/own-props.js';

function walk(s: SchemaNode | undefined, v: unknown, path: string, out: string[]): void {
  if (!s || s.preserveUnknownFields) return;
  if (Array.isArray(v)) {
    if (s.items)
      v.forEach((x, i) => {
        walk(s.items, x, `${path}[${i}]`, out);
      });
    return;
  }
  if (!isObject(v)) return;
  if (s.properties) {
    for (const [k, x] of Object.entries(v)) {
      const ps = getOwn(s.properties, k);
      if (ps) walk(ps, x, `${path}.${k}`, out);
      else if (isObject(s.additionalProperties)) walk(s.additionalProperties, x, `${path}.${k}`, out);
      else if (s.additionalProperties !== true) out.push(`${path}.${k}`);
    }
  } else if (isObject(s.additionalProperties)) {
    for (const [k, x] of Object.entries(v)) walk(s.additionalProperties, x, `${path}.${k}`, out);
  }
}

/** Paths (`spec.foo`, `spec.containers[0].bar`) of fields the built-in schema does not know. */
export function unknownBuiltinFields(schema: SchemaNode, obj: unknown): string[] {
  const out: string[] = [];
  walk(schema, obj, '', out);
  return out.map((p) => p.slice(1));
}
