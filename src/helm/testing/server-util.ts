/** Shared plumbing of the test servers: an HTTP or HTTPS listener on a free loopback port. */

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestTls } from './tls.js';

export interface Listening {
  port: number;
  stop(): Promise<void>;
}

export async function listen(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  tls: TestTls | undefined,
  listenPort = 0,
): Promise<Listening> {
  const server =
    tls === undefined
      ? http.createServer(handler)
      : https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks `Authorization: Basic` against a username/password. */
export function basicOk(req: http.IncomingMessage, auth: { username: string; password: string }): boolean {
  const h = req.headers.authorization ?? '';
  if (!h.startsWith('Basic ')) return false;
  return Buffer.from(h.slice(6), 'base64').toString('utf8') === `${auth.username}:${auth.password}`;
}

export function send(
  res: http.ServerResponse,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length),
    ...headers,
  });
  res.end(body);
}
