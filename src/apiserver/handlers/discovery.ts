import { createHash } from 'node:crypto';
import { GROUP_ORDER } from '../catalog/builtin.js';
import type { ResourceType } from '../contracts.js';
import { type ClusterTypes, gvString } from '../registry/types.js';

/** Discovery documents for one cluster, cached until its set of types changes. */
export interface DiscoveryDocs {
  api: object;
  apis: object;
  aggregatedApi: object;
  aggregatedApis: object;
  groups: Map<string, object>;
  resourceLists: Map<string, object>;
}

const SUB_VERBS = ['get', 'patch', 'update'];

function storageHash(rt: ResourceType): string {
  return createHash('sha256')
    .update(`${rt.group}/${rt.storageVersion}/${rt.kind}`)
    .digest('base64')
    .slice(0, 11);
}

interface GroupInfo {
  name: string;
  versions: string[];
  byVersion: Map<string, ResourceType[]>;
}

function versionPriority(v: string): number[] {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return [3, 0, 0];
  const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return [stability, Number(m[1]), Number(m[3] ?? 0)];
}

/** kube's version order: GA > beta > alpha, higher major first. */
export function compareVersions(a: string, b: string): number {
  const pa = versionPriority(a);
  const pb = versionPriority(b);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i] - pa[i];
  return a.localeCompare(b);
}

function groupsOf(types: ResourceType[]): GroupInfo[] {
  const map = new Map<string, GroupInfo>();
  for (const rt of types) {
    let g = map.get(rt.group);
    if (!g) map.set(rt.group, (g = { name: rt.group, versions: [], byVersion: new Map() }));
    let list = g.byVersion.get(rt.version);
    if (!list) {
      g.byVersion.set(rt.version, (list = []));
      g.versions.push(rt.version);
    }
    list.push(rt);
  }
  for (const g of map.values()) g.versions.sort(compareVersions);
  const order = (name: string) => {
    const i = GROUP_ORDER.indexOf(name);
    return i < 0 ? GROUP_ORDER.length : i;
  };
  return [...map.values()].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
}

function apiResources(list: ResourceType[]): object[] {
  const out: object[] = [];
  for (const rt of list) {
    out.push({
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs,
      ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
      ...(rt.categories.length ? { categories: rt.categories } : {}),
      storageVersionHash: storageHash(rt),
    });
    if (rt.subresources.status)
      out.push({
        name: `${rt.plural}/status`,
        singularName: '',
        namespaced: rt.namespaced,
        kind: rt.kind,
        verbs: SUB_VERBS,
      });
    if (rt.subresources.scale)
      out.push({
        name: `${rt.plural}/scale`,
        singularName: '',
        namespaced: rt.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: SUB_VERBS,
      });
  }
  return out;
}

function aggregatedResource(rt: ResourceType): object {
  const subresources: object[] = [];
  if (rt.subresources.status)
    subresources.push({
      subresource: 'status',
      responseKind: { group: '', version: '', kind: rt.kind },
      verbs: SUB_VERBS,
    });
  if (rt.subresources.scale)
    subresources.push({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: SUB_VERBS,
    });
  return {
    resource: rt.plural,
    responseKind: { group: '', version: '', kind: rt.kind },
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: rt.verbs,
    ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories.length ? { categories: rt.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

function aggregatedGroup(g: GroupInfo): object {
  return {
    metadata: { name: g.name, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: g.byVersion.get(v)!.map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

function aggregatedList(groups: GroupInfo[]): object {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map(aggregatedGroup),
  };
}

function apiGroup(g: GroupInfo): object {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function buildDiscovery(types: ClusterTypes): DiscoveryDocs {
  const groups = groupsOf(types.all());
  const core = groups.filter((g) => g.name === '');
  const named = groups.filter((g) => g.name !== '');
  const resourceLists = new Map<string, object>();
  const groupDocs = new Map<string, object>();
  for (const g of groups) {
    if (g.name) groupDocs.set(g.name, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) });
    for (const v of g.versions) {
      const gv = gvString(g.name, v);
      resourceLists.set(gv, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gv,
        resources: apiResources(g.byVersion.get(v)!),
      });
    }
  }
  return {
    api: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: null },
    apis: { kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(apiGroup) },
    aggregatedApi: aggregatedList(core),
    aggregatedApis: aggregatedList(named),
    groups: groupDocs,
    resourceLists,
  };
}

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the client asks for aggregated discovery (v2) before plain JSON. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .some((part) => part.includes('as=APIGroupDiscoveryList') && /;\s*v=v2(;|$)/.test(part));
}
