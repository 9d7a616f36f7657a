/**
 * OpenAPI for CRD-defined types, as kube-apiserver publishes them: the version's schema converted
 * from the normalised SchemaNode back to OpenAPI (v3 keeps everything; v2 drops what OpenAPI v2
 * cannot say), with the standard `apiVersion`/`kind`/`metadata` properties, a `<Kind>List`
 * definition, `x-kubernetes-group-version-kind`, and the REST paths of the resource.
 */
import type { ResourceType, SchemaNode } from '../contracts.js';
import { DEF_PREFIX_V2, LIST_META, swagger } from './swagger.js';

/** `com.example.stable.v1.CronTab` for group `stable.example.com`, version `v1`, kind `CronTab`. */
export function definitionName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

const SCALARS: [keyof SchemaNode, string][] = [
  ['type', 'type'],
  ['format', 'format'],
  ['description', 'description'],
  ['required', 'required'],
  ['enum', 'enum'],
  ['default', 'default'],
  ['minimum', 'minimum'],
  ['maximum', 'maximum'],
  ['exclusiveMinimum', 'exclusiveMinimum'],
  ['exclusiveMaximum', 'exclusiveMaximum'],
  ['multipleOf', 'multipleOf'],
  ['minLength', 'minLength'],
  ['maxLength', 'maxLength'],
  ['pattern', 'pattern'],
  ['minItems', 'minItems'],
  ['maxItems', 'maxItems'],
  ['uniqueItems', 'uniqueItems'],
  ['minProperties', 'minProperties'],
  ['maxProperties', 'maxProperties'],
  ['preserveUnknownFields', 'x-kubernetes-preserve-unknown-fields'],
  ['embeddedResource', 'x-kubernetes-embedded-resource'],
  ['intOrString', 'x-kubernetes-int-or-string'],
  ['listType', 'x-kubernetes-list-type'],
  ['listMapKeys', 'x-kubernetes-list-map-keys'],
  ['mapType', 'x-kubernetes-map-type'],
  ['patchStrategy', 'x-kubernetes-patch-strategy'],
  ['patchMergeKey', 'x-kubernetes-patch-merge-key'],
];

/** OpenAPI v3-only keywords, dropped for v2 (kube's ToStructuralOpenAPIV2 drops them too). */
const V3_ONLY: [keyof SchemaNode, string][] = [
  ['nullable', 'nullable'],
  ['validations', 'x-kubernetes-validations'],
];

export interface ToOpenAPIOptions {
  /** `#/definitions/` (v2) or `#/components/schemas/` (v3). */
  refPrefix: string;
  v2: boolean;
}

/**
 * Converts a SchemaNode to an OpenAPI schema object. A node carrying `ref` to a swagger
 * definition (e.g. ObjectMeta embedded in a CRD) becomes a `$ref`; cycles become `{}`.
 */
export function schemaToOpenAPI(
  node: SchemaNode,
  opts: ToOpenAPIOptions,
  stack: Set<SchemaNode> = new Set(),
): Record<string, unknown> {
  if (node.ref && swagger().definitions?.[node.ref]) return refSchema(node.ref, opts, node.description);
  if (stack.has(node)) return {};
  stack.add(node);
  const out: Record<string, unknown> = {};
  for (const [k, name] of SCALARS) {
    const v = node[k];
    if (v !== undefined) out[name] = v;
  }
  if (node.intOrString && opts.v2) delete out.type;
  if (!opts.v2) {
    for (const [k, name] of V3_ONLY) {
      const v = node[k];
      if (v !== undefined) out[name] = v;
    }
  }
  if (node.properties) {
    const props: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(node.properties)) props[k] = schemaToOpenAPI(child, opts, stack);
    out.properties = props;
  }
  if (node.items) out.items = schemaToOpenAPI(node.items, opts, stack);
  if (node.additionalProperties !== undefined) {
    out.additionalProperties =
      typeof node.additionalProperties === 'boolean'
        ? node.additionalProperties
        : schemaToOpenAPI(node.additionalProperties, opts, stack);
  }
  if (!opts.v2) {
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = node[k];
      if (list) out[k] = list.map((n) => schemaToOpenAPI(n, opts, stack));
    }
    if (node.not) out.not = schemaToOpenAPI(node.not, opts, stack);
  }
  stack.delete(node);
  return out;
}

/** `$ref` to a definition; in v3 a ref with siblings is wrapped in `allOf`, as kube publishes it. */
export function refSchema(
  def: string,
  opts: ToOpenAPIOptions,
  description?: string,
): Record<string, unknown> {
  const ref = { $ref: opts.refPrefix + def };
  if (!description) return ref;
  return opts.v2 ? { ...ref, description } : { allOf: [ref], description };
}

function gvk(group: string, version: string, kind: string) {
  return [{ group, kind, version }];
}

