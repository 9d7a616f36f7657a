/**
 * ObjectMeta validation (apimachinery ValidateObjectMeta): name/generateName, namespace, labels,
 * annotations, finalizers, ownerReferences.
 */
import type { FieldError } from '../contracts.js';
import { forbidden, invalid, isObject, required, tooLong, typeInvalid } from './field-errors.js';
import { jsonType } from './openapi-validate.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from './names.js';

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const utf8 = new TextEncoder();

export function validateLabels(labels: unknown, path: string, errs: FieldError[]): void {
  if (labels === undefined || labels === null) return;
  if (!isObject(labels)) return;
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(path, k, msg));
    if (typeof v !== 'string') continue;
    for (const msg of isValidLabelValue(v)) errs.push(invalid(path, v, msg));
  }
}

export function validateAnnotations(annotations: unknown, path: string, errs: FieldError[]): void {
  if (!isObject(annotations)) return;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    size += k.length + (typeof v === 'string' ? utf8.encode(v).length : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
}

function validateFinalizers(finalizers: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(finalizers)) return;
  const seen = new Set<string>();
  finalizers.forEach((f, i) => {
    if (typeof f !== 'string') return;
    for (const msg of isQualifiedName(f)) errs.push(invalid(`${path}[${i}]`, f, msg));
    seen.add(f);
  });
  if (seen.has('orphan') && seen.has('foregroundDeletion')) {
    errs.push(invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
}

function validateOwnerReferences(refs: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(refs)) return;
  let controllers = 0;
  refs.forEach((r, i) => {
    if (!isObject(r)) return;
    const p = `${path}[${i}]`;
    if (!r.apiVersion) errs.push(invalid(`${p}.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(`${p}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(invalid(`${p}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(invalid(`${p}.uid`, r.uid ?? '', 'uid must not be empty'));
    if (r.controller === true) controllers++;
  });
  if (controllers > 1) {
    errs.push(invalid(path, refs, 'Only one reference can have Controller set to true'));
  }
}

const STRING_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
];

/** ObjectMeta's wire types, which kube enforces while decoding (reported here as type errors). */
function checkMetaTypes(m: Record<string, unknown>, path: string, errs: FieldError[]): void {
  const bad = (p: string, v: unknown, want: string) => {
    const t = jsonType(v);
    errs.push(typeInvalid(p, t, `${p} in body must be of type ${want}: "${t}"`));
  };
  for (const k of STRING_FIELDS) {
    if (m[k] !== undefined && m[k] !== null && typeof m[k] !== 'string') bad(`${path}.${k}`, m[k], 'string');
  }
  for (const k of ['labels', 'annotations']) {
    const v = m[k];
    if (v === undefined || v === null) continue;
    if (!isObject(v)) bad(`${path}.${k}`, v, 'object');
    else
      for (const [key, x] of Object.entries(v))
        if (typeof x !== 'string' && x !== null) bad(`${path}.${k}.${key}`, x, 'string');
  }
  for (const k of ['finalizers', 'ownerReferences', 'managedFields']) {
    const v = m[k];
    if (v !== undefined && v !== null && !Array.isArray(v)) bad(`${path}.${k}`, v, 'array');
  }
  if (Array.isArray(m.finalizers)) {
    m.finalizers.forEach((f, i) => {
      if (typeof f !== 'string') bad(`${path}.finalizers[${i}]`, f, 'string');
    });
  }
  for (const k of ['generation', 'deletionGracePeriodSeconds']) {
    if (m[k] !== undefined && m[k] !== null && !Number.isInteger(m[k])) bad(`${path}.${k}`, m[k], 'integer');
  }
}

/**
 * Validates `obj.metadata`. `nameFn` is the kind's name rule; `namespaced` whether the kind
 * lives in namespaces.
 */
export function validateObjectMeta(
  meta: unknown,
  namespaced: boolean,
  nameFn: NameValidator,
  errs: FieldError[],
  path = 'metadata',
): void {
  if (meta !== undefined && meta !== null && !isObject(meta)) {
    errs.push(
      typeInvalid(path, jsonType(meta), `${path} in body must be of type object: "${jsonType(meta)}"`),
    );
  }
  const m = isObject(meta) ? meta : {};
  checkMetaTypes(m, path, errs);
  const name = typeof m.name === 'string' ? m.name : '';
  const generateName = typeof m.generateName === 'string' ? m.generateName : '';
  if (generateName) {
    for (const msg of nameFn(generateName, true))
      errs.push(invalid(`${path}.generateName`, generateName, msg));
  }
  if (!name) {
    if (!generateName) errs.push(required(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(invalid(`${path}.name`, name, msg));
  }
  const ns = typeof m.namespace === 'string' ? m.namespace : '';
  if (namespaced) {
    if (ns) for (const msg of isDNS1123Label(ns)) errs.push(invalid(`${path}.namespace`, ns, msg));
  } else if (ns) {
    errs.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  if (typeof m.generation === 'number' && m.generation < 0) {
    errs.push(invalid(`${path}.generation`, m.generation, 'must be greater than or equal to 0'));
  }
  validateLabels(m.labels, `${path}.labels`, errs);
  validateAnnotations(m.annotations, `${path}.annotations`, errs);
  validateFinalizers(m.finalizers, `${path}.finalizers`, errs);
  validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`, errs);
}

function goStrings(v: string[]): string {
  return `[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}`;
}

/** ValidateObjectMetaUpdate: identity fields are immutable; no new finalizers while deleting. */
export function validateObjectMetaUpdate(
  meta: unknown,
  old: unknown,
  errs: FieldError[],
  path = 'metadata',
): void {
  const m = isObject(meta) ? meta : {};
  const o = isObject(old) ? old : {};
  for (const k of ['name', 'namespace', 'uid'] as const) {
    const nv = typeof m[k] === 'string' ? m[k] : '';
    const ov = typeof o[k] === 'string' ? o[k] : '';
    if (ov && nv && nv !== ov) errs.push(invalid(`${path}.${k}`, nv, 'field is immutable'));
  }
  const ct = m.creationTimestamp;
  if (typeof o.creationTimestamp === 'string' && typeof ct === 'string' && ct !== o.creationTimestamp) {
    errs.push(invalid(`${path}.creationTimestamp`, ct, 'field is immutable'));
  }
  if (o.deletionTimestamp === undefined && typeof m.deletionTimestamp === 'string') {
    errs.push(
      invalid(
        `${path}.deletionTimestamp`,
        m.deletionTimestamp,
        'field is immutable; may only be changed via deletion',
      ),
    );
  }
  if (o.deletionTimestamp !== undefined && o.deletionTimestamp !== null) {
    const before = new Set(Array.isArray(o.finalizers) ? o.finalizers : []);
    const added = (Array.isArray(m.finalizers) ? m.finalizers : []).filter(
      (f): f is string => typeof f === 'string' && !before.has(f),
    );
    if (added.length) {
      errs.push(
        forbidden(
          `${path}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStrings(added)}`,
        ),
      );
    }
  }
}
