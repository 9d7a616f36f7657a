/**
 * An OCI registry for tests, serving Helm charts with the distribution v2 API subset Helm
 * reads: `GET /v2/`, `GET /v2/<repo>/tags/list`, `GET|HEAD /v2/<repo>/manifests/<tag|digest>`,
 * `GET /v2/<repo>/blobs/<digest>`. Charts live at `<namespace>/<chart name>` with the chart
 * version as tag (`+` written `_`). With `auth`, clients get a `WWW-Authenticate: Bearer` challenge
 * and trade basic credentials for a token at `/token` (or, with `authMode: 'basic'`, use basic
 * auth directly).
 *
 *   const reg = await startOciRegistry({ charts: [fixtureChart('hooks')] });
 *   // helmCharts: repositoryURL: reg.url (oci://127.0.0.1:PORT/charts), chartName: 'hooks',
 *   // registryCredentialsConfig: { plainHTTP: true }
 */

import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { PackedChart } from '../chart/pack.js';
import { type ChartInput, packInputs } from './fixtures.js';
import { basicOk, listen, send } from './server-util.js';
import { generateTestTls, type TestTls } from './tls.js';

const CONFIG_MT = 'application/vnd.cncf.helm.config.v1+json';
const CHART_MT = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MANIFEST_MT = 'application/vnd.oci.image.manifest.v1+json';

export interface OciRegistryOptions {
  charts: readonly ChartInput[];
  /** Repository namespace the charts are pushed under (default `charts`). */
  namespace?: string;
  auth?: { username: string; password: string };
  /** `token` (default): Bearer challenge and token endpoint; `basic`: Basic challenge. */
  authMode?: 'token' | 'basic';
  /** Serve HTTPS: `true` for a fresh CA, or given material. Without it clients need plainHTTP. */
  tls?: boolean | TestTls;
  /** Serve the chart layer with the legacy `application/tar+gzip` media type. */
  legacyMediaType?: boolean;
}

export interface OciRegistry {
  /** `oci://127.0.0.1:PORT/<namespace>`: a Sveltos repositoryURL. */
  url: string;
  /** `127.0.0.1:PORT`. */
  host: string;
  /** True when served over plain HTTP (clients must set plainHTTP). */
  plainHTTP: boolean;
  caPem?: string;
  charts: PackedChart[];
  /** Request paths received, in order. */
  requests: string[];
  /** Pushes one more chart version. */
  push(chart: ChartInput): Promise<PackedChart>;
  stop(): Promise<void>;
}

interface Stored {
  manifest: Uint8Array;
  manifestDigest: string;
}

