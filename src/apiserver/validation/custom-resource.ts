/**
 * Validation of custom resources, in apiextensions-apiserver's order: OpenAPI schema, ObjectMeta,
 * list-type set/map uniqueness, then CEL rules.
 */
import type { FieldError, KubeObject, ResourceType, SchemaNode } from '../contracts.js';
import { validateCelRules } from './cel-validate.js';
import { validateListTypes } from './list-type.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { NO_OLD, validateValue } from './openapi-validate.js';
import { validateEmbeddedResources } from './embedded-resource.js';

const BLOCKING = new Set<FieldError['type']>([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

const rulesCache = new WeakMap<SchemaNode, boolean>();

/** Whether any node of the schema carries CEL rules (kube has no CEL validator otherwise). */
function hasRules(s: SchemaNode): boolean {
  const hit = rulesCache.get(s);
  if (hit !== undefined) return hit;
  const subs = [
    ...Object.values(s.properties ?? {}),
    ...(s.items ? [s.items] : []),
    ...(typeof s.additionalProperties === 'object' ? [s.additionalProperties] : []),
  ];
  const out = (s.validations?.length ?? 0) > 0 || subs.some(hasRules);
  rulesCache.set(s, out);
  return out;
}

export function validateCustomResource(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  const schema = rt.schema;
  if (schema) {
    const { metadata, ...rest } = obj;
    let oldRest: unknown = NO_OLD;
    if (old) {
      const { metadata: _m, ...r } = old;
      oldRest = r;
    }
    // metadata is validated as ObjectMeta below; the schema may only constrain name/generateName.
    validateValue(schema, rest, '', errs, oldRest);
    const metaSchema = schema.properties?.metadata;
    for (const k of ['name', 'generateName'] as const) {
      const ks = metaSchema?.properties?.[k];
      if (ks && metadata?.[k] !== undefined) validateValue(ks, metadata[k], `metadata.${k}`, errs);
    }
  }
  validateObjectMeta(obj.metadata, rt.namespaced, nameIsDNSSubdomain, errs);
  if (old) validateObjectMetaUpdate(obj.metadata, old.metadata, errs);
  if (schema) {
    validateEmbeddedResources(schema, obj, errs);
    errs.push(...validateListTypes(schema, obj));
    // kube skips CEL rules when the object already has a blocking error (hasBlockingErr).
    if (hasRules(schema) && errs.some((e) => BLOCKING.has(e.type))) {
      errs.push({
        type: 'FieldValueInvalid',
        field: '<nil>',
        message:
          'Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      });
    } else {
      errs.push(...validateCelRules(schema, obj, old));
    }
  }
  return errs;
}
