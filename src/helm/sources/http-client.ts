/**
 * A minimal HTTP(S) GET client over node:http/https: per-request CA bundle and
 * insecureSkipTLSVerify (which fetch cannot do without undici), redirects that drop
 * credentials when the host changes, a response size limit and a timeout.
 */

import http from 'node:http';
import https from 'node:https';
import { ChartSourceError } from './errors.js';

export interface TlsOptions {
  /** PEM CA bundle trusted in addition to nothing else (replaces the system roots, as Helm's caFile does). */
  caPem?: string | undefined;
  insecureSkipTLSVerify?: boolean | undefined;
}

export interface GetOptions extends TlsOptions {
  headers?: Record<string, string> | undefined;
  /** Sent only to the original host (and hosts in `credentialHosts`). */
  authorization?: string | undefined;
  /** Largest body accepted, in bytes (default 100 MiB). */
  maxBytes?: number | undefined;
  timeoutMs?: number | undefined;
  /** What is being fetched, for error messages ("index.yaml of https://..."). */
  what: string;
  /** Send `authorization` to redirect targets on other hosts too (Helm's passCredentialsAll). */
  passCredentialsAll?: boolean | undefined;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Uint8Array;
  /** The final URL after redirects. */
  url: string;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

function once(url: URL, opts: GetOptions, auth: string | undefined): Promise<HttpResponse> {
  const isHttps = url.protocol === 'https:';
  const headers: Record<string, string> = { 'user-agent': 'flotilla-helm/0.1', ...opts.headers };
  if (auth !== undefined) headers.authorization = auth;
  const maxBytes = opts.maxBytes ?? 100 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const reqOpts: https.RequestOptions = { method: 'GET', headers, timeout: opts.timeoutMs ?? 60_000 };
    if (isHttps) {
      if (opts.caPem !== undefined) reqOpts.ca = opts.caPem;
      if (opts.insecureSkipTLSVerify === true) reqOpts.rejectUnauthorized = false;
    }
    const req = (isHttps ? https : http).request(url, reqOpts, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy(
            new ChartSourceError(
              'bad-response',
              `${opts.what}: response larger than ${maxBytes} bytes; check the URL`,
            ),
          );
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
          url: url.toString(),
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${opts.timeoutMs ?? 60_000} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof ChartSourceError) return reject(e);
      if (e.code !== undefined && TLS_CODES.has(e.code)) {
        return reject(
          new ChartSourceError(
            'tls',
            `${opts.what}: TLS verification failed (${e.code}: ${e.message}); provide the repository CA bundle (ca) or set insecureSkipTLSVerify`,
            { cause: e },
          ),
        );
      }
      if (e.code === 'EPROTO' || /wrong version number|SSL routines/.test(e.message)) {
        return reject(
          new ChartSourceError(
            'tls',
            `${opts.what}: TLS handshake failed (${e.message}); if the server speaks plain HTTP, use an http:// URL or plainHTTP`,
            { cause: e },
          ),
        );
      }
      reject(
        new ChartSourceError(
          'network',
          `${opts.what}: request to ${url.origin} failed (${e.message}); check the URL and that the server is reachable`,
          {
            cause: e,
          },
        ),
      );
    });
    req.end();
  });
}

/** GET with up to 10 redirects. Non-2xx responses are returned, not thrown. */
export async function httpGet(rawUrl: string, opts: GetOptions): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch (e) {
    throw new ChartSourceError(
      'invalid-reference',
      `${opts.what}: ${JSON.stringify(rawUrl)} is not a valid URL`,
      { cause: e },
    );
  }
  const origin = url.host;
  for (let i = 0; i <= 10; i++) {
    const sameHost = url.host === origin || opts.passCredentialsAll === true;
    const res = await once(url, opts, sameHost ? opts.authorization : undefined);
    const loc = res.headers.location;
    if ([301, 302, 303, 307, 308].includes(res.status) && loc !== undefined) {
      url = new URL(loc, url);
      continue;
    }
    return res;
  }
  throw new ChartSourceError('bad-response', `${opts.what}: too many redirects from ${rawUrl}`);
}

/** `Basic base64(user:pass)`. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Maps a failed HTTP status to a typed error. */
export function statusError(res: HttpResponse, what: string, todo: string): ChartSourceError {
  const s = res.status;
  const text = new TextDecoder().decode(res.body.subarray(0, 300)).trim();
  const detail = text === '' ? '' : `: ${text}`;
  if (s === 401 || s === 403)
    return new ChartSourceError(
      'unauthorized',
      `${what}: ${s} ${s === 401 ? 'Unauthorized' : 'Forbidden'}${detail}; check the registry credentials (registryCredentialsConfig)`,
    );
  if (s === 404) return new ChartSourceError('not-found', `${what}: 404 Not Found; ${todo}`);
  if (s === 429 || s >= 500)
    return new ChartSourceError('unavailable', `${what}: server answered ${s}${detail}; will retry`);
  return new ChartSourceError('bad-response', `${what}: unexpected HTTP status ${s}${detail}`);
}
