import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { ClusterConnection } from './kubeconfig.js';

export interface TransportRequest {
  method: string;
  /** Path below the server URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
  /**
   * Streams only: end the stream with an error when no bytes arrive for this long, so a silently
   * dead connection (no FIN/RST) cannot stall a watch forever. Default: none.
   */
  idleTimeoutMs?: number;
}

export interface TransportResponse {
  status: number;
  body: string;
}

export interface TransportOptions {
  /** Idle-socket timeout of unary requests (watches have none). Default 30 s. */
  timeoutMs?: number;
  userAgent?: string;
  /** Idle keep-alive sockets kept per cluster. Small: 1,000 clusters share one process. */
  maxFreeSockets?: number;
}

const secureContexts = new Map<string, tls.SecureContext>();

function secureContextFor(ca?: Buffer, cert?: Buffer, key?: Buffer): tls.SecureContext {
  const id = createHash('sha256');
  for (const b of [ca, cert, key]) id.update(`${b?.length ?? -1}:`).update(b ?? '');
  const k = id.digest('hex');
  let ctx = secureContexts.get(k);
  if (!ctx) {
    ctx = tls.createSecureContext({
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    });
    secureContexts.set(k, ctx);
  }
  return ctx;
}

/**
 * HTTP/1.1 to one cluster over a keep-alive Agent. Bodies are strings (JSON or YAML); watches get
 * the raw response stream.
 */
export class Transport {
  readonly server: URL;
  private readonly prefix: string;
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(
    private readonly conn: ClusterConnection,
    options: TransportOptions = {},
  ) {
    this.server = new URL(conn.server);
    this.prefix = this.server.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'flotilla';
    const common = {
      keepAlive: true,
      maxFreeSockets: options.maxFreeSockets ?? 4,
      scheduling: 'lifo' as const,
    };
    if (this.server.protocol === 'https:') {
      this.mod = https;
      // One TLS context for every connection to the cluster: building it (parsing the CA and the
      // client key) per connection cost more than the handshake itself.
      // Clusters with the same credentials (the embedded server's) share it.
      const { ca, cert, key, ...rest } = conn.tls;
      this.agent = new https.Agent({ ...common, ...rest, secureContext: secureContextFor(ca, cert, key) });
    } else {
      this.mod = http;
      this.agent = new http.Agent(common);
    }
  }

  /** Sends a request and reads the whole response body. Network failures reject with the raw error. */
  async request(req: TransportRequest): Promise<TransportResponse> {
    const res = await this.open(req, false);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
  }

  /** Sends a request and returns the response stream unread (for watches). */
  stream(req: TransportRequest): Promise<IncomingMessage> {
    return this.open(req, true);
  }

  /** Closes idle sockets and refuses nothing: open watches end when their signals abort. */
  close(): void {
    this.agent.destroy();
  }

  private async open(req: TransportRequest, streaming: boolean): Promise<IncomingMessage> {
    req.signal?.throwIfAborted();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    const auth = this.conn.authorization;
    const value = typeof auth === 'function' ? await auth() : auth;
    if (value) headers.Authorization = value;
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    let path = this.prefix + req.path;
    if (req.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query)) if (v !== undefined) q.set(k, String(v));
      const s = q.toString();
      if (s) path += `?${s}`;
    }
    return new Promise<IncomingMessage>((resolve, reject) => {
      const r = this.mod.request(
        {
          method: req.method,
          host: this.server.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: this.server.port || undefined,
          path,
          headers,
          agent: this.agent,
          ...(req.signal ? { signal: req.signal } : {}),
        },
        resolve,
      );
      r.on('error', reject);
      const idle = streaming ? req.idleTimeoutMs : this.timeoutMs;
      if (idle !== undefined && idle > 0) {
        r.setTimeout(idle, () => {
          r.destroy(new Error(`no data for ${idle} ms`));
        });
      }
      r.end(req.body);
    });
  }
}
