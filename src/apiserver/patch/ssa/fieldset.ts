/**
 * A set of field paths, as structured-merge-diff's fieldpath.Set: a trie whose edges are path
 * elements written the FieldsV1 way (`f:name`, `k:{"name":"x"}`, `v:"value"`, `i:0`). A path is
 * in the set when its last element is in `members` of the node for its prefix.
 */
export class FieldSet {
  readonly members = new Set<string>();
  readonly children = new Map<string, FieldSet>();

  child(pe: string): FieldSet {
    let c = this.children.get(pe);
    if (!c) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  insert(path: readonly string[]): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i]);
    node.members.add(path[path.length - 1]);
  }

  has(path: readonly string[]): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]);
    return !!node && node.members.has(path[path.length - 1]);
  }

  /** The subset under one path element (empty if none). */
  withPrefix(pe: string): FieldSet {
    return this.children.get(pe) ?? EMPTY;
  }

  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.empty()) return false;
    return true;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [k, c] of this.children) out.children.set(k, c.clone());
    return out;
  }

  union(o: FieldSet): FieldSet {
    const out = this.clone();
    mergeInto(out, o);
    return out;
  }

  /** Paths of this set that are not in `o` (exact paths; children of a removed member stay). */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) out.members.add(m);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      const d = oc ? c.difference(oc) : c.clone();
      if (!d.empty()) out.children.set(k, d);
    }
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (o.members.has(m)) out.members.add(m);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (!oc) continue;
      const i = c.intersection(oc);
      if (!i.empty()) out.children.set(k, i);
    }
    return out;
  }

  /** Every path in the set, in FieldsV1 order. */
  paths(prefix: string[] = [], out: string[][] = []): string[][] {
    for (const pe of sortedElements([...new Set([...this.members, ...this.children.keys()])])) {
      if (this.members.has(pe)) out.push([...prefix, pe]);
      this.children.get(pe)?.paths([...prefix, pe], out);
    }
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).empty() && o.difference(this).empty();
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = sortedElements([...new Set([...this.members, ...this.children.keys()])]);
    for (const pe of keys) {
      const c = this.children.get(pe);
      const sub = c && !c.empty() ? c.toFieldsV1() : undefined;
      if (sub) out[pe] = this.members.has(pe) ? { '.': {}, ...sub } : sub;
      else if (this.members.has(pe)) out[pe] = {};
    }
    return out;
  }

  static fromFieldsV1(obj: unknown): FieldSet {
    const out = new FieldSet();
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return out;
    for (const [pe, v] of Object.entries(obj as Record<string, unknown>)) {
      if (pe === '.') continue;
      const sub = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
      const keys = Object.keys(sub);
      if (keys.length === 0 || Object.hasOwn(sub, '.')) out.members.add(pe);
      if (keys.some((k) => k !== '.')) out.children.set(pe, FieldSet.fromFieldsV1(sub));
    }
    return out;
  }

  static of(...paths: string[][]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }
}

const EMPTY = new FieldSet();

function mergeInto(out: FieldSet, o: FieldSet): void {
  for (const m of o.members) out.members.add(m);
  for (const [k, c] of o.children) {
    const mine = out.children.get(k);
    if (mine) mergeInto(mine, c);
    else out.children.set(k, c.clone());
  }
}

const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff's PathElement order: field names, then keys, values, indices. */
export function comparePathElements(a: string, b: string): number {
  const ra = RANK[a[0]] ?? 4;
  const rb = RANK[b[0]] ?? 4;
  if (ra !== rb) return ra - rb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedElements(pes: string[]): string[] {
  return pes.sort(comparePathElements);
}

/** A path as structured-merge-diff prints it: `.spec.containers[name="web"].image`. */
export function pathString(path: readonly string[]): string {
  let out = '';
  for (const pe of path) {
    const body = pe.slice(2);
    switch (pe[0]) {
      case 'f':
        out += `.${body}`;
        break;
      case 'k': {
        const key = JSON.parse(body) as Record<string, unknown>;
        out += `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
        break;
      }
      case 'v':
        out += `[=${body}]`;
        break;
      default:
        out += `[${body}]`;
    }
  }
  return out;
}
