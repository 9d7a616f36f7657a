import type { ResourceType } from '../contracts.js';
import type { ClusterTypes } from '../registry/types.js';

export type Route =
  | {
      t: 'static';
      name: 'version' | 'healthz' | 'readyz' | 'livez' | 'api' | 'apis' | 'openapiv2' | 'openapiv3';
    }
  | { t: 'openapiv3gv'; gvPath: string }
  | { t: 'group'; group: string }
  | { t: 'gv'; group: string; version: string }
  | {
      t: 'resource';
      rt: ResourceType;
      watchPath: boolean;
      namespace?: string;
      name?: string;
      subresource?: string;
    }
  | { t: 'notfound' };

const STATIC: Record<string, Route> = {
  '/version': { t: 'static', name: 'version' },
  '/healthz': { t: 'static', name: 'healthz' },
  '/readyz': { t: 'static', name: 'readyz' },
  '/livez': { t: 'static', name: 'livez' },
  '/api': { t: 'static', name: 'api' },
  '/apis': { t: 'static', name: 'apis' },
  '/openapi/v2': { t: 'static', name: 'openapiv2' },
  '/openapi/v3': { t: 'static', name: 'openapiv3' },
};

/** Resolves a cluster-relative path (`/api/v1/namespaces/x/pods/y/status`) against the served types. */
export function route(path: string, types: ClusterTypes): Route {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const s = STATIC[trimmed];
  if (s) return s;
  if (trimmed.startsWith('/healthz/') || trimmed.startsWith('/readyz/') || trimmed.startsWith('/livez/'))
    return { t: 'static', name: 'healthz' };
  if (trimmed.startsWith('/openapi/v3/'))
    return { t: 'openapiv3gv', gvPath: trimmed.slice('/openapi/v3/'.length) };
  let segs: string[];
  try {
    segs = trimmed.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { t: 'notfound' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length < 2 || segs[1] !== 'v1') return { t: 'notfound' };
    group = '';
    version = 'v1';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 2) return { t: 'group', group: segs[1] };
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else {
    return { t: 'notfound' };
  }
  if (rest.length === 0) return { t: 'gv', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest.length >= 3 && rest[0] === 'namespaces' && types.lookup(group, version, rest[2])?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3 || rest.some((x) => x === '')) return { t: 'notfound' };
  const rt = types.lookup(group, version, rest[0]);
  if (!rt) return { t: 'notfound' };
  if (namespace !== undefined && !rt.namespaced) return { t: 'notfound' };
  return { t: 'resource', rt, watchPath, namespace, name: rest[1], subresource: rest[2] };
}
