import type { SchemaNode } from '../contracts.js';

/** Definitions whose wire form is not what their swagger entry says; mapped by name. */
const SPECIAL: Record<string, (name: string) => SchemaNode> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': (ref) => ({ ref, intOrString: true }),
  // Quantity serialises as a string but clients also send plain numbers (e.g. `cpu: 1`).
  'io.k8s.apimachinery.pkg.api.resource.Quantity': (ref) => ({
    ref,
    anyOf: [{ type: 'string' }, { type: 'number' }],
  }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': (ref) => ({ ref, type: 'string', format: 'date-time' }),
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': (ref) => ({ ref, type: 'string', format: 'date-time' }),
  'io.k8s.apimachinery.pkg.runtime.RawExtension': (ref) => ({
    ref,
    type: 'object',
    preserveUnknownFields: true,
  }),
  // FieldsV1 is a free-form trie (`f:`, `k:`, `v:`, `i:` keys).
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': (ref) => ({
    ref,
    type: 'object',
    preserveUnknownFields: true,
  }),
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': (ref) => ({
    ref,
    preserveUnknownFields: true,
  }),
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': (ref) => ({
    ref,
    preserveUnknownFields: true,
  }),
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': (ref) => ({
    ref,
    preserveUnknownFields: true,
  }),
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': (ref) => ({
    ref,
    preserveUnknownFields: true,
  }),
};

const REF_PREFIX = '#/definitions/';

const COPIED = [
  'type',
  'format',
  'description',
  'required',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

/**
 * Converts swagger definitions into SchemaNodes on demand: `node(name)` converts that definition
 * and everything it references, once. `$ref`s become references to the shared node of the
 * definition (so the graph may be cyclic). A property that combines a `$ref` with its own
 * extensions (e.g. `strategy` with `x-kubernetes-patch-strategy: retainKeys`) gets its own node: a
 * copy of the definition's node with the extensions on top.
 */
export class SchemaConverter {
  private readonly nodes = new Map<string, SchemaNode>();
  private pending: string[] = [];
  private overlays: { node: SchemaNode; ref: string; extra: SchemaNode }[] = [];

  constructor(private readonly definitions: Record<string, any>) {}

  /** The node of one definition, or undefined if the swagger has no such definition. */
  node(name: string): SchemaNode | undefined {
    if (!Object.hasOwn(this.definitions, name)) return undefined;
    const n = this.shared(name);
    this.drain();
    return n;
  }

  /** How many definitions have been converted so far. */
  get converted(): number {
    return this.nodes.size;
  }

  private shared(name: string): SchemaNode {
    let n = this.nodes.get(name);
    if (!n) {
      n = {};
      this.nodes.set(name, n);
      this.pending.push(name);
    }
    return n;
  }

  private drain(): void {
    while (this.pending.length > 0) {
      const name = this.pending.pop()!;
      const raw = this.definitions[name];
      const node = this.nodes.get(name)!;
      const special = SPECIAL[name];
      if (special) {
        Object.assign(node, special(name), raw.description ? { description: raw.description } : {});
        continue;
      }
      this.convert(raw, name, node);
      node.ref = name;
    }
    const overlays = this.overlays;
    this.overlays = [];
    for (const o of overlays) Object.assign(o.node, this.nodes.get(o.ref), o.extra);
  }

  private refNode(ref: string, where: string): SchemaNode {
    if (!ref.startsWith(REF_PREFIX)) throw new Error(`swagger: unsupported $ref ${ref} at ${where}`);
    const name = ref.slice(REF_PREFIX.length);
    if (!Object.hasOwn(this.definitions, name))
      throw new Error(`swagger: $ref ${ref} at ${where} names no definition`);
    return this.shared(name);
  }

  private convert(raw: any, where: string, target: SchemaNode = {}): SchemaNode {
    if (raw.$ref !== undefined) {
      const shared = this.refNode(raw.$ref, where);
      const extra = extensions(raw);
      if (Object.keys(extra).length === 0) return shared;
      const node: SchemaNode = {};
      this.overlays.push({ node, ref: raw.$ref.slice(REF_PREFIX.length), extra });
      return node;
    }
    for (const k of COPIED) if (raw[k] !== undefined) (target as any)[k] = raw[k];
    if (raw.properties) {
      const props: Record<string, SchemaNode> = {};
      for (const [p, v] of Object.entries<any>(raw.properties)) props[p] = this.convert(v, `${where}.${p}`);
      target.properties = props;
    }
    if (raw.additionalProperties !== undefined) {
      target.additionalProperties =
        typeof raw.additionalProperties === 'boolean'
          ? raw.additionalProperties
          : this.convert(raw.additionalProperties, `${where}[*]`);
    }
    if (raw.items) target.items = this.convert(raw.items, `${where}[]`);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (Array.isArray(raw[k]))
        target[k] = raw[k].map((x: any, i: number) => this.convert(x, `${where}.${k}[${i}]`));
    }
    Object.assign(target, extensions(raw));
    return target;
  }
}

/** Converts every definition (tests and tools; the loader converts on demand). */
export function convertDefinitions(definitions: Record<string, any>): { nodes: Map<string, SchemaNode> } {
  const c = new SchemaConverter(definitions);
  const nodes = new Map<string, SchemaNode>();
  for (const name of Object.keys(definitions)) nodes.set(name, c.node(name)!);
  return { nodes };
}

function extensions(raw: any): SchemaNode {
  const out: SchemaNode = {};
  if (raw['x-kubernetes-patch-strategy'] !== undefined)
    out.patchStrategy = raw['x-kubernetes-patch-strategy'];
  if (raw['x-kubernetes-patch-merge-key'] !== undefined)
    out.patchMergeKey = raw['x-kubernetes-patch-merge-key'];
  if (raw['x-kubernetes-list-type'] !== undefined) out.listType = raw['x-kubernetes-list-type'];
  if (raw['x-kubernetes-list-map-keys'] !== undefined) out.listMapKeys = raw['x-kubernetes-list-map-keys'];
  if (raw['x-kubernetes-map-type'] !== undefined) out.mapType = raw['x-kubernetes-map-type'];
  if (raw['x-kubernetes-preserve-unknown-fields'] !== undefined)
    out.preserveUnknownFields = raw['x-kubernetes-preserve-unknown-fields'];
  if (raw['x-kubernetes-embedded-resource'] !== undefined)
    out.embeddedResource = raw['x-kubernetes-embedded-resource'];
  if (raw['x-kubernetes-int-or-string'] !== undefined) out.intOrString = raw['x-kubernetes-int-or-string'];
  if (raw.format === 'int-or-string') {
    out.intOrString = true;
  }
  return out;
}
