/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1) → one ResourceType per served version.
 * Deterministic: the same CRD JSON always gives structurally identical results.
 */
import { converterFor } from '../../api/conversion/index.js';
import type { KubeObject, PrinterColumn, ResourceType, ScaleSubresource, SchemaNode } from '../contracts.js';
import { isObject } from './field-errors.js';
import { toSchemaNode } from './schema-convert.js';

/** The verbs kube-apiserver serves for every custom resource. */
export const CRD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** The column kube prints for a custom resource whose version declares none. */
export const DEFAULT_PRINTER_COLUMNS: readonly PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created. ' +
      'It is not guaranteed to be set in happens-before order across separate operations. ' +
      'Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n' +
      'Populated by the system. Read-only. Null for lists. ' +
      'More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  },
];

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function printerColumns(v: unknown): PrinterColumn[] {
  if (!Array.isArray(v) || v.length === 0) return DEFAULT_PRINTER_COLUMNS.map((c) => ({ ...c }));
  return v.filter(isObject).map((c) => {
    const col: PrinterColumn = { name: str(c.name), type: str(c.type), jsonPath: str(c.jsonPath) };
    if (typeof c.format === 'string' && c.format) col.format = c.format;
    if (typeof c.description === 'string' && c.description) col.description = c.description;
    if (typeof c.priority === 'number' && c.priority !== 0) col.priority = c.priority;
    return col;
  });
}

function subresources(v: unknown): ResourceType['subresources'] {
  const out: ResourceType['subresources'] = {};
  if (!isObject(v)) return out;
  if (isObject(v.status)) out.status = true;
  if (isObject(v.scale)) {
    const scale: ScaleSubresource = {
      specReplicasPath: str(v.scale.specReplicasPath),
      statusReplicasPath: str(v.scale.statusReplicasPath),
    };
    if (typeof v.scale.labelSelectorPath === 'string' && v.scale.labelSelectorPath) {
      scale.labelSelectorPath = v.scale.labelSelectorPath;
    }
    out.scale = scale;
  }
  return out;
}

function versionSchema(version: Record<string, unknown>, spec: Record<string, unknown>): SchemaNode {
  const own = isObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
  // apiextensions v1beta1-style top-level fields, tolerated when present.
  const shared = isObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
  const raw = own ?? shared;
  if (!isObject(raw)) return { type: 'object', preserveUnknownFields: true };
  return toSchemaNode(raw);
}

/** The served versions of a CRD as ResourceTypes, in the CRD's version order. */
export function crdResourceTypes(crd: KubeObject): ResourceType[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const group = str(spec.group);
  const kind = str(names.kind);
  const plural = str(names.plural);
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const storage = versions.find((v) => v.storage === true);
  const storageVersion = str(storage?.name ?? versions[0]?.name);
  const crdName = str(crd.metadata?.name) || `${plural}.${group}`;
  // A registered converter is used whatever spec.conversion.strategy says: for the Sveltos kinds
  // the embedded server stands in for Sveltos' conversion webhooks, while the shipped CRDs say
  // `None` so that a real kube-apiserver accepts them without a webhook service.
  const converter = converterFor(group, kind);
  const out: ResourceType[] = [];
  for (const v of versions) {
    if (v.served !== true) continue;
    const version = str(v.name);
    const rt: ResourceType = {
      group,
      version,
      kind,
      listKind: str(names.listKind) || `${kind}List`,
      plural,
      singular: str(names.singular) || kind.toLowerCase(),
      namespaced: str(spec.scope) !== 'Cluster',
      shortNames: strings(names.shortNames),
      categories: strings(names.categories),
      verbs: [...CRD_VERBS],
      subresources: subresources(v.subresources ?? spec.subresources),
      schema: versionSchema(v, spec),
      printerColumns: printerColumns(v.additionalPrinterColumns ?? spec.additionalPrinterColumns),
      storageVersion,
      builtin: false,
      crdName,
      ...(converter ? { converter } : {}),
    };
    if (v.deprecated === true) {
      rt.deprecationWarning =
        typeof v.deprecationWarning === 'string' && v.deprecationWarning
          ? v.deprecationWarning
          : `${group}/${version} ${kind} is deprecated`;
    }
    out.push(rt);
  }
  return out;
}
