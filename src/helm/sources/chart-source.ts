/**
 * ChartSources: turns a Sveltos helmCharts entry (repositoryURL, repositoryName, chartName,
 * chartVersion) into a loaded chart, going through the digest-keyed cache. HTTP repository
 * indexes are kept in memory for `indexTtlMs`; concurrent requests for the same archive share
 * one download.
 */

import { type Clock, systemClock } from '../../lib/clock.js';
import { loadArchive } from '../chart/load.js';
import type { Chart } from '../chart/types.js';
import { ChartCache } from './cache.js';
import type { SourceCredentials } from './credentials.js';
import { ChartSourceError } from './errors.js';
import { downloadIndexedChart, fetchRepoIndex, findChartVersion } from './http-repo.js';
import { OciRegistryClient, parseOciReference } from './oci-registry.js';
import type { RepoIndex } from './repo-index.js';
import { createHash } from 'node:crypto';

export interface ChartRequest {
  /** `https://...` / `http://...` chart repository or `oci://host/path` registry namespace. */
  repositoryURL: string;
  /** The local alias; a `<repositoryName>/` prefix of an HTTP chartName is removed. */
  repositoryName?: string;
  /** The chart: `name` or `repo/name` (HTTP), `name` (OCI, appended to repositoryURL). */
  chartName: string;
  /** A version or a Masterminds semver range; empty means the latest stable version. */
  chartVersion: string;
}

export interface ResolvedChartRef {
  kind: 'http' | 'oci';
  name: string;
  version: string;
  /** sha256 hex of the .tgz when known before downloading (HTTP index digest, OCI layer). */
  digest?: string;
  /** Where the archive is (chart URL, or `oci://host/repo:tag`). */
  url: string;
}

export interface FetchedChart {
  chart: Chart;
  name: string;
  version: string;
  /** sha256 hex of `archive`. */
  digest: string;
  archive: Uint8Array;
  url: string;
  fromCache: boolean;
}

export interface ChartSourcesOptions {
  /** Directory of the digest-keyed archive cache. */
  cacheDir: string;
  clock?: Clock;
  /**
   * How long a downloaded index.yaml, or an OCI tag's resolved digest, is reused (default 30 s;
   * 0 = always ask the source).
   */
  indexTtlMs?: number;
  /** How many archives to keep in memory besides the disk cache (default 32). */
  memoryEntries?: number;
}

export function isOciUrl(url: string): boolean {
  return url.startsWith('oci://');
}

/** The chart name within an HTTP repository. */
export function httpChartName(req: ChartRequest): string {
  const n = req.chartName;
  if (req.repositoryName !== undefined && req.repositoryName !== '' && n.startsWith(`${req.repositoryName}/`))
    return n.slice(req.repositoryName.length + 1);
  const i = n.lastIndexOf('/');
  return i < 0 ? n : n.slice(i + 1);
}

/** The full OCI reference (without tag) for a request. */
export function ociChartRef(req: ChartRequest): string {
  if (isOciUrl(req.chartName)) return req.chartName;
  const base = req.repositoryURL.replace(/\/+$/, '');
  return base.endsWith(`/${req.chartName}`) ? base : `${base}/${req.chartName}`;
}

function describe(req: ChartRequest): string {
  return `chart ${JSON.stringify(req.chartName)} version ${JSON.stringify(req.chartVersion)} from ${req.repositoryURL}`;
}

export class ChartSources {
  readonly cache: ChartCache;
  private readonly clock: Clock;
  private readonly indexTtlMs: number;
  private readonly indexes = new Map<string, { at: number; index: Promise<RepoIndex> }>();
  private readonly registries = new Map<string, OciRegistryClient>();
  private readonly inflight = new Map<string, Promise<Uint8Array>>();
  private readonly ociRefs = new Map<string, { at: number; ref: Promise<ResolvedChartRef> }>();
  /** Recently used archives by digest, so hot charts skip the disk (insertion order = LRU). */
  private readonly memory = new Map<string, Uint8Array>();
  private readonly memoryEntries: number;

  constructor(opts: ChartSourcesOptions) {
    this.cache = new ChartCache(opts.cacheDir);
    this.clock = opts.clock ?? systemClock;
    this.indexTtlMs = opts.indexTtlMs ?? 30_000;
    this.memoryEntries = opts.memoryEntries ?? 32;
  }

  private remember(digest: string, data: Uint8Array): void {
    this.memory.delete(digest);
    this.memory.set(digest, data);
    while (this.memory.size > this.memoryEntries) this.memory.delete(this.memory.keys().next().value!);
  }

  private async cached(digest: string): Promise<Uint8Array | undefined> {
    const m = this.memory.get(digest);
    if (m !== undefined) {
      this.remember(digest, m);
      return m;
    }
    const d = await this.cache.get(digest);
    if (d !== undefined) this.remember(digest, d);
    return d;
  }

  private credKey(creds: SourceCredentials | undefined): string {
    return createHash('sha256')
      .update(JSON.stringify(creds ?? {}))
      .digest('hex');
  }

  private index(repoUrl: string, creds: SourceCredentials | undefined): Promise<RepoIndex> {
    const key = `${repoUrl}\u0000${this.credKey(creds)}`;
    const now = this.clock.now();
    const hit = this.indexes.get(key);
    if (hit !== undefined && now - hit.at < this.indexTtlMs) return hit.index;
    const index = fetchRepoIndex(repoUrl, creds);
    this.indexes.set(key, { at: now, index });
    index.catch(() => this.indexes.delete(key));
    return index;
  }

