import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { BuiltinSchemas, SchemaNode } from '../contracts.js';
import { SchemaConverter } from './convert.js';

export { convertDefinitions, SchemaConverter } from './convert.js';

interface Loaded {
  swagger: Record<string, any>;
  /** group/version/kind -> definition name */
  byGvk: Map<string, string>;
  converter: SchemaConverter;
  /** Milliseconds spent reading and parsing (definitions are converted on first use). */
  loadMillis: number;
}

let loaded: Loaded | undefined;

/** Path of the gzipped swagger, found relative to the package root (works from src/ and dist/src/). */
export function swaggerPath(): URL {
  const here = new URL('.', import.meta.url);
  // src/apiserver/schema/ -> ../../../ ; dist/src/apiserver/schema/ -> ../../../../
  const candidates = [
    new URL('../../../assets/kubernetes/swagger-v1.35.json.gz', here),
    new URL('../../../../assets/kubernetes/swagger-v1.35.json.gz', here),
  ];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(
    `built-in schemas: assets/kubernetes/swagger-v1.35.json.gz not found near ${here.pathname}; ` +
      'reinstall the package (the assets folder ships with it)',
  );
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function load(): Loaded {
  const start = performance.now();
  const swagger = JSON.parse(gunzipSync(readFileSync(swaggerPath())).toString('utf8')) as Record<string, any>;
  const definitions = (swagger.definitions ?? {}) as Record<string, any>;
  const converter = new SchemaConverter(definitions);
  const byGvk = new Map<string, string>();
  for (const [name, raw] of Object.entries<any>(definitions)) {
    const gvks = raw['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    // Only kinds that are served objects (have metadata) or the one kind a definition names;
    // shared option types (DeleteOptions, WatchEvent) list every group and keep the first.
    for (const g of gvks) {
      const key = gvkKey(g.group ?? '', g.version, g.kind);
      if (!byGvk.has(key)) byGvk.set(key, name);
    }
  }
  return { swagger, byGvk, converter, loadMillis: performance.now() - start };
}

function ensureLoaded(): Loaded {
  if (!loaded) loaded = load();
  return loaded;
}

const builtin: BuiltinSchemas = {
  forKind(group: string, version: string, kind: string): SchemaNode | undefined {
    const l = ensureLoaded();
    const name = l.byGvk.get(gvkKey(group, version, kind));
    return name === undefined ? undefined : l.converter.node(name);
  },
  get swagger(): Record<string, any> {
    return ensureLoaded().swagger;
  },
  definition(name: string): SchemaNode | undefined {
    return ensureLoaded().converter.node(name);
  },
};

/**
 * The built-in kinds' schemas. The swagger is read and converted on first use and shared by the
 * whole process afterwards.
 */
export function loadBuiltinSchemas(): BuiltinSchemas {
  return builtin;
}

/** How long the one-time load took, in milliseconds (loads it if needed). */
export function builtinSchemasLoadMillis(): number {
  return ensureLoaded().loadMillis;
}

/** Every indexed group/version/kind, as `group/version/kind` (core group is empty). */
export function builtinKinds(): string[] {
  return [...ensureLoaded().byGvk.keys()];
}
