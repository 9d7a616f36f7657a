/**
 * Which swagger paths a virtual cluster serves: a path belongs to a group-version and a resource
 * (`/api/v1/namespaces/{namespace}/pods/{name}/log` -> `v1`, `pods`); it is kept when that
 * resource is served. Discovery paths (`/api/`, `/apis/`, `/apis/<g>/`, `/version/`) are kept for
 * served groups.
 */
import type { ResourceType } from '../contracts.js';

export interface PathOwner {
  /** `api/v1`, `apis/apps/v1`, `api`, `apis`, `apis/apps`, `version`, ... (the v3 index key). */
  key: string;
  /** Group-version as `group/version` (`/v1` for core), when the path belongs to one. */
  gv?: string;
  /** Resource plural, when the path belongs to one (empty for the group-version root). */
  resource?: string;
}

/** Classifies a swagger path. */
export function pathOwner(path: string): PathOwner {
  const segs = path.split('/').filter(Boolean);
  let gv: string;
  let rest: string[];
  let key: string;
  if (segs[0] === 'api') {
    if (segs.length < 2) return { key: 'api' };
    gv = `/${segs[1]}`;
    key = `api/${segs[1]}`;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length < 2) return { key: 'apis' };
    if (segs.length < 3) return { key: `apis/${segs[1]}` };
    gv = `${segs[1]}/${segs[2]}`;
    key = `apis/${segs[1]}/${segs[2]}`;
    rest = segs.slice(3);
  } else {
    return { key: segs.join('/') };
  }
  if (rest[0] === 'watch') rest = rest.slice(1);
  let resource = rest[0] ?? '';
  if (rest[0] === 'namespaces' && rest[1] === '{namespace}' && rest.length > 2) resource = rest[2];
  return { key, gv, resource };
}

export function gvOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return `${rt.group}/${rt.version}`;
}

/** Index of what a set of types serves, for path filtering. */
export class ServedSet {
  readonly gvs = new Set<string>();
  readonly groups = new Set<string>();
  private readonly resources = new Set<string>();

  constructor(types: readonly ResourceType[]) {
    for (const t of types) {
      this.gvs.add(gvOf(t));
      this.groups.add(t.group);
      this.resources.add(`${gvOf(t)}/${t.plural}`);
    }
  }

  serves(owner: PathOwner): boolean {
    if (owner.gv === undefined) {
      if (owner.key === 'api') return this.groups.has('');
      if (owner.key === 'apis') return true;
      if (owner.key.startsWith('apis/')) return this.groups.has(owner.key.slice(5));
      return owner.key === 'version';
    }
    if (!this.gvs.has(owner.gv)) return false;
    return owner.resource === '' || this.resources.has(`${owner.gv}/${owner.resource}`);
  }
}
