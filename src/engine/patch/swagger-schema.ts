/**
 * Patch metadata from a parsed Kubernetes OpenAPI v2 document (`x-kubernetes-patch-strategy`,
 * `x-kubernetes-patch-merge-key`): the built-in kinds' strategies for the strategic merge patch,
 * converted on demand. The caller reads the document (the engine does no I/O).
 */
import type { PatchSchema, PatchSchemaProvider } from './schema.js';

type Raw = Record<string, unknown>;
type Node = {
  properties?: Record<string, PatchSchema>;
  additionalProperties?: PatchSchema | boolean;
  items?: PatchSchema;
  patchStrategy?: string;
  patchMergeKey?: string;
};

const REF_PREFIX = '#/definitions/';

export function swaggerPatchSchemas(swagger: { definitions?: Record<string, unknown> }): PatchSchemaProvider {
  const defs = (swagger.definitions ?? {}) as Record<string, Raw>;
  const byGvk = new Map<string, string>();
  for (const [name, raw] of Object.entries(defs)) {
    const gvks = raw['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const g of gvks as Raw[]) {
      const key = `${g.group ?? ''}/${g.version}/${g.kind}`;
      if (!byGvk.has(key)) byGvk.set(key, name);
    }
  }
  const nodes = new Map<string, Node>();
  let overlays: { node: Node; ref: string }[] = [];

  const shared = (name: string, pending: string[]): Node | undefined => {
    if (!Object.hasOwn(defs, name)) return undefined;
    let n = nodes.get(name);
    if (!n) {
      n = {};
      nodes.set(name, n);
      pending.push(name);
    }
    return n;
  };
  const convert = (raw: Raw, pending: string[], target: Node = {}): Node | undefined => {
    const ext: Node = {};
    if (typeof raw['x-kubernetes-patch-strategy'] === 'string')
      ext.patchStrategy = raw['x-kubernetes-patch-strategy'] as string;
    if (typeof raw['x-kubernetes-patch-merge-key'] === 'string')
      ext.patchMergeKey = raw['x-kubernetes-patch-merge-key'] as string;
    if (typeof raw.$ref === 'string') {
      const ref = raw.$ref.startsWith(REF_PREFIX) ? raw.$ref.slice(REF_PREFIX.length) : '';
      const s = shared(ref, pending);
      if (!s || Object.keys(ext).length === 0) return s;
      // A $ref with its own strategy (e.g. `strategy` + retainKeys): a copy with it on top,
      // filled once the referenced definition is complete.
      const node: Node = { ...ext };
      overlays.push({ node, ref });
      return node;
    }
    if (raw.properties && typeof raw.properties === 'object') {
      const props: Record<string, PatchSchema> = {};
      for (const [p, v] of Object.entries(raw.properties as Record<string, Raw>)) {
        const c = convert(v, pending);
        if (c) props[p] = c;
      }
      target.properties = props;
    }
    const ap = raw.additionalProperties;
    if (typeof ap === 'boolean') target.additionalProperties = ap;
    else if (ap && typeof ap === 'object') {
      const c = convert(ap as Raw, pending);
      if (c) target.additionalProperties = c;
    }
    if (raw.items && typeof raw.items === 'object') {
      const c = convert(raw.items as Raw, pending);
      if (c) target.items = c;
    }
    return Object.assign(target, ext);
  };
  const node = (name: string): PatchSchema | undefined => {
    const pending: string[] = [];
    const n = shared(name, pending);
    while (pending.length > 0) {
      const next = pending.pop() as string;
      convert(defs[next] as Raw, pending, nodes.get(next));
    }
    const todo = overlays;
    overlays = [];
    for (const o of todo) {
      const ext = { ...o.node };
      Object.assign(o.node, nodes.get(o.ref), ext);
    }
    return n;
  };
  return {
    forKind(group, version, kind) {
      const name = byGvk.get(`${group}/${version}/${kind}`);
      return name === undefined ? undefined : node(name);
    },
  };
}
