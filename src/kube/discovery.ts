import { NotFoundError, type RequestContext } from './errors.js';
import { type ResourceInfo, splitApiVersion } from './types.js';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

/** Fetches a discovery document; rejects with a KubeError (NotFoundError when not served). */
export type DiscoveryFetch = (path: string) => Promise<unknown>;

/**
 * Resolves group/version/kind to resources through the discovery API, one request per
 * group-version, cached. A kind missing from the cache refetches its group-version once (a CRD
 * may just have been installed); `invalidate` drops a group-version when a request says the
 * resource type is gone.
 */
export class Discovery {
  private readonly cache = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(
    private readonly cluster: string,
    private readonly fetch: DiscoveryFetch,
  ) {}

  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const cached = this.cache.get(apiVersion);
    if (cached) {
      const found = (await cached.catch(() => undefined))?.get(kind);
      if (found) return found;
      // Only refetch if nobody replaced the entry meanwhile.
      if (this.cache.get(apiVersion) === cached) this.cache.delete(apiVersion);
    }
    const found = (await this.load(apiVersion)).get(kind);
    if (found) return found;
    throw new NotFoundError(this.ctx(apiVersion, kind), 404, {
      message: `the server does not serve kind "${kind}" in "${apiVersion}"`,
      reason: 'NotFound',
    });
  }

  /** Forgets one group-version (or everything), so the next lookup asks the server again. */
  invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.cache.clear();
    else this.cache.delete(apiVersion);
  }

  private load(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    let p = this.cache.get(apiVersion);
    if (p) return p;
    const { group, version } = splitApiVersion(apiVersion);
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    p = this.fetch(path).then(
      (doc) => {
        const map = new Map<string, ResourceInfo>();
        const list = (doc as { resources?: ApiResource[] }).resources ?? [];
        for (const r of list) {
          if (r.name.includes('/')) continue; // subresources
          if (map.has(r.kind)) continue;
          map.set(r.kind, {
            group,
            version,
            kind: r.kind,
            plural: r.name,
            namespaced: r.namespaced,
            verbs: r.verbs ?? [],
          });
        }
        return map;
      },
      (err) => {
        if (!(err instanceof NotFoundError)) throw err;
        throw new NotFoundError(
          this.ctx(apiVersion, '*'),
          404,
          {
            message: `the server does not serve "${apiVersion}": install the CRD that defines it, or fix the apiVersion`,
            reason: 'NotFound',
          },
          { cause: err },
        );
      },
    );
    this.cache.set(apiVersion, p);
    p.catch(() => {
      if (this.cache.get(apiVersion) === p) this.cache.delete(apiVersion);
    });
    return p;
  }

  private ctx(apiVersion: string, kind: string): RequestContext {
    return { cluster: this.cluster, verb: 'discover', target: `${apiVersion} ${kind}` };
  }
}
