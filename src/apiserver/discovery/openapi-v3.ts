/**
 * `/openapi/v3`: the index and one document per group-version (`api/v1`, `apis/<g>/<v>`) plus the
 * discovery documents (`api`, `apis`, `apis/<g>`, `version`). Built from the same v2 paths and
 * definitions as `/openapi/v2`, converted the way kube-apiserver's v3 differs from its v2:
 * `#/components/schemas/` refs, a `$ref` with siblings wrapped in `allOf`, parameters inlined,
 * bodies in `requestBody`, responses with `content` per media type. Each document carries only
 * the schemas its paths and kinds reach, as kube's do.
 */
import type { ResourceType } from '../contracts.js';
import { crdDefinitions } from './crd-openapi.js';
import { pathOwner } from './served-paths.js';
import { DEF_PREFIX_V2, DEF_PREFIX_V3, swagger } from './swagger.js';
import { servedPathsV2 } from './openapi-v2.js';

/** Converts a v2 schema (or any JSON holding schemas) to v3 form. */
export function schemaV2toV3(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(schemaV2toV3);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let ref: string | undefined;
  for (const [k, val] of Object.entries(o)) {
    if (k === '$ref' && typeof val === 'string') ref = val.replace(DEF_PREFIX_V2, DEF_PREFIX_V3);
    else if (k === 'enum' || k === 'default' || k === 'example' || k === 'x-kubernetes-group-version-kind')
      out[k] = val;
    else out[k] = schemaV2toV3(val);
  }
  if (ref === undefined) return out;
  return Object.keys(out).length === 0 ? { $ref: ref } : { allOf: [{ $ref: ref }], ...out };
}

const builtinV3 = new Map<string, unknown>();

function builtinDefinitionV3(name: string): unknown {
  let d = builtinV3.get(name);
  if (d === undefined) {
    const raw = swagger().definitions?.[name];
    if (raw === undefined) return undefined;
    d = schemaV2toV3(raw);
    builtinV3.set(name, d);
  }
  return d;
}

function resolveParam(p: any): any {
  if (typeof p?.$ref === 'string' && p.$ref.startsWith('#/parameters/')) {
    return swagger().parameters?.[p.$ref.slice('#/parameters/'.length)] ?? p;
  }
  return p;
}

function paramV3(p: any): Record<string, unknown> {
  const { name, in: where, description, required, type, uniqueItems, items } = p;
  const schema: Record<string, unknown> = { type };
  if (uniqueItems !== undefined) schema.uniqueItems = uniqueItems;
  if (items !== undefined) schema.items = items;
  return {
    name,
    in: where,
    ...(description !== undefined ? { description } : {}),
    ...(required !== undefined ? { required } : {}),
    schema,
  };
}

function operationV3(op: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const consumes: string[] = op.consumes ?? ['*/*'];
  const produces: string[] = op.produces ?? ['application/json'];
  for (const [k, v] of Object.entries<any>(op)) {
    if (k === 'consumes' || k === 'produces' || k === 'schemes' || k === 'parameters' || k === 'responses')
      continue;
    out[k] = v;
  }
  const params: Record<string, unknown>[] = [];
  for (const raw of op.parameters ?? []) {
    const p = resolveParam(raw);
    if (p.in === 'body') {
      const schema = schemaV2toV3(p.schema);
      out.requestBody = {
        content: Object.fromEntries(consumes.map((m) => [m, { schema }])),
        ...(p.required ? { required: true } : {}),
      };
    } else params.push(paramV3(p));
  }
  if (params.length > 0) out.parameters = params;
  const responses: Record<string, unknown> = {};
  for (const [code, r] of Object.entries<any>(op.responses ?? {})) {
    responses[code] = r.schema
      ? {
          description: r.description,
          content: Object.fromEntries(produces.map((m) => [m, { schema: schemaV2toV3(r.schema) }])),
        }
      : { description: r.description };
  }
  out.responses = responses;
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function pathItemV3(item: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of METHODS) if (item[m]) out[m] = operationV3(item[m]);
  if (item.parameters) out.parameters = item.parameters.map((p: any) => paramV3(resolveParam(p)));
  return out;
}

function collectRefs(v: unknown, into: Set<string>): void {
  if (Array.isArray(v)) {
    for (const x of v) collectRefs(x, into);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (k === '$ref' && typeof val === 'string' && val.startsWith(DEF_PREFIX_V3))
      into.add(val.slice(DEF_PREFIX_V3.length));
    else if (k !== 'enum' && k !== 'default' && k !== 'example') collectRefs(val, into);
  }
}

