/**
 * apiextensions.k8s.io/v1 JSONSchemaProps (as JSON) → SchemaNode. Deterministic: property order is
 * the input order, nothing depends on time or identity.
 */
import type { SchemaNode, ValidationRule } from '../contracts.js';
import { isObject } from './field-errors.js';

/** SchemaNode plus the JSONSchemaProps fields the contract has no slot for (kept for publishing). */
export type CrdSchemaNode = SchemaNode & {
  title?: string;
  example?: unknown;
  externalDocs?: unknown;
  id?: string;
  $schema?: string;
  $ref?: string;
  patternProperties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
  dependencies?: Record<string, unknown>;
  additionalItems?: SchemaNode | boolean;
  /** `items` given as an array (not structural; kept so validateCRD can reject it). */
  itemsArray?: SchemaNode[];
};

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function schemaMap(v: unknown): Record<string, SchemaNode> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, SchemaNode> = {};
  for (const [k, s] of Object.entries(v)) out[k] = toSchemaNode(s);
  return out;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

function rules(v: unknown): ValidationRule[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isObject).map((r) => {
    const out: ValidationRule = { rule: typeof r.rule === 'string' ? r.rule : '' };
    if (typeof r.message === 'string') out.message = r.message;
    if (typeof r.messageExpression === 'string') out.messageExpression = r.messageExpression;
    if (typeof r.reason === 'string') out.reason = r.reason as ValidationRule['reason'];
    if (typeof r.fieldPath === 'string') out.fieldPath = r.fieldPath;
    if (typeof r.optionalOldSelf === 'boolean') out.optionalOldSelf = r.optionalOldSelf;
    return out;
  });
}

/** Converts one JSONSchemaProps object. Unknown or malformed fields are dropped. */
export function toSchemaNode(props: unknown): CrdSchemaNode {
  const node: CrdSchemaNode = {};
  if (!isObject(props)) return node;
  const p = props;
  if (typeof p.id === 'string') node.id = p.id;
  if (typeof p.$schema === 'string') node.$schema = p.$schema;
  if (typeof p.$ref === 'string') node.$ref = p.$ref;
  if (typeof p.type === 'string' && TYPES.has(p.type)) node.type = p.type as SchemaNode['type'];
  else if (typeof p.type === 'string' && p.type !== '') (node as Record<string, unknown>).type = p.type;
  if (typeof p.format === 'string') node.format = p.format;
  if (typeof p.title === 'string') node.title = p.title;
  if (typeof p.description === 'string') node.description = p.description;
  if ('default' in p) node.default = p.default;
  if ('example' in p) node.example = p.example;
  if (p.nullable === true) node.nullable = true;
  const minimum = num(p.minimum);
  if (minimum !== undefined) node.minimum = minimum;
  const maximum = num(p.maximum);
  if (maximum !== undefined) node.maximum = maximum;
  if (p.exclusiveMinimum === true) node.exclusiveMinimum = true;
  if (p.exclusiveMaximum === true) node.exclusiveMaximum = true;
  const multipleOf = num(p.multipleOf);
  if (multipleOf !== undefined) node.multipleOf = multipleOf;
  for (const k of [
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
  ] as const) {
    const n = num(p[k]);
    if (n !== undefined) node[k] = n;
  }
  if (typeof p.pattern === 'string') node.pattern = p.pattern;
  if (p.uniqueItems === true) node.uniqueItems = true;
  if (Array.isArray(p.enum)) node.enum = [...p.enum];
  if (Array.isArray(p.required)) node.required = p.required.filter((r): r is string => typeof r === 'string');
  if (Array.isArray(p.items)) node.itemsArray = p.items.map(toSchemaNode);
  else if (isObject(p.items)) node.items = toSchemaNode(p.items);
  const properties = schemaMap(p.properties);
  if (properties) node.properties = properties;
  if (typeof p.additionalProperties === 'boolean') node.additionalProperties = p.additionalProperties;
  else if (isObject(p.additionalProperties)) node.additionalProperties = toSchemaNode(p.additionalProperties);
  if (typeof p.additionalItems === 'boolean') node.additionalItems = p.additionalItems;
  else if (isObject(p.additionalItems)) node.additionalItems = toSchemaNode(p.additionalItems);
  const patternProperties = schemaMap(p.patternProperties);
  if (patternProperties) node.patternProperties = patternProperties;
  const definitions = schemaMap(p.definitions);
  if (definitions) node.definitions = definitions;
  if (isObject(p.dependencies)) node.dependencies = p.dependencies;
  if (isObject(p.externalDocs)) node.externalDocs = p.externalDocs;
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(p[k])) node[k] = (p[k] as unknown[]).map(toSchemaNode);
  }
  if (isObject(p.not)) node.not = toSchemaNode(p.not);
  if (p['x-kubernetes-preserve-unknown-fields'] === true) node.preserveUnknownFields = true;
  if (p['x-kubernetes-embedded-resource'] === true) node.embeddedResource = true;
  if (p['x-kubernetes-int-or-string'] === true) node.intOrString = true;
  const lt = p['x-kubernetes-list-type'];
  if (lt === 'atomic' || lt === 'set' || lt === 'map') node.listType = lt;
  else if (typeof lt === 'string') (node as Record<string, unknown>).listType = lt;
  const lmk = p['x-kubernetes-list-map-keys'];
  if (Array.isArray(lmk)) node.listMapKeys = lmk.filter((k): k is string => typeof k === 'string');
  const mt = p['x-kubernetes-map-type'];
  if (mt === 'atomic' || mt === 'granular') node.mapType = mt;
  else if (typeof mt === 'string') (node as Record<string, unknown>).mapType = mt;
  const v = rules(p['x-kubernetes-validations']);
  if (v) node.validations = v;
  return node;
}
