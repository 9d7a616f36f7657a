/**
 * `x-kubernetes-embedded-resource` objects inside custom resources must carry apiVersion and kind
 * and valid metadata (apiextensions objectmeta validation; name is not required there).
 */
import type { FieldError, SchemaNode } from '../contracts.js';
import { invalid, isObject, required } from './field-errors.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateAnnotations, validateLabels } from './object-meta.js';
import { getOwn } from '../../lib/own-props.js';

const GROUP_VERSION = /^([a-z0-9.-]+\/)?[a-z0-9.-]+$/i;

function validateOne(x: Record<string, unknown>, path: string, errs: FieldError[]): void {
  for (const k of ['apiVersion', 'kind'] as const) {
    if (!(k in x)) errs.push(required(`${path}.${k}`, 'must not be empty'));
    else if (typeof x[k] !== 'string') errs.push(invalid(`${path}.${k}`, x[k], 'must be a string'));
    else if (x[k] === '') errs.push(invalid(`${path}.${k}`, '', 'must not be empty'));
  }
  if (typeof x.apiVersion === 'string' && x.apiVersion && !GROUP_VERSION.test(x.apiVersion)) {
    errs.push(invalid(`${path}.apiVersion`, x.apiVersion, `unexpected GroupVersion string: ${x.apiVersion}`));
  }
  const meta = x.metadata;
  if (meta === undefined) return;
  if (!isObject(meta)) {
    errs.push(invalid(`${path}.metadata`, meta, 'must be an object'));
    return;
  }
  for (const k of ['name', 'generateName'] as const) {
    const v = meta[k];
    if (typeof v === 'string' && v) {
      for (const msg of nameIsDNSSubdomain(v, k === 'generateName'))
        errs.push(invalid(`${path}.metadata.${k}`, v, msg));
    }
  }
  validateLabels(meta.labels, `${path}.metadata.labels`, errs);
  validateAnnotations(meta.annotations, `${path}.metadata.annotations`, errs);
}

function walk(s: SchemaNode, v: unknown, path: string, errs: FieldError[]): void {
  if (Array.isArray(v)) {
    if (s.items) {
      v.forEach((x, i) => {
        walk(s.items!, x, `${path}[${i}]`, errs);
      });
    }
    return;
  }
  if (!isObject(v)) return;
  if (s.embeddedResource && path) validateOne(v, path, errs);
  for (const [k, x] of Object.entries(v)) {
    const ps = s.properties && getOwn(s.properties, k);
    if (ps) walk(ps, x, path ? `${path}.${k}` : k, errs);
    else if (isObject(s.additionalProperties))
      walk(s.additionalProperties as SchemaNode, x, `${path}[${k}]`, errs);
  }
}

/** Errors of every embedded resource in `obj`. */
export function validateEmbeddedResources(schema: SchemaNode, obj: unknown, errs: FieldError[]): void {
  walk(schema, obj, '', errs);
}
