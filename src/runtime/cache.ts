import { type KubeObject, objectKey } from '../kube/index.js';

/** Maps an object to the index values it is found under. */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => string[];

export const NAMESPACE_INDEX = 'namespace';

/** Ready-made index functions. */
export const indexers = {
  namespace: ((obj) => [obj.metadata?.namespace ?? '']) as IndexFunc,
  /** Index by the value of one label: `byIndex('label:app', 'web')`. */
  label(labelKey: string): IndexFunc {
    return (obj) => {
      const v = obj.metadata?.labels?.[labelKey];
      return v === undefined ? [] : [v];
    };
  },
  /** Index by controller owner: `byIndex('owner', 'Kind/namespace/name')`. */
  owner: ((obj) =>
    (obj.metadata?.ownerReferences ?? [])
      .filter((o) => o.controller)
      .map(
        (o) => `${o.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${o.name}`,
      )) as IndexFunc,
};

/** Name of the index built by `indexers.label(key)` when added with `addLabelIndex`. */
export function labelIndexName(labelKey: string): string {
  return `label:${labelKey}`;
}

/** Read access to an informer's cache. Objects are shared: never mutate them. */
export interface CacheReader<T extends KubeObject = KubeObject> {
  readonly size: number;
  get(key: string): T | undefined;
  getByName(namespace: string | undefined, name: string): T | undefined;
  list(): T[];
  keys(): IterableIterator<string>;
  byIndex(index: string, value: string): T[];
  byNamespace(namespace: string): T[];
  /** Objects whose labels include every pair of `labels` (equality selector). */
  byLabels(labels: Record<string, string>): T[];
}

/**
 * The objects of one informer by `namespace/name`, with secondary indexes. The namespace index is
 * always present; label and custom indexes can be added at any time (they are built on add).
 */
export class Cache<T extends KubeObject = KubeObject> implements CacheReader<T> {
  private readonly objects = new Map<string, T>();
  private readonly indexFns = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(extra: Record<string, IndexFunc<T>> = {}) {
    this.addIndex(NAMESPACE_INDEX, indexers.namespace as IndexFunc<T>);
    for (const [name, fn] of Object.entries(extra)) this.addIndex(name, fn);
  }

  get size(): number {
    return this.objects.size;
  }

  /** Adds an index (a no-op if one with that name exists) and indexes what is cached. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexFns.has(name)) return;
    this.indexFns.set(name, fn);
    const idx = new Map<string, Set<string>>();
    this.indices.set(name, idx);
    for (const [key, obj] of this.objects) for (const v of fn(obj)) addTo(idx, v, key);
  }

  addLabelIndex(labelKey: string): string {
    const name = labelIndexName(labelKey);
    this.addIndex(name, indexers.label(labelKey) as IndexFunc<T>);
    return name;
  }

  hasIndex(name: string): boolean {
    return this.indexFns.has(name);
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  keys(): IterableIterator<string> {
    return this.objects.keys();
  }

  byIndex(index: string, value: string): T[] {
    const idx = this.indices.get(index);
    if (!idx) {
      throw new Error(`cache has no index "${index}": add it with addIndex before querying it`);
    }
    const keys = idx.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.objects.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  byNamespace(namespace: string): T[] {
    return this.byIndex(NAMESPACE_INDEX, namespace);
  }

  byLabels(labels: Record<string, string>): T[] {
    const pairs = Object.entries(labels);
    // Narrow with a label index when one exists, then check the rest.
    let candidates: Iterable<T> = this.objects.values();
    for (const [k, v] of pairs) {
      const name = labelIndexName(k);
      if (this.indexFns.has(name)) {
        candidates = this.byIndex(name, v);
        break;
      }
    }
    const out: T[] = [];
    for (const o of candidates) {
      const l = o.metadata?.labels ?? {};
      if (pairs.every(([k, v]) => l[k] === v)) out.push(o);
    }
    return out;
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.objects.get(key);
    if (old) this.unindex(key, old);
    this.objects.set(key, obj);
    for (const [name, fn] of this.indexFns) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) addTo(idx, v, key);
    }
    return old;
  }

  /** Removes by key; returns the removed object. */
  remove(key: string): T | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.objects.delete(key);
    return old;
  }

  clear(): void {
    this.objects.clear();
    for (const idx of this.indices.values()) idx.clear();
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexFns) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = idx.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) idx.delete(v);
      }
    }
  }
}

function addTo(idx: Map<string, Set<string>>, value: string, key: string): void {
  let set = idx.get(value);
  if (!set) idx.set(value, (set = new Set()));
  set.add(key);
}
