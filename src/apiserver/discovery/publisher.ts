/**
 * The Publisher of contracts.ts: `/openapi/v2`, `/openapi/v3` and Tables. Documents are cached
 * per set of served types, so the many virtual clusters that serve the same built-ins and CRDs
 * share one copy (the cache key names each type and the identity of its CRD schema).
 */
import { createHash } from 'node:crypto';
import type { KubeObject, Publisher, ResourceType } from '../contracts.js';
import { buildOpenAPIV2 } from './openapi-v2.js';
import { encodeOpenAPIV2 } from './openapi-v2-proto.js';
import { buildOpenAPIV3, typesOfKey, v3Keys } from './openapi-v3.js';
import { buildTable } from './table.js';

interface Docs {
  v2?: Record<string, unknown>;
  v2proto?: Uint8Array;
}

interface V3Doc {
  doc: Record<string, unknown> | undefined;
  hash?: string;
}

const MAX_CACHED_SETS = 16;
/** v3 documents are cached per group-version and the types in it, so sets share them. */
const MAX_CACHED_V3 = 512;

let nextId = 1;
const ids = new WeakMap<object, number>();
function idOf(o: object | undefined): number {
  if (!o) return 0;
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

/** Cache key of a set of types: order-independent; CRD types also by schema identity. */
export function typesKey(types: readonly ResourceType[]): string {
  return types
    .map((t) =>
      t.builtin
        ? `${t.group}/${t.version}/${t.plural}`
        : `${t.group}/${t.version}/${t.plural}:${t.kind}:${t.namespaced ? 'n' : 'c'}:${idOf(t.schema)}:${t.subresources.status ? 's' : ''}${t.subresources.scale ? 'x' : ''}`,
    )
    .sort()
    .join('|');
}

export interface PublisherOptions {
  /** The clock for AGE cells (kube prints ages server-side). */
  now?: () => Date;
}

/**
 * The Publisher contract plus what the server core may use beyond it: the protobuf form of
 * `/openapi/v2`, which kubectl and client-go ask for (`Accept: OPENAPI_V2_PROTOBUF`).
 */
export interface FullPublisher extends Publisher {
  openapiV2Protobuf(types: ResourceType[]): Uint8Array;
  clear(): void;
}

export function createPublisher(opts: PublisherOptions = {}): FullPublisher {
  const now = opts.now ?? (() => new Date());
  const cache = new Map<string, Docs>();
  const v3cache = new Map<string, V3Doc>();

  function docs(types: readonly ResourceType[]): Docs {
    const key = typesKey(types);
    let d = cache.get(key);
    if (d) {
      cache.delete(key); // LRU: re-insert as most recent
      cache.set(key, d);
      return d;
    }
    d = {};
    cache.set(key, d);
    if (cache.size > MAX_CACHED_SETS) cache.delete(cache.keys().next().value as string);
    return d;
  }

  function v3(types: readonly ResourceType[], key: string): V3Doc {
    const cacheKey = `${key}#${typesKey(typesOfKey(types, key))}`;
    let e = v3cache.get(cacheKey);
    if (e) {
      v3cache.delete(cacheKey);
      v3cache.set(cacheKey, e);
      return e;
    }
    e = { doc: buildOpenAPIV3(types, key) };
    v3cache.set(cacheKey, e);
    if (v3cache.size > MAX_CACHED_V3) v3cache.delete(v3cache.keys().next().value as string);
    return e;
  }

  function hashOf(e: V3Doc): string | undefined {
    if (e.doc && !e.hash)
      e.hash = createHash('sha512').update(JSON.stringify(e.doc)).digest('hex').toUpperCase();
    return e.hash;
  }

  return {
    openapiV2(types) {
      const d = docs(types);
      d.v2 ??= buildOpenAPIV2(types);
      return d.v2;
    },
    openapiV2Protobuf(types) {
      const d = docs(types);
      d.v2 ??= buildOpenAPIV2(types);
      d.v2proto ??= encodeOpenAPIV2(d.v2);
      return d.v2proto;
    },
    openapiV3Index(types, prefix) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const key of v3Keys(types)) {
        const hash = hashOf(v3(types, key));
        if (hash) paths[key] = { serverRelativeURL: `${prefix}/openapi/v3/${key}?hash=${hash}` };
      }
      return { paths };
    },
    openapiV3(types, groupVersionPath) {
      const key = groupVersionPath.replace(/^\/+|\/+$/g, '').replace(/^openapi\/v3\//, '');
      return v3(types, key).doc;
    },
    table(rt: ResourceType, objects: KubeObject[], o) {
      return buildTable(rt, objects, o, now());
    },
    clear() {
      cache.clear();
      v3cache.clear();
    },
  };
}

/** The process-wide publisher the server core loads (`registry/parts.ts`). */
export const publisher: FullPublisher = createPublisher();

export { OPENAPI_V2_PROTOBUF } from './openapi-v2-proto.js';
