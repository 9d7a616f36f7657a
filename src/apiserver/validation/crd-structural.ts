/**
 * Structural-schema rules for a CRD version's openAPIV3Schema (apiextensions structural schema
 * validation, ValidateCustomResourceDefinitionOpenAPISchema, defaults and CEL rule compilation),
 * with kube's field paths: `...openAPIV3Schema.properties[spec].type: Required value: ...`.
 */
import type { FieldError, SchemaNode } from '../contracts.js';
import { compileExpr } from './cel-compile.js';
import { forbidden, goQuote, invalid, isObject, notSupported, required } from './field-errors.js';
import { prune, pruneNonNullableNulls, applyDefaults } from './crd-prune.js';
import { validateValue } from './openapi-validate.js';
import { compilePattern } from './regex.js';
import { toSchemaNode } from './schema-convert.js';

type Obj = Record<string, unknown>;
type Level = 'root' | 'field' | 'item';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
/** kube's StaticEstimatedCostLimit and the unbounded list size it assumes (3 MiB request / 2 bytes). */
const RULE_COST_LIMIT = 10_000_000;
const UNBOUNDED_ITEMS = 1_572_864;

const UNSUPPORTED: [string, string][] = [
  ['$ref', '$ref is not supported'],
  ['definitions', 'definitions are not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['dependencies', 'dependencies is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['id', 'id is not supported'],
  ['$schema', '$schema is not supported'],
];

function quotedList(v: unknown): string {
  return Array.isArray(v) ? `[]string{${v.map((x) => goQuote(String(x))).join(', ')}}` : String(v);
}

function ruleStruct(r: Obj): string {
  const optStr = (k: string) => goQuote(typeof r[k] === 'string' ? (r[k] as string) : '');
  const reason =
    typeof r.reason === 'string'
      ? `(*apiextensions.FieldValueErrorReason)(${goQuote(r.reason)})`
      : '(*apiextensions.FieldValueErrorReason)(nil)';
  const oos = typeof r.optionalOldSelf === 'boolean' ? `(*bool)(${r.optionalOldSelf})` : '(*bool)(nil)';
  return `apiextensions.ValidationRule{Rule:${optStr('rule')}, Message:${optStr('message')}, MessageExpression:${optStr('messageExpression')}, Reason:${reason}, FieldPath:${optStr('fieldPath')}, OptionalOldSelf:${oos}}`;
}

function fieldPathValid(fp: string, s: Obj): boolean {
  const segs = fp.match(/\.[A-Za-z_][A-Za-z0-9_]*|\['[^']*'\]/g);
  if (!segs || segs.join('') !== fp) return false;
  let cur: unknown = s;
  for (const seg of segs) {
    const name = seg.startsWith('.') ? seg.slice(1) : seg.slice(2, -2);
    if (!isObject(cur)) return false;
    const props = isObject(cur.properties) ? cur.properties : undefined;
    if (props && isObject(props[name])) cur = props[name];
    else if (isObject(cur.additionalProperties)) cur = cur.additionalProperties;
    else return false;
  }
  return true;
}

/** The first selection of a rule that names a field the schema cannot have, cel-go worded. */
function undefinedField(
  s: Obj,
  selections: { path: string[]; pos: string }[],
  root: boolean,
): string | undefined {
  for (const sel of selections) {
    let cur: Obj = s;
    if (root && ['apiVersion', 'kind', 'metadata'].includes(sel.path[0])) continue;
    for (const name of sel.path) {
      if (
        cur['x-kubernetes-preserve-unknown-fields'] === true ||
        cur['x-kubernetes-embedded-resource'] === true
      )
        break;
      const props = isObject(cur.properties) ? cur.properties : undefined;
      if (props && isObject(props[name])) {
        cur = props[name];
        continue;
      }
      if (isObject(cur.additionalProperties) && !props) {
        cur = cur.additionalProperties;
        continue;
      }
      if (cur.type === 'object' && !cur.additionalProperties)
        return `ERROR: <input>:${sel.pos}: undefined field '${name}'`;
      break;
    }
  }
  return undefined;
}

function maxItemsOf(s: Obj): number {
  return typeof s.maxItems === 'number'
    ? s.maxItems
    : typeof s.maxProperties === 'number'
      ? s.maxProperties
      : UNBOUNDED_ITEMS;
}

function validateRules(
  s: Obj,
  path: string,
  errs: FieldError[],
  root: boolean,
  uncorrelatable?: string,
): void {
  const rules = s['x-kubernetes-validations'];
  if (rules === undefined) return;
  if (!Array.isArray(rules)) {
    errs.push(invalid(`${path}.x-kubernetes-validations`, rules, 'must be a list of validation rules'));
    return;
  }
  rules.forEach((r, i) => {
    const p = `${path}.x-kubernetes-validations[${i}]`;
    if (!isObject(r)) return;
    const rule = typeof r.rule === 'string' ? r.rule : '';
    if (!rule.trim()) {
      errs.push(required(`${p}.rule`));
      return;
    }
    const c = compileExpr(rule);
    const fieldError = c.error ? undefined : undefinedField(s, c.selections ?? [], root);
    if (fieldError) {
      errs.push(invalid(`${p}.rule`, undefined));
      errs[errs.length - 1].message = `Invalid value: ${ruleStruct(r)}: compilation failed: ${fieldError}`;
    } else if (c.error) {
      errs.push(invalid(`${p}.rule`, undefined, `compilation failed: ${c.error}`));
      errs[errs.length - 1].message = `Invalid value: ${ruleStruct(r)}: compilation failed: ${c.error}`;
    } else if (c.comprehensionDepth > 0) {
      const n = maxItemsOf(s);
      const cost = n ** c.comprehensionDepth;
      if (cost > RULE_COST_LIMIT) {
        const factor = (cost / RULE_COST_LIMIT).toFixed(1);
        errs.push(
          forbidden(
            `${p}.rule`,
            `estimated rule cost exceeds budget by factor of ${factor}x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`,
          ),
        );
      }
    }
    if (typeof r.message === 'string' && /[\r\n]/.test(r.message)) {
      errs.push(invalid(`${p}.message`, r.message, 'message must not contain line breaks'));
    }
    if (typeof r.message === 'string' && r.message !== '' && !r.message.trim()) {
      errs.push(invalid(`${p}.message`, r.message, 'message must be non-empty if specified'));
    }
    if (typeof r.messageExpression === 'string') {
      if (!r.messageExpression.trim()) {
        errs.push(required(`${p}.messageExpression`, 'messageExpression must be non-empty if specified'));
      } else {
        const m = compileExpr(r.messageExpression);
        if (m.error) {
          errs.push(
            invalid(
              `${p}.messageExpression`,
              r.messageExpression,
              `messageExpression compilation failed: ${m.error}`,
            ),
          );
        }
      }
    }
    if (r.reason !== undefined && !REASONS.includes(String(r.reason))) {
      errs.push(notSupported(`${p}.reason`, r.reason, REASONS));
    }
    if (typeof r.fieldPath === 'string' && r.fieldPath && !fieldPathValid(r.fieldPath, s)) {
      errs.push(
        invalid(
          `${p}.fieldPath`,
          r.fieldPath,
          'fieldPath must be a valid path: does not refer to a valid field',
        ),
      );
    }
    if (c.usesOldSelf && uncorrelatable !== undefined) {
      errs.push(
        invalid(
          `${p}.rule`,
          rule,
          `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`,
        ),
      );
    }
    if (r.optionalOldSelf === true && !c.usesOldSelf) {
      errs.push(forbidden(`${p}.optionalOldSelf`, 'may not be set if rule does not use oldSelf'));
    }
  });
}

function validateListType(s: Obj, path: string, errs: FieldError[]): void {
  const lt = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (lt !== undefined) {
    if (!['atomic', 'map', 'set'].includes(String(lt))) {
      errs.push(notSupported(`${path}.x-kubernetes-list-type`, lt, ['atomic', 'map', 'set']));
    } else if (s.type !== 'array') {
      errs.push(invalid(`${path}.x-kubernetes-list-type`, lt, 'must only be used if type is array'));
    }
  }
  if (keys !== undefined && lt !== 'map') {
    errs.push(
      forbidden(`${path}.x-kubernetes-list-map-keys`, 'must not be set if x-kubernetes-list-type is not map'),
    );
  }
  const items = isObject(s.items) ? s.items : undefined;
  if (lt === 'map') {
    if (!Array.isArray(keys) || keys.length === 0) {
      errs.push(
        required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'),
      );
    } else if (items) {
      if (items.type !== 'object') {
        errs.push(
          invalid(
            `${path}.items.type`,
            items.type ?? '',
            "must be object if parent array's x-kubernetes-list-type is map",
          ),
        );
      }
      const props = isObject(items.properties) ? items.properties : {};
      const req = Array.isArray(items.required) ? items.required : [];
      if (!keys.every((k) => isObject(props[String(k)]))) {
        errs.push(
          invalid(
            `${path}.x-kubernetes-list-map-keys`,
            undefined,
            'entries must all be names of item properties',
          ),
        );
        errs[errs.length - 1].message =
          `Invalid value: ${quotedList(keys)}: entries must all be names of item properties`;
      }
      for (const k of keys) {
        const ks = props[String(k)];
        if (!isObject(ks)) continue;
        if (ks.type === 'object' || ks.type === 'array') {
          errs.push(
            invalid(
              `${path}.items.properties[${k}].type`,
              ks.type,
              "must be a scalar type if parent array's x-kubernetes-list-type is map",
            ),
          );
        }
        if (!req.includes(k) && ks.default === undefined && ks.nullable !== true) {
          errs.push(
            required(
              `${path}.items.properties[${k}]`,
              'all map keys must be required or have a default value',
            ),
          );
        }
      }
    }
  }
  if (lt === 'set' && items && items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
    errs.push(
      invalid(
        `${path}.items.x-kubernetes-map-type`,
        items['x-kubernetes-map-type'] ?? 'granular',
        'must be atomic as item of a list with x-kubernetes-list-type=set',
      ),
    );
  }
  const mt = s['x-kubernetes-map-type'];
  if (mt !== undefined && mt !== 'atomic' && mt !== 'granular') {
    errs.push(notSupported(`${path}.x-kubernetes-map-type`, mt, ['atomic', 'granular']));
  }
}

/** Nested value validations (allOf/anyOf/oneOf/not) may hold validations only. */
function validateValueValidation(s: Obj, path: string, errs: FieldError[], intOrString: boolean): void {
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = s[k];
    if (!Array.isArray(list)) continue;
    list.forEach((sub, i) => {
      if (isObject(sub))
        checkNested(sub, `${path}.${k}[${i}]`, errs, intOrString && (k === 'anyOf' || k === 'allOf'));
    });
  }
  if (isObject(s.not)) checkNested(s.not, `${path}.not`, errs, false);
}

function checkNested(s: Obj, path: string, errs: FieldError[], intOrString: boolean): void {
  const allowIntOrStringType = intOrString && (s.type === 'integer' || s.type === 'string');
  if (s.type !== undefined && !allowIntOrStringType)
    errs.push(forbidden(`${path}.type`, 'must be empty to be structural'));
  if (s.additionalProperties !== undefined) {
    errs.push(forbidden(`${path}.additionalProperties`, 'must be undefined to be structural'));
  }
  if (s.default !== undefined) errs.push(forbidden(`${path}.default`, 'must be undefined to be structural'));
  if (s.nullable === true) errs.push(forbidden(`${path}.nullable`, 'must be false to be structural'));
  for (const ext of [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-int-or-string',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
  ]) {
    if (s[ext] !== undefined && s[ext] !== false)
      errs.push(forbidden(`${path}.${ext}`, 'must be undefined to be structural'));
  }
  if (isObject(s.properties)) {
    for (const [k, v] of Object.entries(s.properties))
      if (isObject(v)) checkNested(v, `${path}.properties[${k}]`, errs, false);
  }
  if (isObject(s.items)) checkNested(s.items, `${path}.items`, errs, false);
  validateValueValidation(s, path, errs, intOrString);
}

function validateMetadata(meta: Obj, path: string, errs: FieldError[]): void {
  if (meta.type !== undefined && meta.type !== 'object')
    errs.push(invalid(`${path}.type`, meta.type, 'must be object'));
  const props = isObject(meta.properties) ? meta.properties : {};
  for (const k of Object.keys(props)) {
    if (k !== 'name' && k !== 'generateName') {
      errs.push(
        forbidden(
          path,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
      return;
    }
    const p = props[k];
    if (isObject(p) && p.type !== 'string')
      errs.push(invalid(`${path}.properties[${k}].type`, p.type ?? '', 'must be string'));
  }
}

/**
 * `uncorrelatable` is the path of the first list item (outside list-type=map) above this node:
 * there the old object cannot be matched, so transition rules are not allowed.
 */
function walk(s: Obj, path: string, lvl: Level, errs: FieldError[], uncorrelatable?: string): void {
  for (const [k, msg] of UNSUPPORTED) if (s[k] !== undefined) errs.push(forbidden(`${path}.${k}`, msg));
  const type = s.type;
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (type === 'null')
    errs.push(forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  else if (type !== undefined && type !== '' && !TYPES.includes(String(type))) {
    errs.push(notSupported(`${path}.type`, type, TYPES));
  }
  if (preserve === false)
    errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  if (embedded && type !== 'object') {
    if (!type)
      errs.push(required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!type && !embedded && !intOrString && preserve !== true) {
    const where =
      lvl === 'root'
        ? 'at the root'
        : lvl === 'item'
          ? 'for specified array items'
          : 'for specified object fields';
    errs.push(required(`${path}.type`, `must not be empty ${where}`));
  }
  if (lvl === 'root' && type && type !== 'object')
    errs.push(invalid(`${path}.type`, type, 'must be object at the root'));
  if (intOrString && type)
    errs.push(invalid(`${path}.type`, type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (embedded && s.additionalProperties !== undefined) {
    errs.push(
      forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'),
    );
  }
  if (embedded && preserve !== true && !(isObject(s.properties) && Object.keys(s.properties).length)) {
    errs.push(
      required(
        `${path}.properties`,
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
  if (type === 'array' && s.items === undefined) errs.push(required(`${path}.items`, 'must be specified'));
  if (Array.isArray(s.items))
    errs.push(forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  if (s.uniqueItems === true) {
    errs.push(
      forbidden(
        `${path}.uniqueItems`,
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  }
  if (s.additionalProperties === false)
    errs.push(forbidden(`${path}.additionalProperties`, 'must not be false'));
  if (s.additionalProperties !== undefined && isObject(s.properties) && Object.keys(s.properties).length) {
    if (s.additionalProperties !== true) {
      errs.push(
        forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'),
      );
    }
  }
  if (typeof s.pattern === 'string') {
    const re = compilePattern(s.pattern);
    if (typeof re === 'string')
      errs.push(
        invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${re}`),
      );
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf <= 0) {
    errs.push(invalid(`${path}.multipleOf`, s.multipleOf, 'must be positive'));
  }
  validateListType(s, path, errs);
  validateRules(s, path, errs, lvl === 'root', uncorrelatable);
  validateValueValidation(s, path, errs, intOrString);
  if (isObject(s.properties)) {
    for (const [k, v] of Object.entries(s.properties)) {
      if (!isObject(v)) continue;
      const p = `${path}.properties[${k}]`;
      if (k === 'metadata' && lvl === 'root') validateMetadata(v, p, errs);
      else if ((k === 'kind' || k === 'apiVersion') && lvl === 'root' && v.type !== 'string') {
        errs.push(invalid(`${p}.type`, v.type ?? '', 'must be string'));
      }
      walk(v, p, 'field', errs, uncorrelatable);
    }
  }
  if (isObject(s.items)) {
    const correlated = s['x-kubernetes-list-type'] === 'map';
    walk(
      s.items,
      `${path}.items`,
      'item',
      errs,
      uncorrelatable ?? (correlated ? undefined : `${path}.items`),
    );
  }
  if (isObject(s.additionalProperties))
    walk(s.additionalProperties, `${path}.additionalProperties`, 'field', errs, uncorrelatable);
}

/** Checks every `default`: it must validate against its schema and survive pruning. */
function validateDefaults(
  s: SchemaNode,
  path: string,
  objPath: string,
  errs: FieldError[],
  root: boolean,
): void {
  if (s.default !== undefined && s.default !== null) {
    const value = structuredClone(s.default);
    const pruned = root ? [] : prune({ v: value } as never, { type: 'object', properties: { v: s } });
    if (pruned.length) {
      errs.push(
        invalid(
          `${path}.default`,
          s.default,
          `must not have unknown fields, got: ${pruned.map((p) => p.replace(/^v/, objPath)).join(', ')}`,
        ),
      );
    } else {
      pruneNonNullableNulls(value, s);
      applyDefaults(value, s);
      const sub: FieldError[] = [];
      validateValue(s, value, objPath, sub);
      for (const e of sub) errs.push({ ...e, field: `${path}.default` });
    }
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (root && k === 'metadata') continue;
    validateDefaults(v, `${path}.properties[${k}]`, objPath ? `${objPath}.${k}` : k, errs, false);
  }
  if (s.items) validateDefaults(s.items, `${path}.items`, `${objPath}[0]`, errs, false);
  if (isObject(s.additionalProperties)) {
    validateDefaults(
      s.additionalProperties as SchemaNode,
      `${path}.additionalProperties`,
      `${objPath}[key]`,
      errs,
      false,
    );
  }
}

/** Validates one version's openAPIV3Schema (raw JSON) at `path`. */
export function validateVersionSchema(schema: Obj, path: string, errs: FieldError[]): void {
  const before = errs.length;
  walk(schema, path, 'root', errs);
  if (errs.length === before) validateDefaults(toSchemaNode(schema), path, '', errs, true);
}