const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export async function startOciRegistry(opts: OciRegistryOptions): Promise<OciRegistry> {
  const tls = opts.tls === true ? await generateTestTls() : opts.tls === false ? undefined : opts.tls;
  const ns = opts.namespace ?? 'charts';
  const charts: PackedChart[] = [];
  const repos = new Map<string, Map<string, Stored>>();
  const blobs = new Map<string, Uint8Array>();
  const tokens = new Set<string>();
  const requests: string[] = [];
  const mode = opts.authMode ?? 'token';

  const push = (c: PackedChart): void => {
    charts.push(c);
    const config = new TextEncoder().encode(JSON.stringify(c.metadata));
    const configDigest = sha(config);
    blobs.set(configDigest, config);
    blobs.set(`sha256:${c.digest}`, c.data);
    const manifest = new TextEncoder().encode(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST_MT,
        config: { mediaType: CONFIG_MT, digest: configDigest, size: config.length },
        layers: [
          {
            mediaType: opts.legacyMediaType === true ? 'application/tar+gzip' : CHART_MT,
            digest: `sha256:${c.digest}`,
            size: c.data.length,
          },
        ],
        annotations: {
          'org.opencontainers.image.title': c.metadata.name,
          'org.opencontainers.image.version': c.metadata.version,
        },
      }),
    );
    const repo = `${ns}/${c.metadata.name}`;
    const tags = repos.get(repo) ?? new Map<string, Stored>();
    tags.set(c.metadata.version.replaceAll('+', '_'), { manifest, manifestDigest: sha(manifest) });
    repos.set(repo, tags);
  };
  for (const c of await packInputs(opts.charts)) push(c);

  let origin = '';
  const authorized = (req: http.IncomingMessage): boolean => {
    if (opts.auth === undefined) return true;
    if (mode === 'basic') return basicOk(req, opts.auth);
    const h = req.headers.authorization ?? '';
    return h.startsWith('Bearer ') && tokens.has(h.slice(7));
  };

  const server = await listen((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname;
    requests.push(path);
    if (path === '/token') {
      if (opts.auth === undefined || !basicOk(req, opts.auth))
        return send(
          res,
          401,
          JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }),
          {
            'content-type': 'application/json',
          },
        );
      const t = randomBytes(16).toString('hex');
      tokens.add(t);
      return send(res, 200, JSON.stringify({ token: t, access_token: t, expires_in: 300 }), {
        'content-type': 'application/json',
      });
    }
    if (!path.startsWith('/v2/')) return send(res, 404, 'not found\n');
    if (!authorized(req)) {
      const m = /^\/v2\/(.+)\/(?:manifests|blobs|tags)\//.exec(path);
      const scope = m === null ? '' : `,scope="repository:${m[1]}:pull"`;
      const challenge =
        mode === 'basic'
          ? 'Basic realm="registry"'
          : `Bearer realm="${origin}/token",service="flotilla-test-registry"${scope}`;
      return send(
        res,
        401,
        JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
        {
          'www-authenticate': challenge,
          'content-type': 'application/json',
        },
      );
    }
    if (path === '/v2/') return send(res, 200, '{}', { 'content-type': 'application/json' });
    let m = /^\/v2\/(.+)\/tags\/list$/.exec(path);
    if (m !== null) {
      const tags = repos.get(m[1]!);
      if (tags === undefined) return nameUnknown(res, m[1]!);
      return send(res, 200, JSON.stringify({ name: m[1], tags: [...tags.keys()] }), {
        'content-type': 'application/json',
      });
    }
    m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (m !== null) {
      const tags = repos.get(m[1]!);
      if (tags === undefined) return nameUnknown(res, m[1]!);
      const ref = m[2]!;
      const stored = ref.startsWith('sha256:')
        ? [...tags.values()].find((s) => s.manifestDigest === ref)
        : tags.get(ref);
      if (stored === undefined)
        return send(
          res,
          404,
          JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: `manifest unknown: ${ref}` }] }),
          {
            'content-type': 'application/json',
          },
        );
      const headers = { 'content-type': MANIFEST_MT, 'docker-content-digest': stored.manifestDigest };
      if (req.method === 'HEAD') {
        res.writeHead(200, { ...headers, 'content-length': String(stored.manifest.length) });
        return res.end();
      }
      return send(res, 200, stored.manifest, headers);
    }
    m = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (m !== null) {
      const blob = blobs.get(m[2]!);
      if (blob === undefined || !repos.has(m[1]!))
        return send(
          res,
          404,
          JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] }),
          {
            'content-type': 'application/json',
          },
        );
      return send(res, 200, blob, {
        'content-type': 'application/octet-stream',
        'docker-content-digest': m[2]!,
      });
    }
    send(res, 404, 'not found\n');
  }, tls);
  const host = `127.0.0.1:${server.port}`;
  origin = `${tls === undefined ? 'http' : 'https'}://${host}`;

  const out: OciRegistry = {
    url: `oci://${host}/${ns}`,
    host,
    plainHTTP: tls === undefined,
    charts,
    requests,
    push: async (c) => {
      const [p] = await packInputs([c]);
      push(p!);
      return p!;
    },
    stop: server.stop,
  };
  if (tls !== undefined) out.caPem = tls.caPem;
  return out;
}

function nameUnknown(res: http.ServerResponse, name: string): void {
  send(
    res,
    404,
    JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: `repository name not known: ${name}` }] }),
    {
      'content-type': 'application/json',
    },
  );
}
