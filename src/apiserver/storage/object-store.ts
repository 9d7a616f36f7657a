import type { KubeObject } from '../contracts.js';
import { type EventType, WatchHub } from '../watch/hub.js';
import type { Persistence } from './persistence.js';

/** A stored object: parsed (never mutated after commit) and serialised once. */
export interface Entry {
  obj: KubeObject;
  json: string;
  rv: number;
}

/** The JSON text of committed objects, so responses reuse the serialisation done at commit. */
export const serialized = new WeakMap<object, string>();

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * All objects of one virtual cluster, in memory, keyed by resource (`group/plural`) then
 * `namespace/name`. Every write goes through `commit`, which assigns the next resourceVersion,
 * persists the change and publishes it to watchers, in that order.
 */
export class ObjectStore {
  rv: number;
  readonly hub: WatchHub;
  private tables = new Map<string, Map<string, Entry>>();
  /** owner uid -> dependents (resource + key), for garbage collection. */
  private owners = new Map<string, Map<string, { resource: string; key: string }>>();

  constructor(
    readonly cluster: string,
    private readonly persistence: Persistence,
    initialRv = 0,
    eventWindow = 1000,
  ) {
    this.rv = initialRv;
    this.hub = new WatchHub(initialRv, eventWindow);
  }

  /** Loads persisted objects (at start); no events are published. */
  load(resource: string, key: string, data: string): void {
    const obj = JSON.parse(data) as KubeObject;
    const rv = Number(obj.metadata?.resourceVersion ?? 0);
    this.table(resource).set(key, { obj, json: data, rv });
    this.indexOwners(resource, key, undefined, obj);
    if (rv > this.rv) this.rv = rv;
  }

  finishLoad(): void {
    this.hub.compactedRv = this.rv;
  }

  private table(resource: string): Map<string, Entry> {
    let t = this.tables.get(resource);
    if (!t) this.tables.set(resource, (t = new Map()));
    return t;
  }

  get(resource: string, namespace: string | undefined, name: string): Entry | undefined {
    return this.tables.get(resource)?.get(objectKey(namespace, name));
  }

  /** Entries of a resource, optionally of one namespace, sorted by key. */
  list(resource: string, namespace?: string): Entry[] {
    const t = this.tables.get(resource);
    if (!t) return [];
    const out: Entry[] = [];
    const keys = [...t.keys()].sort();
    const prefix = namespace ? `${namespace}/` : undefined;
    for (const k of keys) {
      if (prefix && !k.startsWith(prefix)) continue;
      out.push(t.get(k)!);
    }
    return out;
  }

  count(resource: string): number {
    return this.tables.get(resource)?.size ?? 0;
  }

  resources(): string[] {
    return [...this.tables.keys()].filter((r) => this.tables.get(r)!.size > 0);
  }

  /** Dependents of an owner uid. */
  dependents(ownerUid: string): { resource: string; key: string }[] {
    return [...(this.owners.get(ownerUid)?.values() ?? [])];
  }

  /**
   * Commits a write. `obj` is owned by the store afterwards (do not mutate it); for deletes pass the
   * object as last seen (its resourceVersion is bumped for the DELETED event).
   */
  commit(type: EventType, resource: string, obj: KubeObject): Entry {
    const meta = obj.metadata!;
    const key = objectKey(meta.namespace, meta.name!);
    const t = this.table(resource);
    const prev = t.get(key);
    const rv = ++this.rv;
    meta.resourceVersion = String(rv);
    const json = JSON.stringify(obj);
    const entry: Entry = { obj, json, rv };
    serialized.set(obj, json);
    if (type === 'DELETED') {
      t.delete(key);
      this.persistence.write(this.cluster, rv, resource, key, undefined);
    } else {
      t.set(key, entry);
      this.persistence.write(this.cluster, rv, resource, key, json);
    }
    this.indexOwners(resource, key, prev?.obj, type === 'DELETED' ? undefined : obj);
    this.hub.publish({
      type,
      rv,
      resource,
      namespace: meta.namespace ?? '',
      name: meta.name!,
      obj,
      json,
      prev: prev?.obj,
    });
    return entry;
  }

  /** Removes every object of a resource (its CRD was deleted), publishing DELETED events. */
  dropResource(resource: string): void {
    for (const e of this.list(resource)) {
      const copy = JSON.parse(e.json) as KubeObject;
      this.commit('DELETED', resource, copy);
    }
    this.tables.delete(resource);
  }

  private indexOwners(resource: string, key: string, before?: KubeObject, after?: KubeObject): void {
    const id = `${resource}|${key}`;
    for (const ref of before?.metadata?.ownerReferences ?? []) {
      const m = this.owners.get(ref.uid);
      m?.delete(id);
      if (m && m.size === 0) this.owners.delete(ref.uid);
    }
    for (const ref of after?.metadata?.ownerReferences ?? []) {
      if (!ref?.uid) continue;
      let m = this.owners.get(ref.uid);
      if (!m) this.owners.set(ref.uid, (m = new Map()));
      m.set(id, { resource, key });
    }
  }

  getByKey(resource: string, key: string): Entry | undefined {
    return this.tables.get(resource)?.get(key);
  }
}
