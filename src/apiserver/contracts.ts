/**
 * Contracts between the parts of the embedded API server. Each part lives in its own folder and
 * is written against these types only:
 *
 *   schema/      SchemaNode model; the built-in kinds' schemas loaded from the Kubernetes swagger
 *   patch/       JSON patch, merge patch, strategic merge patch, server-side apply, managedFields
 *   validation/  built-in and CRD validation, defaulting, pruning, CEL rules, CRD -> ResourceType
 *   discovery/   built-in resource catalogue, discovery documents, OpenAPI v2/v3, Table output
 *   (server core) storage, registry, handlers, watch, lifecycle, TLS, kubeconfigs
 *
 * Everything here is plain data: JSON-compatible objects as decoded by JSON.parse.
 */
import type { VersionConverter } from '../api/conversion/index.js';
import type { ObjectMeta as ApiObjectMeta, OwnerReference } from '../api/meta.js';

/** A Kubernetes object as JSON. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
};

/** Object metadata: the API layer's, with what the server core reads typed. */
export type ObjectMeta = ApiObjectMeta & {
  deletionGracePeriodSeconds?: number;
  managedFields?: ManagedFieldsEntry[];
};

export type { OwnerReference };

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  /** The FieldsV1 trie: `f:name`, `k:{"key":"v"}`, `v:"value"`, `i:0`, and `.` for the node itself. */
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/**
 * A normalised OpenAPI schema node, the same shape for built-in kinds (from the swagger, with $refs
 * resolved into shared node objects; the graph may be cyclic, so walk it alongside data, never
 * alone) and for CRDs (from `openAPIV3Schema`).
 */
export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  /** Definition name in the swagger (e.g. `io.k8s.api.core.v1.PodSpec`), for explain and errors. */
  ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  not?: SchemaNode;
  // Kubernetes extensions
  /** x-kubernetes-preserve-unknown-fields */
  preserveUnknownFields?: boolean;
  /** x-kubernetes-embedded-resource */
  embeddedResource?: boolean;
  /** x-kubernetes-int-or-string (built-in IntOrString is mapped to this too) */
  intOrString?: boolean;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** x-kubernetes-map-type */
  mapType?: 'atomic' | 'granular';
  /** x-kubernetes-patch-strategy, e.g. `merge`, `retainKeys`, `merge,retainKeys`, `replace` */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key */
  patchMergeKey?: string;
  /** x-kubernetes-validations */
  validations?: ValidationRule[];
}

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  /** JSONPath into the object, e.g. `.status.ready` */
  jsonPath: string;
}

/** One served resource type (one group/version/resource) of one virtual cluster. */
export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: { status?: boolean; scale?: ScaleSubresource };
  /** Schema of the whole object. Undefined only for kinds that have none. */
  schema?: SchemaNode;
  printerColumns?: PrinterColumn[];
  /** The version objects are stored in (CRDs: the storage version; built-ins: this one). */
  storageVersion: string;
  builtin: boolean;
  /** For CRD-defined types: the CRD name (`plural.group`). */
  crdName?: string;
  /** Deprecation warning to send as a `Warning` header, if any. */
  deprecationWarning?: string;
  /**
   * CRD types whose versions convert in-process (lifecycle/convert.ts); without one a version
   * change only rewrites apiVersion (`strategy: None`).
   */
  converter?: VersionConverter;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/**
 * A field-level error, rendered into a Status `details.causes` entry
 * (`{reason: type, message, field}`) and into the 422 message the way kube-apiserver words it:
 * `<Kind> "<name>" is invalid: <field>: <Type description>: <detail>`,
 * e.g. `spec.replicas: Invalid value: "x": spec.replicas in body must be of type integer: "string"`.
 */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueDuplicate'
    | 'FieldValueTypeInvalid'
    | 'InternalError';
  /** Dotted path with indices, e.g. `spec.containers[0].name`. */
  field: string;
  /** The complete message for this cause, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  message: string;
}

/** Status object returned for every error (HTTP body). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason: string; message: string; field?: string }[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/**
 * An error that becomes a Kubernetes Status response. Every part throws this (or a subclass) for
 * anything the client did wrong; the server core turns it into the HTTP response.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message);
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** 422 Invalid, worded as kube-apiserver words it. */
export function invalidError(kind: string, name: string, group: string, causes: FieldError[]): ApiError {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, {
    name,
    group,
    kind,
    causes: causes.map((c) => ({ reason: c.type, message: c.message, field: c.field })),
  });
}

