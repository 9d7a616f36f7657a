/**
 * Turns a referenced ConfigMap/Secret into Kubernetes objects: Go templates (annotation
 * `projectsveltos.io/template`, `missingkey=error`, int64 numbers, Sveltos functions with
 * `getResource` over templateResourceRefs), Lua (`projectsveltos.io/lua`) or plain YAML/JSON,
 * split into documents. Reference names (`name`/`namespace` of refs) are templates over
 * `.Cluster`, `.ClusterNamespace` and `.ClusterName`.
 */
import { parseAllDocuments } from 'yaml';
import { type JsonObject, LuaEngine, evaluateLuaTemplate } from '../../engine/lua/index.js';
import { TemplateError, TemplateSet } from '../../engine/template/index.js';
import { sveltosFuncs } from '../../engine/template/funcs/index.js';
import { FlotillaError } from '../../lib/errors.js';
import { nodeTemplateInjected } from '../../lib/template-host.js';
import { ANNOTATION } from './names.js';

export class RenderError extends FlotillaError {
  override readonly name = 'RenderError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('addon.render', message, options);
  }
}

/** A ConfigMap or Secret's content, data decoded to text. */
export interface SourceContent {
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  annotations: Readonly<Record<string, string>>;
  /** Data keys in sorted order (Go map iteration in Sveltos is sorted by key). */
  data: readonly [string, string][];
}

export interface TemplateData {
  Cluster: Record<string, unknown>;
  MgmtResources: Record<string, Record<string, unknown>>;
}

let funcs: ReturnType<typeof sveltosFuncs> | undefined;
const injectedBase = nodeTemplateInjected();
const parsed = new Map<string, TemplateSet>();
const PARSED_MAX = 512;

/** Parsing is done once per distinct (name, text): 1,000 clusters share one parse. */
function templateFor(name: string, text: string): TemplateSet {
  const key = `${name}\u0000${text}`;
  let set = parsed.get(key);
  if (!set) {
    funcs ??= sveltosFuncs();
    set = new TemplateSet({ funcs, option: 'missingkey=error', numbers: 'int64' });
    set.parse(name, text);
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
    parsed.set(key, set);
  }
  return set;
}

/** Renders a Go template; errors keep the engine's `template: NAME:LINE:COL: ...` text. */
export function renderTemplate(
  name: string,
  text: string,
  data: unknown,
  mgmt: Record<string, Record<string, unknown>> = {},
): string {
  const set = templateFor(name, text);
  // getResource & co mutate in place (Sveltos quirk): give each render its own copies.
  const copies = new Map<string, unknown>();
  return set.execute(name, data, {
    injected: {
      ...injectedBase,
      getResource: (id: string) => {
        if (!copies.has(id)) copies.set(id, mgmt[id] === undefined ? null : structuredClone(mgmt[id]));
        return copies.get(id);
      },
    },
  });
}

/** Renders a reference name/namespace when it holds a template. */
export function renderRefName(text: string | undefined, cluster: Record<string, unknown>): string {
  if (!text?.includes('{{')) return text ?? '';
  const md = (cluster.metadata ?? {}) as { name?: string; namespace?: string };
  return renderTemplate('reference', text, {
    Cluster: cluster,
    ClusterNamespace: md.namespace ?? '',
    ClusterName: md.name ?? '',
  }).trim();
}

const splitCache = new Map<string, Record<string, unknown>[]>();
const SPLIT_MAX = 256;

/** Splits YAML/JSON text into objects; empty documents are skipped, `List` kinds flattened. */
export function splitDocuments(text: string, where: string): Record<string, unknown>[] {
  // The same content is deployed to many clusters: parse it once, hand out copies.
  const key = `${where}\u0000${text}`;
  let docs = splitCache.get(key);
  if (!docs) {
    docs = parseDocuments(text, where);
    if (splitCache.size >= SPLIT_MAX) splitCache.delete(splitCache.keys().next().value as string);
    splitCache.set(key, docs);
  }
  return structuredClone(docs);
}

function parseDocuments(text: string, where: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const docs = parseAllDocuments(text);
  let i = 0;
  for (const doc of docs) {
    i++;
    if (doc.errors.length > 0) {
      throw new RenderError(`${where}: document ${i} is not valid YAML: ${doc.errors[0]!.message}`);
    }
    const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw new RenderError(
        `${where}: document ${i} is not a Kubernetes object (a map with apiVersion and kind)`,
      );
    }
    const o = v as Record<string, unknown>;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      for (const it of o.items) out.push(it as Record<string, unknown>);
      continue;
    }
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
      throw new RenderError(
        `${where}: document ${i} has no apiVersion or kind: every document must be a Kubernetes object`,
      );
    }
    const md = o.metadata as { name?: unknown } | undefined;
    if (!md || typeof md.name !== 'string' || md.name === '') {
      throw new RenderError(`${where}: document ${i} (${o.kind}) has no metadata.name`);
    }
    out.push(o);
  }
  return out;
}

let lua: LuaEngine | undefined;

/** The objects a source produces for one cluster. Throws RenderError naming source and cause. */
export function renderSource(src: SourceContent, data: TemplateData): Record<string, unknown>[] {
  const where = `${src.kind} ${src.namespace}/${src.name}`;
  if (Object.hasOwn(src.annotations, ANNOTATION.lua)) {
    const code = src.data.map(([, v]) => v).join('\n');
    let text: string;
    try {
      lua ??= new LuaEngine();
      const script = lua.compile(code, { name: `${src.namespace}/${src.name}` });
      try {
        text = evaluateLuaTemplate(script, data.MgmtResources as Record<string, JsonObject>);
      } finally {
        script.dispose();
      }
    } catch (err) {
      throw new RenderError(`${where}: lua: ${(err as Error).message}`, { cause: err });
    }
    return splitDocuments(text, `${where} (lua output)`);
  }
  const templated = Object.hasOwn(src.annotations, ANNOTATION.template);
  const out: Record<string, unknown>[] = [];
  for (const [key, value] of src.data) {
    let text = value;
    if (templated) {
      try {
        text = renderTemplate(`${src.namespace}/${src.name}/${key}`, value, data, data.MgmtResources);
      } catch (err) {
        const detail = err instanceof TemplateError ? err.message : String((err as Error).message ?? err);
        throw new RenderError(`${where} key ${key}: ${detail}`, { cause: err });
      }
    }
    out.push(...splitDocuments(text, `${where} key ${key}`));
  }
  return out;
}
