import { createHash } from 'node:crypto';
import { buildBuiltinTypes } from '../catalog/builtin.js';
import type { KubeObject, ResourceType } from '../contracts.js';
import type { Parts } from './parts.js';

/** Storage key of a resource type: version-independent. */
export function resourceKey(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${rt.group}/${rt.plural}`;
}

export function gvString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Built-in types plus lookup tables, built once per process and shared by every cluster. */
export class BuiltinTypes {
  readonly all: ResourceType[];
  private byGvr = new Map<string, ResourceType>();

  constructor(parts: Parts) {
    this.all = buildBuiltinTypes(parts.schemas ? (g, v, k) => parts.schemas!.forKind(g, v, k) : undefined);
    for (const rt of this.all) this.byGvr.set(`${rt.group}/${rt.version}/${rt.plural}`, rt);
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byGvr.get(`${group}/${version}/${plural}`);
  }
}

/** CRD-derived types shared across clusters, keyed by a hash of the CRD spec. */
const crdTypeCache = new Map<string, { types: ResourceType[]; refs: number }>();

export function crdSpecHash(crd: KubeObject): string {
  return createHash('sha256')
    .update(JSON.stringify(crd.spec ?? {}))
    .digest('hex');
}

/**
 * The resource types one virtual cluster serves: the shared built-ins plus the types of its
 * CRDs (themselves shared across clusters with identical CRDs).
 */
export class ClusterTypes {
  /** crd name -> hash of the spec its types came from */
  private crds = new Map<string, { hash: string; types: ResourceType[] }>();
  private byGvr = new Map<string, ResourceType>();
  /** bumped on every change, for discovery caches */
  generation = 0;

  constructor(readonly builtins: BuiltinTypes) {}

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.builtins.lookup(group, version, plural) ?? this.byGvr.get(`${group}/${version}/${plural}`);
  }

  all(): ResourceType[] {
    if (this.crds.size === 0) return this.builtins.all;
    const out = [...this.builtins.all];
    for (const c of this.crds.values()) out.push(...c.types);
    return out;
  }

  crdTypes(crdName: string): ResourceType[] {
    return this.crds.get(crdName)?.types ?? [];
  }

  /** Versions of a resource (group/plural) served here, storage version included. */
  versionsOf(group: string, plural: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.plural === plural);
  }

  /** Registers (or re-registers) a CRD's served types; `make` derives them when not cached. */
  setCrd(crd: KubeObject, make: (crd: KubeObject) => ResourceType[]): ResourceType[] {
    const name = crd.metadata!.name!;
    const hash = crdSpecHash(crd);
    const cur = this.crds.get(name);
    if (cur?.hash === hash) return cur.types;
    if (cur) this.removeCrd(name);
    let cached = crdTypeCache.get(hash);
    if (!cached) {
      const types = make(crd).map((t) => ({ ...t, crdName: name }));
      cached = { types, refs: 0 };
      crdTypeCache.set(hash, cached);
    }
    cached.refs++;
    this.crds.set(name, { hash, types: cached.types });
    for (const t of cached.types) this.byGvr.set(`${t.group}/${t.version}/${t.plural}`, t);
    this.generation++;
    return cached.types;
  }

  removeCrd(name: string): void {
    const cur = this.crds.get(name);
    if (!cur) return;
    this.crds.delete(name);
    for (const t of cur.types) this.byGvr.delete(`${t.group}/${t.version}/${t.plural}`);
    const cached = crdTypeCache.get(cur.hash);
    if (cached && --cached.refs <= 0) crdTypeCache.delete(cur.hash);
    this.generation++;
  }

  /** Drops every CRD reference (cluster removed). */
  dispose(): void {
    for (const name of [...this.crds.keys()]) this.removeCrd(name);
  }
}