  private registry(host: string, creds: SourceCredentials | undefined): OciRegistryClient {
    const key = `${host}\u0000${this.credKey(creds)}`;
    let r = this.registries.get(key);
    if (r === undefined) {
      r = new OciRegistryClient(host, creds);
      this.registries.set(key, r);
    }
    return r;
  }

  /** Resolves the version (and the digest when the source tells it) without downloading the chart. */
  async resolve(req: ChartRequest, creds?: SourceCredentials): Promise<ResolvedChartRef> {
    try {
      if (isOciUrl(req.repositoryURL) || isOciUrl(req.chartName)) {
        const key = `${ociChartRef(req)}\u0000${req.chartVersion}\u0000${this.credKey(creds)}`;
        const now = this.clock.now();
        const hit = this.ociRefs.get(key);
        if (hit !== undefined && now - hit.at < this.indexTtlMs) return await hit.ref;
        const ref = this.resolveOci(req, creds);
        this.ociRefs.set(key, { at: now, ref });
        ref.catch(() => this.ociRefs.delete(key));
        return await ref;
      }
      if (!/^https?:\/\//.test(req.repositoryURL))
        throw new ChartSourceError(
          'invalid-reference',
          `repositoryURL ${JSON.stringify(req.repositoryURL)} is neither an http(s):// chart repository nor an oci:// registry`,
        );
      const name = httpChartName(req);
      const cv = findChartVersion(
        await this.index(req.repositoryURL, creds),
        req.repositoryURL,
        name,
        req.chartVersion,
      );
      const out: ResolvedChartRef = { kind: 'http', name, version: cv.version, url: cv.urls[0]! };
      const d = cv.digest?.replace(/^sha256:/, '');
      if (d !== undefined && /^[0-9a-f]{64}$/.test(d)) out.digest = d;
      return out;
    } catch (e) {
      throw withContext(e, req);
    }
  }

  private async resolveOci(
    req: ChartRequest,
    creds: SourceCredentials | undefined,
  ): Promise<ResolvedChartRef> {
    const ref = parseOciReference(ociChartRef(req));
    const reg = this.registry(ref.host, creds);
    const version = await reg.resolveVersion(ref.repository, ref.tag ?? req.chartVersion);
    const m = await reg.manifest(ref.repository, version);
    return {
      kind: 'oci',
      name: ref.repository.slice(ref.repository.lastIndexOf('/') + 1),
      version,
      digest: m.layerDigest.replace(/^sha256:/, ''),
      url: `oci://${ref.host}/${ref.repository}:${version.replaceAll('+', '_')}`,
    };
  }

  /** Resolves, downloads (or reads from the cache) and loads a chart. */
  async fetch(req: ChartRequest, creds?: SourceCredentials): Promise<FetchedChart> {
    const ref = await this.resolve(req, creds);
    let fromCache = false;
    let archive: Uint8Array | undefined;
    if (ref.digest !== undefined) {
      archive = await this.cached(ref.digest);
      fromCache = archive !== undefined;
    }
    if (archive === undefined) {
      const key = ref.digest ?? `${req.repositoryURL}\u0000${ref.name}\u0000${ref.version}`;
      let p = this.inflight.get(key);
      if (p === undefined) {
        p = this.download(req, ref, creds).finally(() => this.inflight.delete(key));
        this.inflight.set(key, p);
      }
      archive = await p;
    }
    const digest = createHash('sha256').update(archive).digest('hex');
    let chart: Chart;
    try {
      chart = loadArchive(archive, `${ref.url}`);
    } catch (e) {
      throw new ChartSourceError(
        'bad-response',
        `${describe(req)}: the downloaded archive is not a valid chart: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
    return { chart, name: ref.name, version: ref.version, digest, archive, url: ref.url, fromCache };
  }

  private async download(
    req: ChartRequest,
    ref: ResolvedChartRef,
    creds: SourceCredentials | undefined,
  ): Promise<Uint8Array> {
    try {
      let data: Uint8Array;
      if (ref.kind === 'oci') {
        const o = parseOciReference(ref.url);
        data = await this.registry(o.host, creds).blob(
          o.repository,
          `sha256:${ref.digest}`,
          `chart ${ref.name} version ${ref.version} (${ref.url})`,
        );
      } else {
        const cv = findChartVersion(
          await this.index(req.repositoryURL, creds),
          req.repositoryURL,
          ref.name,
          ref.version,
        );
        data = await downloadIndexedChart(req.repositoryURL, cv, creds);
        const got = createHash('sha256').update(data).digest('hex');
        if (ref.digest !== undefined && got !== ref.digest)
          throw new ChartSourceError(
            'digest-mismatch',
            `chart ${ref.name} version ${ref.version} from ${req.repositoryURL}: downloaded archive has digest sha256:${got}, the index says sha256:${ref.digest}; the repository index is stale or the file was altered`,
          );
      }
      this.remember(await this.cache.put(data), data);
      return data;
    } catch (e) {
      throw withContext(e, req);
    }
  }
}

/** Prefixes a source error with the request when the message does not already name the chart. */
function withContext(e: unknown, req: ChartRequest): unknown {
  if (!(e instanceof ChartSourceError)) return e;
  if (e.message.includes(req.repositoryURL) && e.message.includes(req.chartVersion)) return e;
  return new ChartSourceError(e.kind, `${describe(req)}: ${e.message}`, { cause: e.cause });
}