const refsOfBuiltin = new Map<string, string[]>();

function refsOf(name: string, def: unknown): string[] {
  let r = refsOfBuiltin.get(name);
  if (!r) {
    const s = new Set<string>();
    collectRefs(def, s);
    r = [...s];
    refsOfBuiltin.set(name, r);
  }
  return r;
}

/** Index key of a type's group-version document. */
export function v3Key(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group === '' ? `api/${rt.version}` : `apis/${rt.group}/${rt.version}`;
}

/** The keys of every document the index lists for these types. */
export function v3Keys(types: readonly ResourceType[]): string[] {
  const keys = new Set<string>(['apis', 'version']);
  for (const t of types) {
    if (t.group === '') keys.add('api');
    else keys.add(`apis/${t.group}`);
    keys.add(v3Key(t));
  }
  return [...keys].sort();
}

/** Builds one v3 document, or undefined when no served path belongs to `key`. */
/**
 * The types a v3 document depends on: those of its group-version (`api/v1`, `apis/g/v`), its
 * group (`apis/g`), the core group (`api`), or none (`apis`, `version`).
 */
export function typesOfKey(types: readonly ResourceType[], key: string): ResourceType[] {
  const parts = key.split('/');
  if (parts[0] === 'api')
    return types.filter((t) => t.group === '' && (parts.length === 1 || t.version === parts[1]));
  if (parts[0] === 'apis' && parts.length >= 2) {
    return types.filter((t) => t.group === parts[1] && (parts.length === 2 || t.version === parts[2]));
  }
  return [];
}

export function buildOpenAPIV3(
  types: readonly ResourceType[],
  key: string,
): Record<string, unknown> | undefined {
  if (!v3Keys(types).includes(key)) return undefined;
  types = typesOfKey(types, key);
  const v2paths = servedPathsV2(types, key);
  const paths: Record<string, unknown> = {};
  for (const p of Object.keys(v2paths).sort())
    if (pathOwner(p).key === key) paths[p] = pathItemV3(v2paths[p]);

  const crdSchemas: Record<string, unknown> = {};
  for (const t of types) {
    if (!t.builtin && v3Key(t) === key)
      Object.assign(crdSchemas, crdDefinitions(t, { refPrefix: DEF_PREFIX_V3, v2: false }));
  }
  // Schemas: everything the paths and this group-version's kinds reach, transitively.
  const roots = new Set<string>(Object.keys(crdSchemas));
  collectRefs(paths, roots);
  for (const t of types) {
    if (!t.builtin || v3Key(t) !== key) continue;
    for (const name of definitionsOfKind(t.group, t.version, t.kind)) roots.add(name);
    for (const name of definitionsOfKind(t.group, t.version, t.listKind)) roots.add(name);
  }
  const schemas: Record<string, unknown> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (name in schemas) continue;
    const def = crdSchemas[name] ?? builtinDefinitionV3(name);
    if (def === undefined) continue;
    schemas[name] = def;
    const refs = name in crdSchemas ? [...collectInto(def)] : refsOf(name, def);
    for (const r of refs) if (!(r in schemas)) queue.push(r);
  }
  const sortedSchemas: Record<string, unknown> = {};
  for (const k of Object.keys(schemas).sort()) sortedSchemas[k] = schemas[k];
  const s = swagger();
  return {
    openapi: '3.0.0',
    info: s.info ?? { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas: sortedSchemas,
      securitySchemes: {
        BearerToken: {
          type: 'apiKey',
          description: 'Bearer Token authentication',
          name: 'authorization',
          in: 'header',
        },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function collectInto(def: unknown): Set<string> {
  const s = new Set<string>();
  collectRefs(def, s);
  return s;
}

let byGvk: Map<string, string[]> | undefined;

/** Swagger definition names carrying `x-kubernetes-group-version-kind` for this kind. */
function definitionsOfKind(group: string, version: string, kind: string): string[] {
  if (!byGvk) {
    byGvk = new Map();
    for (const [name, def] of Object.entries<any>(swagger().definitions)) {
      const gvks = def['x-kubernetes-group-version-kind'];
      if (!Array.isArray(gvks) || gvks.length !== 1) continue; // shared option types list many
      const g = gvks[0];
      const k = `${g.group ?? ''}/${g.version}/${g.kind}`;
      byGvk.set(k, [...(byGvk.get(k) ?? []), name]);
    }
  }
  return byGvk.get(`${group}/${version}/${kind}`) ?? [];
}
