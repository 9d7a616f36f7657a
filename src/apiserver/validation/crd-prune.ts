/**
 * Structural pruning and defaulting of custom resources, as apiextensions-apiserver does
 * (structuralpruning.Prune, PruneNonNullableNullsWithoutDefaults, structuraldefaulting.Default).
 * Pruned paths are returned as kube words them in `unknown field "spec.foo"` warnings and strict
 * decoding errors: `spec.foo`, `spec.items[0].bar` (no leading dot).
 */
import type { KubeObject, SchemaNode } from '../contracts.js';
import { isObject } from './field-errors.js';
import { getOwn, setOwn } from '../../lib/own-props.js';

/** ObjectMeta's JSON fields: anything else under `metadata` is unknown and dropped. */
export const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

function pruneMeta(meta: unknown, path: string, unknown: string[]): void {
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(k)) {
      unknown.push(`${path}.${k}`);
      delete meta[k];
    }
  }
}

function pruneValue(
  v: unknown,
  s: SchemaNode | undefined,
  path: string,
  unknown: string[],
  root: boolean,
): void {
  if (Array.isArray(v)) {
    if (s?.items)
      v.forEach((item, i) => {
        pruneValue(item, s.items, `${path}[${i}]`, unknown, false);
      });
    return;
  }
  if (!isObject(v) || !s) return;
  const keepMeta = root || s.embeddedResource === true;
  for (const k of Object.keys(v)) {
    const childPath = `${path}.${k}`;
    if (keepMeta && (k === 'apiVersion' || k === 'kind')) continue;
    if (keepMeta && k === 'metadata') {
      pruneMeta(v[k], childPath, unknown);
      continue;
    }
    const prop = s.properties && getOwn(s.properties, k);
    if (prop) {
      pruneValue(v[k], prop, childPath, unknown, false);
    } else if (isObject(s.additionalProperties)) {
      pruneValue(v[k], s.additionalProperties, childPath, unknown, false);
    } else if (s.additionalProperties === true || s.preserveUnknownFields) {
      // kept as is
    } else {
      unknown.push(childPath);
      delete v[k];
    }
  }
}

/** Removes fields the schema does not know; returns their paths. */
export function prune(obj: KubeObject, schema: SchemaNode): string[] {
  const unknown: string[] = [];
  pruneValue(obj, schema, '', unknown, true);
  // kube sorts the pruned paths it reports (customresource_handler's schema coercer).
  return unknown.map((p) => p.slice(1)).sort();
}

function propSchema(s: SchemaNode, k: string): SchemaNode | undefined {
  return (
    (s.properties && getOwn(s.properties, k)) ??
    (isObject(s.additionalProperties) ? s.additionalProperties : undefined)
  );
}

/** Drops `null` values of non-nullable fields that have no default. */
export function pruneNonNullableNulls(v: unknown, s: SchemaNode | undefined): void {
  if (!s) return;
  if (Array.isArray(v)) {
    for (const item of v) pruneNonNullableNulls(item, s.items);
    return;
  }
  if (!isObject(v)) return;
  for (const k of Object.keys(v)) {
    const ps = propSchema(s, k);
    if (!ps) continue;
    if (v[k] === null && !ps.nullable && (ps.default === undefined || ps.default === null)) delete v[k];
    else pruneNonNullableNulls(v[k], ps);
  }
}

function isNonNullableNull(v: unknown, s: SchemaNode | undefined): boolean {
  return v === null && s !== undefined && !s.nullable;
}

function hasDefault(s: SchemaNode | undefined): s is SchemaNode {
  return s !== undefined && s.default !== undefined && s.default !== null;
}

/** Applies `default`s at every level, as structuraldefaulting.Default. */
export function applyDefaults(v: unknown, s: SchemaNode | undefined): void {
  if (!s) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (isNonNullableNull(v[i], s.items) && hasDefault(s.items)) v[i] = structuredClone(s.items.default);
      applyDefaults(v[i], s.items);
    }
    return;
  }
  if (!isObject(v)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (!hasDefault(prop)) continue;
    if (!Object.hasOwn(v, k) || isNonNullableNull(v[k], prop)) setOwn(v, k, structuredClone(prop.default));
  }
  for (const k of Object.keys(v)) {
    const prop = s.properties && getOwn(s.properties, k);
    if (prop) applyDefaults(v[k], prop);
    else if (isObject(s.additionalProperties)) {
      const ap = s.additionalProperties;
      if (isNonNullableNull(v[k], ap) && hasDefault(ap)) v[k] = structuredClone(ap.default);
      applyDefaults(v[k], ap);
    }
  }
}

/** Prune, drop non-nullable nulls, then default: the order kube-apiserver decodes CRs in. */
export function defaultAndPruneCustom(schema: SchemaNode, obj: KubeObject): string[] {
  const unknown = prune(obj, schema);
  pruneNonNullableNulls(obj, schema);
  applyDefaults(obj, schema);
  return unknown;
}