/** The object and list definitions of a CRD-defined type, keyed by definition name. */
export function crdDefinitions(
  rt: ResourceType,
  opts: ToOpenAPIOptions,
): Record<string, Record<string, unknown>> {
  const name = definitionName(rt.group, rt.version, rt.kind);
  const listName = definitionName(rt.group, rt.version, rt.listKind);
  const std = swagger().definitions['io.k8s.api.core.v1.ConfigMap'].properties;
  const converted = rt.schema ? schemaToOpenAPI(rt.schema, opts) : { type: 'object' };
  const props = { ...((converted.properties as Record<string, unknown> | undefined) ?? {}) };
  props.apiVersion = { ...std.apiVersion, ...(props.apiVersion as object | undefined), type: 'string' };
  props.kind = { ...std.kind, ...(props.kind as object | undefined), type: 'string' };
  props.metadata = refSchema(
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    opts,
    std.metadata.description,
  );
  const object: Record<string, unknown> = {
    ...converted,
    type: 'object',
    properties: props,
    'x-kubernetes-group-version-kind': gvk(rt.group, rt.version, rt.kind),
  };
  const list: Record<string, unknown> = {
    description: `${rt.listKind} is a list of ${rt.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: std.apiVersion,
      items: {
        description: `List of ${rt.plural}. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md`,
        type: 'array',
        items: { $ref: opts.refPrefix + name },
      },
      kind: std.kind,
      metadata: refSchema(
        LIST_META,
        opts,
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md#types-kinds',
      ),
    },
    'x-kubernetes-group-version-kind': gvk(rt.group, rt.version, rt.listKind),
  };
  return { [name]: object, [listName]: list };
}

// ---- paths (always built in v2 form; openapi-v3.ts converts them like the built-in ones) ----

const JSON_MIMES = ['application/json', 'application/yaml'];
const PATCH_MIMES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

function globalParam(name: string, pred?: (p: any) => boolean): Record<string, unknown> {
  const params = (swagger().parameters ?? {}) as Record<string, any>;
  for (const [k, p] of Object.entries(params)) {
    if (p.name === name && (!pred || pred(p))) return { $ref: `#/parameters/${k}` };
  }
  return { name, in: 'query', type: 'string', uniqueItems: true };
}

const inline = (name: string, description: string) => ({
  description,
  in: 'query',
  name,
  type: 'string',
  uniqueItems: true,
});

function writeParams(): Record<string, unknown>[] {
  return [
    inline(
      'dryRun',
      'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
    ),
    inline(
      'fieldManager',
      'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
    ),
    inline(
      'fieldValidation',
      'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
    ),
  ];
}

function listParams(): Record<string, unknown>[] {
  return [
    'allowWatchBookmarks',
    'continue',
    'fieldSelector',
    'labelSelector',
    'limit',
    'resourceVersion',
    'resourceVersionMatch',
    'sendInitialEvents',
    'timeoutSeconds',
    'watch',
  ].map((n) => globalParam(n));
}

