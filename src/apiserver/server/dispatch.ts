import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../contracts.js';
import type { RequestContext, UserInfo } from '../handlers/context.js';
import {
  AGGREGATED_CONTENT_TYPE,
  buildDiscovery,
  type DiscoveryDocs,
  wantsAggregated,
} from '../handlers/discovery.js';
import { handleResource } from '../handlers/objects.js';
import type { VirtualCluster } from '../registry/cluster.js';
import { sendError, sendJson } from './http.js';
import { route } from './route.js';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-flotilla',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const PUBLIC = new Set(['/version', '/healthz', '/readyz', '/livez']);

/** Authentication: the cluster's admin bearer token. Returns undefined for bad credentials. */
export function authenticate(c: VirtualCluster, req: IncomingMessage): UserInfo | undefined {
  const h = req.headers.authorization;
  if (!h?.startsWith('Bearer ')) return undefined;
  const given = Buffer.from(h.slice(7).trim());
  const want = Buffer.from(c.token);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
  return { name: 'flotilla-admin', groups: ['system:masters', 'system:authenticated'] };
}

/** Authorization hook: the admin may do anything. RBAC slots in here. */
export function authorize(_user: UserInfo, _c: VirtualCluster, _method: string, _path: string): boolean {
  return true;
}

let sharedDiscovery: DiscoveryDocs | undefined;
const sharedOpenapi = new Map<string, unknown>();

function discovery(c: VirtualCluster): DiscoveryDocs {
  if (c.types.all() === c.types.builtins.all) {
    sharedDiscovery ??= buildDiscovery(c.types);
    return sharedDiscovery;
  }
  if (c.discovery?.generation !== c.types.generation)
    c.discovery = { generation: c.types.generation, docs: buildDiscovery(c.types) };
  return c.discovery.docs;
}

function notFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function openapi(ctx: RequestContext, key: string, make: () => unknown): unknown {
  const c = ctx.c;
  const builtinOnly = c.types.all() === c.types.builtins.all;
  if (!builtinOnly) return make();
  if (!sharedOpenapi.has(key)) sharedOpenapi.set(key, make());
  return sharedOpenapi.get(key);
}

/** Handles one request for a cluster-relative path (after `/clusters/<name>`). */
export async function dispatch(
  c: VirtualCluster,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  bookmarkIntervalMs: number,
): Promise<void> {
  try {
    const user = PUBLIC.has(path)
      ? { name: 'system:anonymous', groups: ['system:unauthenticated'] }
      : authenticate(c, req);
    if (!user) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    if (!authorize(user, c, req.method ?? 'GET', path))
      throw new ApiError(
        403,
        'Forbidden',
        `forbidden: User "${user.name}" cannot ${req.method} path "${path}"`,
      );
    const ctx: RequestContext = { c, req, res, query, user, bookmarkIntervalMs };
    const r = route(path, c.types);
    const method = req.method ?? 'GET';
    if (r.t !== 'resource' && method !== 'GET' && method !== 'HEAD')
      throw r.t === 'notfound'
        ? notFound()
        : new ApiError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
    switch (r.t) {
      case 'static':
        switch (r.name) {
          case 'version':
            return void sendJson(res, 200, VERSION_INFO);
          case 'healthz':
          case 'readyz':
          case 'livez':
            res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2' });
            return void res.end('ok');
          case 'api':
          case 'apis': {
            const d = discovery(c);
            if (wantsAggregated(req.headers.accept))
              return void sendJson(
                res,
                200,
                r.name === 'api' ? d.aggregatedApi : d.aggregatedApis,
                undefined,
                AGGREGATED_CONTENT_TYPE,
              );
            return void sendJson(res, 200, r.name === 'api' ? d.api : d.apis);
          }
          case 'openapiv2': {
            const pub = c.parts.publisher;
            if (!pub) throw notFound();
            const accept = req.headers.accept ?? '';
            if (accept.includes('protobuf') && !/application\/json|\*\/\*/.test(accept)) {
              // kubectl asks for the protobuf form to validate, on the client side, kinds the
              // server cannot validate for it (e.g. kinds whose CRD is not installed).
              const pb = pub.openapiV2Protobuf
                ? (openapi(ctx, 'v2pb', () => pub.openapiV2Protobuf!(c.types.all())) as Uint8Array)
                : new Uint8Array(0);
              res.writeHead(200, {
                'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
                'Content-Length': String(pb.byteLength),
              });
              return void res.end(pb);
            }
            return void sendJson(
              res,
              200,
              openapi(ctx, 'v2', () => pub.openapiV2(c.types.all())),
            );
          }
          case 'openapiv3': {
            const pub = c.parts.publisher;
            if (!pub) throw notFound();
            return void sendJson(res, 200, pub.openapiV3Index(c.types.all(), `/clusters/${c.name}`));
          }
        }
        return;
      case 'openapiv3gv': {
        const pub = c.parts.publisher;
        if (!pub) throw notFound();
        const doc = openapi(ctx, `v3/${r.gvPath}`, () => pub.openapiV3(c.types.all(), r.gvPath) ?? null);
        if (!doc) throw notFound();
        return void sendJson(res, 200, doc);
      }
      case 'group': {
        const g = discovery(c).groups.get(r.group);
        if (!g) throw notFound();
        return void sendJson(res, 200, g);
      }
      case 'gv': {
        const gv = r.group ? `${r.group}/${r.version}` : r.version;
        const l = discovery(c).resourceLists.get(gv);
        if (!l) throw notFound();
        return void sendJson(res, 200, l);
      }
      case 'resource':
        return await handleResource(ctx, r.rt, r.watchPath, r.namespace, r.name, r.subresource);
      case 'notfound':
        throw notFound();
    }
  } catch (err) {
    if (!res.headersSent && !req.complete) req.resume();
    sendError(res, err);
  }
}
