/**
 * What kube-apiserver checks on a CustomResourceDefinition (apiextensions validation.go): names,
 * group, scope, versions, subresources, printer columns, conversion, the structural schema of
 * every version (crd-structural.ts), and what may not change on update.
 */
import type { FieldError, KubeObject } from '../contracts.js';
import { validateVersionSchema } from './crd-structural.js';
import { forbidden, goQuote, invalid, isObject, notSupported, required } from './field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from './names.js';
import { validateObjectMeta } from './object-meta.js';

type Obj = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function validateNames(names: Obj, path: string, errs: FieldError[]): void {
  const check = (field: string, value: string, mixed: boolean) => {
    if (!value) return;
    const msgs = isDNS1035Label(mixed ? value.toLowerCase() : value);
    if (msgs.length) {
      const detail = (mixed ? 'may have mixed case, but should otherwise match: ' : '') + msgs.join(',');
      errs.push(invalid(`${path}.${field}`, value, detail));
    }
  };
  check('plural', str(names.plural), false);
  check('singular', str(names.singular), false);
  check('kind', str(names.kind), true);
  check('listKind', str(names.listKind), true);
  const list = (field: string) => (Array.isArray(names[field]) ? (names[field] as unknown[]) : []);
  list('shortNames').forEach((s, i) => {
    const msgs = isDNS1035Label(str(s));
    if (msgs.length) errs.push(invalid(`${path}.shortNames[${i}]`, s, msgs.join(',')));
  });
  if (names.kind && names.kind === names.listKind) {
    errs.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  }
  list('categories').forEach((s, i) => {
    const msgs = isDNS1035Label(str(s));
    if (msgs.length) errs.push(invalid(`${path}.categories[${i}]`, s, msgs.join(',')));
  });
  if (!names.plural) errs.push(required(`${path}.plural`));
  if (!names.singular) errs.push(required(`${path}.singular`));
  if (!names.kind) errs.push(required(`${path}.kind`));
  if (!names.listKind) errs.push(required(`${path}.listKind`));
}

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function validateColumns(cols: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(cols)) return;
  const seen = new Set<string>();
  cols.forEach((c, i) => {
    if (!isObject(c)) return;
    const p = `${path}[${i}]`;
    if (!c.name) errs.push(required(`${p}.name`));
    else if (seen.has(str(c.name)))
      errs.push({
        type: 'FieldValueDuplicate',
        field: `${p}.name`,
        message: `Duplicate value: "${str(c.name)}"`,
      });
    seen.add(str(c.name));
    if (!c.type) errs.push(required(`${p}.type`));
    else if (!COLUMN_TYPES.includes(str(c.type))) errs.push(notSupported(`${p}.type`, c.type, COLUMN_TYPES));
    if (c.format && !COLUMN_FORMATS.includes(str(c.format))) {
      errs.push(notSupported(`${p}.format`, c.format, COLUMN_FORMATS));
    }
    if (!c.jsonPath) errs.push(required(`${p}.jsonPath`));
    if (typeof c.priority === 'number' && c.priority < 0) {
      errs.push(invalid(`${p}.priority`, c.priority, 'must be greater than or equal to 0'));
    }
  });
}

function validateSubresources(sub: unknown, path: string, errs: FieldError[]): void {
  if (!isObject(sub) || !isObject(sub.scale)) return;
  const scale = sub.scale;
  const p = `${path}.scale`;
  const spec = str(scale.specReplicasPath);
  if (!spec) errs.push(required(`${p}.specReplicasPath`));
  else if (!spec.startsWith('.spec.')) {
    errs.push(invalid(`${p}.specReplicasPath`, spec, 'should be a json path under .spec'));
  }
  const status = str(scale.statusReplicasPath);
  if (!status) errs.push(required(`${p}.statusReplicasPath`));
  else if (!status.startsWith('.status.')) {
    errs.push(invalid(`${p}.statusReplicasPath`, status, 'should be a json path under .status'));
  }
  const sel = str(scale.labelSelectorPath);
  if (sel && !sel.startsWith('.spec.') && !sel.startsWith('.status.')) {
    errs.push(invalid(`${p}.labelSelectorPath`, sel, 'should be a json path under either .spec or .status'));
  }
}

/** kube prints the whole versions slice (`%#v`); we print its identifying fields. */
function versionsError(versions: unknown[], detail: string): FieldError {
  const items = versions.map((v) => {
    const o = isObject(v) ? v : {};
    return `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(str(o.name))}, Served:${o.served === true}, Storage:${o.storage === true}, ...}`;
  });
  return {
    type: 'FieldValueInvalid',
    field: 'spec.versions',
    message: `Invalid value: []apiextensions.CustomResourceDefinitionVersion{${items.join(', ')}}: ${detail}`,
  };
}