/** 400 BadRequest. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** Built-in kinds' schemas, loaded once per process and shared by every virtual cluster. */
export interface BuiltinSchemas {
  /** Schema of a built-in kind (group '' for core), or undefined if the kind has none. */
  forKind(group: string, version: string, kind: string): SchemaNode | undefined;
  /** The parsed swagger document (Kubernetes OpenAPI v2), for publishing /openapi/v2 and /v3. */
  readonly swagger: Record<string, any>;
  /**
   * The converted node of one swagger definition by name, e.g.
   * `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` (for CRD metadata, explain). Optional.
   */
  definition?(name: string): SchemaNode | undefined;
}

/** Patch and server-side apply (src/apiserver/patch/). Pure; throws ApiError on bad patches. */
export interface Patcher {
  /** RFC 6902 JSON patch (`application/json-patch+json`). */
  jsonPatch(obj: KubeObject, patch: unknown): KubeObject;
  /** RFC 7386 merge patch (`application/merge-patch+json`). */
  mergePatch(obj: KubeObject, patch: unknown): KubeObject;
  /** Strategic merge patch (`application/strategic-merge-patch+json`), built-in kinds only. */
  strategicMergePatch(obj: KubeObject, patch: unknown, schema: SchemaNode | undefined): KubeObject;
  /**
   * Server-side apply (`application/apply-patch+yaml`). Returns the new object with updated
   * `metadata.managedFields`. Throws ApiError 409 Conflict (reason `Conflict`, one cause per
   * conflicting field, worded as kube-apiserver) unless `force`.
   */
  apply(args: {
    live: KubeObject | undefined;
    applied: KubeObject;
    manager: string;
    force: boolean;
    schema: SchemaNode | undefined;
    apiVersion: string;
    subresource?: string;
    /**
     * Whether a write to the main resource resets (and so never owns) `status`, kube's
     * ResetFields: for custom resources, whether the status subresource is enabled. Defaults to
     * whether the schema has a `status` field.
     */
    resetStatus?: boolean;
    now: string;
  }): KubeObject;
  /**
   * Field ownership for a non-apply write (create, update, patch) by `manager`: returns the new
   * managedFields for `updated`, given the object before the write (`old`, undefined on create).
   */
  trackUpdate(args: {
    old: KubeObject | undefined;
    updated: KubeObject;
    manager: string;
    schema: SchemaNode | undefined;
    apiVersion: string;
    subresource?: string;
    /**
     * Whether a write to the main resource resets (and so never owns) `status`, kube's
     * ResetFields: for custom resources, whether the status subresource is enabled. Defaults to
     * whether the schema has a `status` field.
     */
    resetStatus?: boolean;
    now: string;
  }): ManagedFieldsEntry[];
}

/** Validation, defaulting and pruning (src/apiserver/validation/). Pure. */
export interface Validator {
  /**
   * Applies schema defaults to an object in place (CRDs: `default` in the schema; built-ins: the
   * defaults kube-apiserver applies, e.g. Service port protocol TCP) and prunes fields the schema
   * does not know (CRDs only; built-ins are never pruned silently). Returns the paths of unknown
   * fields found, for `fieldValidation=Warn|Strict`.
   */
  defaultAndPrune(rt: ResourceType, obj: KubeObject): string[];
  /** Validates an object (create when `old` is undefined, otherwise update). */
  validate(rt: ResourceType, obj: KubeObject, old: KubeObject | undefined): FieldError[];
  /** Validates a CustomResourceDefinition itself (structural schema, names, versions). */
  validateCRD(crd: KubeObject, old: KubeObject | undefined): FieldError[];
  /** The resource types a CRD serves (one per served version). */
  crdResourceTypes(crd: KubeObject): ResourceType[];
}

/** OpenAPI publishing and server-side printing (src/apiserver/discovery/). */
export interface Publisher {
  /** `/openapi/v2` document for a cluster's types (built-ins from the swagger, plus its CRDs). */
  openapiV2(types: ResourceType[]): Record<string, unknown>;
  /**
   * `/openapi/v2` as gnostic protobuf (what kubectl asks for when it validates a kind on the client
   * side). Optional: without it the server answers with an empty document.
   */
  openapiV2Protobuf?(types: ResourceType[]): Uint8Array;
  /** `/openapi/v3` index: `{paths: {"api/v1": {serverRelativeURL}, "apis/g/v": ...}}`. */
  openapiV3Index(types: ResourceType[], prefix: string): Record<string, unknown>;
  /** `/openapi/v3/<api/v1 | apis/g/v>` document, or undefined if that group-version is not served. */
  openapiV3(types: ResourceType[], groupVersionPath: string): Record<string, unknown> | undefined;
  /** A meta.k8s.io/v1 Table for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. */
  table(
    rt: ResourceType,
    objects: KubeObject[],
    opts: { includeObject: 'None' | 'Metadata' | 'Object'; resourceVersion: string; continue?: string },
  ): Record<string, unknown>;
}
