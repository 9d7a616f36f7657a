import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { errorMessage } from '../lib/errors.js';

export type Check = () => void | Promise<void>;

export interface HealthServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  healthChecks: Map<string, Check>;
  readyChecks: Map<string, Check>;
}

/** `/metrics` (Prometheus text), `/healthz` and `/readyz` (`?verbose` lists every check). */
export class HealthServer {
  private server: http.Server | undefined;

  constructor(private readonly opts: HealthServerOptions) {}

  get port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? (a as AddressInfo).port : undefined;
  }

  async listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(errorMessage(err));
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.end('method not allowed\n');
      return;
    }
    switch (url.pathname) {
      case '/metrics': {
        const body = await this.opts.registry.metrics();
        res.setHeader('Content-Type', this.opts.registry.contentType);
        res.end(body);
        return;
      }
      case '/healthz':
      case '/livez':
        return this.checks(this.opts.healthChecks, url, res);
      case '/readyz':
        return this.checks(this.opts.readyChecks, url, res);
      default:
        res.statusCode = 404;
        res.end('not found: try /metrics, /healthz or /readyz\n');
    }
  }

  private async checks(checks: Map<string, Check>, url: URL, res: http.ServerResponse): Promise<void> {
    const lines: string[] = [];
    let ok = true;
    for (const [name, check] of checks) {
      try {
        await check();
        lines.push(`[+]${name} ok`);
      } catch (err) {
        ok = false;
        lines.push(`[-]${name} failed: ${errorMessage(err)}`);
      }
    }
    res.statusCode = ok ? 200 : 500;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    if (url.searchParams.has('verbose') || !ok) res.end(`${lines.join('\n')}\n${ok ? 'ok' : 'failed'}\n`);
    else res.end('ok');
  }
}