function validateVersions(spec: Obj, errs: FieldError[]): void {
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) {
    errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
    return;
  }
  const names = new Set<string>();
  let storage = 0;
  let duplicateReported = false;
  versions.forEach((v, i) => {
    if (!isObject(v)) return;
    const p = `spec.versions[${i}]`;
    const name = str(v.name);
    if (!name) errs.push(required(`${p}.name`));
    else {
      const msgs = isDNS1035Label(name);
      if (msgs.length) errs.push(invalid(`${p}.name`, name, msgs.join(',')));
    }
    if (names.has(name) && !duplicateReported) {
      duplicateReported = true;
      errs.push(versionsError(versions, 'must contain unique version names'));
    }
    names.add(name);
    if (v.storage === true) storage++;
    const schema = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObject(schema)) errs.push(required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
    else validateVersionSchema(schema, `${p}.schema.openAPIV3Schema`, errs);
    validateSubresources(v.subresources, `${p}.subresources`, errs);
    validateColumns(v.additionalPrinterColumns, `${p}.additionalPrinterColumns`, errs);
    if (v.deprecationWarning !== undefined && v.deprecated !== true) {
      errs.push(
        invalid(`${p}.deprecationWarning`, v.deprecationWarning, 'can only be set for deprecated versions'),
      );
    }
    if (typeof v.deprecationWarning === 'string' && v.deprecationWarning.length > 256) {
      errs.push(invalid(`${p}.deprecationWarning`, v.deprecationWarning, 'must be <= 256 characters long'));
    }
  });
  if (storage !== 1)
    errs.push(versionsError(versions, 'must have exactly one version marked as storage version'));
}

function validateConversion(conv: unknown, errs: FieldError[]): void {
  if (!isObject(conv)) return;
  const strategy = str(conv.strategy);
  if (strategy !== 'None' && strategy !== 'Webhook') {
    errs.push(notSupported('spec.conversion.strategy', conv.strategy ?? '', ['None', 'Webhook']));
  }
  if (strategy === 'Webhook' && !isObject(conv.webhook)) {
    errs.push(required('spec.conversion.webhook', 'required when strategy is set to Webhook'));
  }
  if (strategy === 'None' && conv.webhook !== undefined) {
    errs.push(forbidden('spec.conversion.webhook', 'should not be set when strategy is not set to Webhook'));
  }
}

function validateUpdate(crd: Obj, old: Obj, errs: FieldError[]): void {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const oldSpec = isObject(old.spec) ? old.spec : {};
  if (oldSpec.group !== undefined && spec.group !== oldSpec.group) {
    errs.push(invalid('spec.group', spec.group ?? '', 'field is immutable'));
  }
  if (oldSpec.scope !== undefined && spec.scope !== oldSpec.scope) {
    errs.push(invalid('spec.scope', spec.scope ?? '', 'field is immutable'));
  }
  const names = isObject(spec.names) ? spec.names : {};
  const oldNames = isObject(oldSpec.names) ? oldSpec.names : {};
  if (oldNames.plural !== undefined && names.plural !== oldNames.plural) {
    errs.push(invalid('status.acceptedNames.plural', names.plural ?? '', 'field is immutable'));
  }
  const status = isObject(old.status) ? old.status : {};
  const stored = Array.isArray(status.storedVersions) ? status.storedVersions : [];
  const current = new Set(
    (Array.isArray(spec.versions) ? spec.versions : []).map((v) => (isObject(v) ? v.name : '')),
  );
  stored.forEach((sv, i) => {
    if (!current.has(sv)) {
      errs.push(invalid(`status.storedVersions[${i}]`, sv, 'must appear in spec.versions'));
    }
  });
}

/** Validates a CRD on create (`old` undefined) or update. */
export function validateCRD(crd: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec: Obj = isObject(crd.spec) ? crd.spec : {};
  const names: Obj = isObject(spec.names) ? spec.names : {};
  const group = str(spec.group);
  validateObjectMeta(crd.metadata, false, nameIsDNSSubdomain, errs);
  const name = str(crd.metadata?.name);
  if (name && name !== `${str(names.plural)}.${group}`) {
    errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (!group) errs.push(required('spec.group'));
  else {
    const msgs = isDNS1123Subdomain(group);
    if (msgs.length) errs.push(invalid('spec.group', group, msgs.join(',')));
    else if (group.split('.').length < 2)
      errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = str(spec.scope);
  if (!scope) errs.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') {
    errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  }
  validateNames(names, 'spec.names', errs);
  validateVersions(spec, errs);
  validateConversion(spec.conversion, errs);
  if (spec.preserveUnknownFields === true) {
    errs.push(
      invalid(
        'spec.preserveUnknownFields',
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }
  if (old) validateUpdate(crd, old, errs);
  return errs;
}