function pascal(s: string): string {
  return s
    .split(/[.\-/]/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** The REST paths of one CRD-defined type, in OpenAPI v2 form (swagger `paths` entries). */
export function crdPaths(rt: ResourceType): Record<string, Record<string, unknown>> {
  const def = (n: string) => ({ $ref: DEF_PREFIX_V2 + n });
  const name = definitionName(rt.group, rt.version, rt.kind);
  const listName = definitionName(rt.group, rt.version, rt.listKind);
  const tag = `${rt.group.replaceAll('.', '')}_${rt.version}`;
  const id = `${pascal(rt.group)}${pascal(rt.version)}`;
  const ns = rt.namespaced ? 'Namespaced' : '';
  const g = { group: rt.group, kind: rt.kind, version: rt.version };
  const base = `/apis/${rt.group}/${rt.version}`;
  const coll = rt.namespaced ? `${base}/namespaces/{namespace}/${rt.plural}` : `${base}/${rt.plural}`;
  const nsParam = rt.namespaced ? [globalParam('namespace')] : [];
  const nameParam = {
    description: `name of the ${rt.kind}`,
    in: 'path',
    name: 'name',
    required: true,
    type: 'string',
    uniqueItems: true,
  };
  const pretty = globalParam('pretty');
  const ok = (schema: unknown, extra: Record<string, unknown> = {}) => ({
    '200': { description: 'OK', schema },
    ...extra,
    '401': { description: 'Unauthorized' },
  });
  const op = (action: string, verb: string, description: string, rest: Record<string, unknown>) => ({
    description,
    operationId: `${verb}${id}${action}`,
    consumes: ['*/*'],
    produces: JSON_MIMES,
    schemes: ['https'],
    tags: [tag],
    'x-kubernetes-group-version-kind': g,
    ...rest,
  });
  const body = (schema: unknown) => ({ in: 'body', name: 'body', required: true, schema });
  const paths: Record<string, Record<string, unknown>> = {};
  paths[coll] = {
    get: op(`${ns}${rt.kind}`, 'list', `list objects of kind ${rt.kind}`, {
      parameters: listParams(),
      produces: [...JSON_MIMES, 'application/json;stream=watch'],
      responses: ok(def(listName)),
      'x-kubernetes-action': 'list',
    }),
    post: op(`${ns}${rt.kind}`, 'create', `create a ${rt.kind}`, {
      parameters: [body(def(name)), ...writeParams()],
      responses: ok(def(name), {
        '201': { description: 'Created', schema: def(name) },
        '202': { description: 'Accepted', schema: def(name) },
      }),
      'x-kubernetes-action': 'post',
    }),
    delete: op(`Collection${ns}${rt.kind}`, 'delete', `delete collection of ${rt.kind}`, {
      parameters: [globalParam('body'), ...listParams()],
      responses: ok(def('io.k8s.apimachinery.pkg.apis.meta.v1.Status')),
      'x-kubernetes-action': 'deletecollection',
    }),
    parameters: [...nsParam, pretty],
  };
  const item = `${coll}/{name}`;
  const itemOps = (suffix: string, schemaName: string, gvkOverride?: Record<string, string>) => {
    const k = `${ns}${rt.kind}${suffix}`;
    const over = gvkOverride ? { 'x-kubernetes-group-version-kind': gvkOverride } : {};
    const what = suffix ? `${suffix.toLowerCase()} of the specified ${rt.kind}` : `the specified ${rt.kind}`;
    return {
      get: op(k, 'read', `read ${what}`, {
        responses: ok(def(schemaName)),
        'x-kubernetes-action': 'get',
        ...over,
      }),
      put: op(k, 'replace', `replace ${what}`, {
        parameters: [body(def(schemaName)), ...writeParams()],
        responses: ok(def(schemaName), { '201': { description: 'Created', schema: def(schemaName) } }),
        'x-kubernetes-action': 'put',
        ...over,
      }),
      patch: op(k, 'patch', `partially update ${what}`, {
        consumes: PATCH_MIMES,
        parameters: [
          globalParam('body', (p) => p.schema?.$ref?.endsWith('.Patch')),
          ...writeParams(),
          globalParam('force'),
        ],
        responses: ok(def(schemaName), { '201': { description: 'Created', schema: def(schemaName) } }),
        'x-kubernetes-action': 'patch',
        ...over,
      }),
      parameters: [nameParam, ...nsParam, pretty],
    };
  };
  paths[item] = {
    ...itemOps('', name),
    delete: op(`${ns}${rt.kind}`, 'delete', `delete a ${rt.kind}`, {
      parameters: [
        globalParam('body'),
        globalParam('dryRun'),
        globalParam('gracePeriodSeconds'),
        globalParam('propagationPolicy'),
      ],
      responses: ok(def('io.k8s.apimachinery.pkg.apis.meta.v1.Status'), {
        '202': { description: 'Accepted', schema: def('io.k8s.apimachinery.pkg.apis.meta.v1.Status') },
      }),
      'x-kubernetes-action': 'delete',
    }),
  };
  if (rt.subresources.status) paths[`${item}/status`] = itemOps('Status', name);
  if (rt.subresources.scale) {
    paths[`${item}/scale`] = itemOps('Scale', 'io.k8s.api.autoscaling.v1.Scale', {
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
  }
  if (rt.namespaced) {
    paths[`${base}/${rt.plural}`] = {
      get: op(`${rt.kind}ForAllNamespaces`, 'list', `list objects of kind ${rt.kind}`, {
        produces: [...JSON_MIMES, 'application/json;stream=watch'],
        responses: ok(def(listName)),
        'x-kubernetes-action': 'list',
      }),
      parameters: [...listParams(), pretty],
    };
  }
  return paths;
}

/** The discovery paths of a CRD group (`/apis/<g>/`) and group-version (`/apis/<g>/<v>/`). */
export function groupPaths(group: string, version: string): Record<string, Record<string, unknown>> {
  const mk = (operationId: string, description: string, schema: string, tag: string) => ({
    get: {
      consumes: JSON_MIMES,
      description,
      operationId,
      produces: JSON_MIMES,
      responses: {
        '200': { description: 'OK', schema: { $ref: DEF_PREFIX_V2 + schema } },
        '401': { description: 'Unauthorized' },
      },
      schemes: ['https'],
      tags: [tag],
    },
  });
  const tag = group.replaceAll('.', '');
  return {
    [`/apis/${group}/`]: mk(
      `get${pascal(group)}APIGroup`,
      'get information of a group',
      'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup',
      tag,
    ),
    [`/apis/${group}/${version}/`]: mk(
      `get${pascal(group)}${pascal(version)}APIResources`,
      'get available resources',
      'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList',
      `${tag}_${version}`,
    ),
  };
}
