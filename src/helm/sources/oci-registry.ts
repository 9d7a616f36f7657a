/**
 * OCI registries holding Helm charts (the distribution v2 API subset Helm uses): tags list,
 * manifest by tag with Helm's media types, chart layer blob download with digest check, and
 * auth by challenge (`WWW-Authenticate: Bearer realm=...` token flow, or Basic).
 */

import { createHash } from 'node:crypto';
import { type SourceCredentials, userPassFor } from './credentials.js';
import { ChartSourceError } from './errors.js';
import { basicAuth, type HttpResponse, httpGet, statusError } from './http-client.js';
import { isExactVersion, selectVersion, sortVersionsDesc } from './version-select.js';

export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const HELM_PROV_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';
export const LEGACY_CHART_MEDIA_TYPE = 'application/tar+gzip';
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

export interface OciReference {
  /** `host[:port]`. */
  host: string;
  /** The repository path, e.g. `charts/cloudnative-pg`. */
  repository: string;
  tag?: string;
}

/** Parses `oci://host[:port]/path/chart[:tag]` (the `oci://` prefix optional). */
export function parseOciReference(ref: string): OciReference {
  const s = ref.replace(/^oci:\/\//, '');
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1)
    throw new ChartSourceError(
      'invalid-reference',
      `${JSON.stringify(ref)} is not an OCI chart reference; write oci://<host>/<path>/<chart>`,
    );
  const host = s.slice(0, slash);
  let repository = s.slice(slash + 1);
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository))
    throw new ChartSourceError(
      'invalid-reference',
      `${JSON.stringify(ref)}: repository path ${JSON.stringify(repository)} is invalid (lowercase letters, digits, separators . _ - and /)`,
    );
  const out: OciReference = { host, repository };
  if (tag !== undefined) out.tag = tag;
  return out;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string): Challenge {
  const sp = header.indexOf(' ');
  const scheme = (sp < 0 ? header : header.slice(0, sp)).toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const m of (sp < 0 ? '' : header.slice(sp + 1)).matchAll(re))
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return { scheme, params };
}

export interface OciPulled {
  /** The chart version (tag with `_` turned back into `+`). */
  version: string;
  /** `sha256:<hex>` of the chart layer (= sha256 of the .tgz). */
  layerDigest: string;
  manifestDigest?: string;
}

/** One registry host: remembers bearer tokens per scope for the life of the object. */
export class OciRegistryClient {
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly host: string,
    private readonly creds: SourceCredentials | undefined,
  ) {}

  private base(): string {
    return `${this.creds?.plainHTTP === true ? 'http' : 'https'}://${this.host}`;
  }

  private async get(path: string, repository: string, what: string, accept?: string): Promise<HttpResponse> {
    const scope = `repository:${repository}:pull`;
    const url = `${this.base()}${path}`;
    const opts = {
      what,
      caPem: this.creds?.caPem,
      insecureSkipTLSVerify: this.creds?.insecureSkipTLSVerify,
      headers: (accept === undefined ? {} : { accept }) as Record<string, string>,
    };
    const cached = this.tokens.get(scope);
    let res = await httpGet(url, { ...opts, authorization: cached });
    if (res.status !== 401) return res;
    const header = res.headers['www-authenticate'];
    const challenge = parseChallenge(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
    const up = userPassFor(this.creds, this.host);
    let auth: string;
    if (challenge.scheme === 'bearer') {
      auth = `Bearer ${await this.token(challenge, scope, up, what)}`;
    } else if (challenge.scheme === 'basic' && up !== undefined) {
      auth = basicAuth(up.username, up.password);
    } else {
      throw new ChartSourceError(
        'unauthorized',
        `${what}: registry ${this.host} requires authentication; set registryCredentialsConfig.credentials`,
      );
    }
    this.tokens.set(scope, auth);
    res = await httpGet(url, { ...opts, authorization: auth });
    if (res.status === 401) this.tokens.delete(scope);
    return res;
  }

  private async token(
    ch: Challenge,
    scope: string,
    up: { username: string; password: string } | undefined,
    what: string,
  ): Promise<string> {
    const realm = ch.params.realm;
    if (realm === undefined || realm === '')
      throw new ChartSourceError(
        'bad-response',
        `${what}: registry ${this.host} sent a Bearer challenge without a realm`,
      );
    const u = new URL(realm);
    if (ch.params.service !== undefined) u.searchParams.set('service', ch.params.service);
    u.searchParams.set('scope', ch.params.scope ?? scope);
    const res = await httpGet(u.toString(), {
      what: `token for ${scope} from ${u.origin}${u.pathname}`,
      authorization: up === undefined ? undefined : basicAuth(up.username, up.password),
      caPem: this.creds?.caPem,
      insecureSkipTLSVerify: this.creds?.insecureSkipTLSVerify,
      passCredentialsAll: true,
    });
    if (res.status !== 200)
      throw statusError(
        res,
        `${what}: getting a registry token from ${u.origin}${u.pathname}`,
        'check the registry URL',
      );
    let body: { token?: string; access_token?: string };
    try {
      body = JSON.parse(new TextDecoder().decode(res.body));
    } catch (e) {
      throw new ChartSourceError('bad-response', `${what}: token response from ${u.origin} is not JSON`, {
        cause: e,
      });
    }
    const t = body.token ?? body.access_token;
    if (t === undefined || t === '')
      throw new ChartSourceError('bad-response', `${what}: token response from ${u.origin} has no token`);
    return t;
  }

  /** All tags as chart versions, highest first (Helm's registry Client.Tags). */
  async versions(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list`;
    const what = `listing tags of oci://${this.host}/${repository}`;
    while (path !== undefined) {
      const res = await this.get(path, repository, what);
      if (res.status !== 200) throw statusError(res, what, 'check the repository URL and chart name');
      const body = JSON.parse(new TextDecoder().decode(res.body)) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const link = res.headers.link;
      const m = typeof link === 'string' ? /<([^>]+)>;\s*rel="?next"?/.exec(link) : null;
      path =
        m === null
          ? undefined
          : m[1]!.startsWith('http')
            ? new URL(m[1]!).pathname + new URL(m[1]!).search
            : m[1];
    }
    const versions = tags.map((t) => t.replaceAll('_', '+')).filter((t) => isExactVersion(t));
    return sortVersionsDesc(versions, (v) => v);
  }

  /** Resolves a version range to a tag as Helm's downloader does (exact version → no listing). */
  async resolveVersion(repository: string, range: string): Promise<string> {
    if (range !== '' && isExactVersion(range)) return range;
    const versions = await this.versions(repository);
    const ref = `oci://${this.host}/${repository}`;
    if (versions.length === 0)
      throw new ChartSourceError(
        'version-not-found',
        `unable to locate any tags in ${ref}; check the chart name`,
      );
    let v: string | undefined;
    try {
      v = selectVersion(versions, range, (x) => x);
    } catch (e) {
      throw new ChartSourceError(
        'invalid-reference',
        `${ref} version ${JSON.stringify(range)}: not a version or range (${(e as Error).message})`,
        {
          cause: e,
        },
      );
    }
    if (v === undefined)
      throw new ChartSourceError(
        'version-not-found',
        `could not locate a version of ${ref} matching ${JSON.stringify(range)} (available: ${versions.slice(0, 10).join(', ')}); check chartVersion`,
      );
    return v;
  }

  /** Reads the manifest of `version` and returns the chart layer digest. */
  async manifest(repository: string, version: string): Promise<OciPulled> {
    const tag = version.replaceAll('+', '_');
    const ref = `oci://${this.host}/${repository}:${tag}`;
    const what = `fetching the manifest of ${ref}`;
    const res = await this.get(
      `/v2/${repository}/manifests/${tag}`,
      repository,
      what,
      OCI_MANIFEST_MEDIA_TYPE,
    );
    if (res.status !== 200)
      throw statusError(
        res,
        what,
        `check that chart version ${version} was pushed to oci://${this.host}/${repository}`,
      );
    let m: { config?: { mediaType?: string }; layers?: { mediaType?: string; digest?: string }[] };
    try {
      m = JSON.parse(new TextDecoder().decode(res.body));
    } catch (e) {
      throw new ChartSourceError('bad-response', `${what}: manifest is not JSON`, { cause: e });
    }
    const layers = m.layers ?? [];
    const layer =
      layers.find((l) => l.mediaType === HELM_CHART_MEDIA_TYPE) ??
      layers.find((l) => l.mediaType === LEGACY_CHART_MEDIA_TYPE);
    if (layer?.digest === undefined)
      throw new ChartSourceError(
        'bad-response',
        `${ref}: manifest does not contain a layer with mediatype ${HELM_CHART_MEDIA_TYPE}; is this a Helm chart (config ${m.config?.mediaType ?? 'none'})?`,
      );
    const out: OciPulled = { version, layerDigest: layer.digest };
    const md = res.headers['docker-content-digest'];
    if (typeof md === 'string') out.manifestDigest = md;
    return out;
  }

  /** Downloads a blob and checks its sha256. */
  async blob(repository: string, digest: string, what: string): Promise<Uint8Array> {
    const res = await this.get(`/v2/${repository}/blobs/${digest}`, repository, `downloading ${what}`);
    if (res.status !== 200)
      throw statusError(
        res,
        `downloading ${what} (blob ${digest})`,
        'the registry lost the blob; push the chart again',
      );
    const got = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    if (got !== digest)
      throw new ChartSourceError(
        'digest-mismatch',
        `downloading ${what}: blob digest is ${got}, expected ${digest}; the registry or a proxy altered it`,
      );
    return res.body;
  }
}
