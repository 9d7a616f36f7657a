import { randomBytes } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nameErrors } from '../lifecycle/names.js';
import { VirtualCluster } from '../registry/cluster.js';
import { loadParts } from '../registry/parts.js';
import { BuiltinTypes, ClusterTypes } from '../registry/types.js';
import { registerCrd } from '../lifecycle/crd.js';
import { resumeLifecycle } from '../lifecycle/hooks.js';
import { ObjectStore } from '../storage/object-store.js';
import { memoryPersistence, type Persistence } from '../storage/persistence.js';
import { sqlitePersistence } from '../storage/sqlite.js';
import { generateTls, type TlsMaterial } from '../tls/certs.js';
import { dispatch, VERSION_INFO } from './dispatch.js';
import { sendError, sendJson } from './http.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { seedCluster } from './seed.js';
import { ApiError } from '../contracts.js';

export interface ApiServerOptions {
  /** Where state (SQLite) and kubeconfigs live. Without it, kubeconfigs go to a temporary folder. */
  stateDir?: string;
  /** Keep objects in memory only (nothing survives a restart). */
  memory?: boolean;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  clusters: string[];
  /** Interval of watch BOOKMARK events (default 10 s). */
  bookmarkIntervalMs?: number;
  /** Recent events kept per cluster for watch resumption (default 1,000); older resumes get 410. */
  eventWindow?: number;
  /** Time source for timestamps (default: the system clock). */
  clock?: Clock;
}

export interface ApiServer {
  readonly port: number;
  /** The CA (PEM) that signed the serving certificate, as in every kubeconfig. */
  readonly caPem: string;
  /** The admin bearer token of a cluster. */
  token(cluster: string): string;
  url(cluster: string): string;
  kubeconfigPath(cluster: string): string;
  kubeconfig(cluster: string): string;
  clusters(): string[];
  addCluster(name: string): Promise<void>;
  removeCluster(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function loadTls(p: Persistence): Promise<TlsMaterial> {
  const saved = p.getMeta('tls');
  if (saved) return JSON.parse(saved) as TlsMaterial;
  const tls = await generateTls();
  p.setMeta('tls', JSON.stringify(tls));
  return tls;
}

const CLUSTER_PATH = /^\/clusters\/([^/?]+)(\/[^?]*)?(?:\?(.*))?$/;

/** Starts the embedded API server: one HTTPS listener, many virtual clusters. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const parts = await loadParts();
  const builtins = new BuiltinTypes(parts);
  const memory = opts.memory ?? !opts.stateDir;
  if (!memory && !opts.stateDir)
    throw new Error('startApiServer: stateDir is required unless memory is true');
  const tmp = opts.stateDir ? undefined : mkdtempSync(join(tmpdir(), 'flotilla-apiserver-'));
  const dir = opts.stateDir ?? tmp!;
  mkdirSync(dir, { recursive: true });
  const persistence = memory ? memoryPersistence() : sqlitePersistence(dir);
  const tls = await loadTls(persistence);
  const persisted = new Map(persistence.clusters().map((c) => [c.name, c]));
  const clusters = new Map<string, VirtualCluster>();
  const bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 10_000;
  const host = opts.host ?? '127.0.0.1';

  const server: Server = createServer(
    { key: tls.keyPem, cert: tls.certPem, ALPNProtocols: ['http/1.1'] },
    (req, res) => {
      const m = CLUSTER_PATH.exec(req.url ?? '/');
      const c = m ? clusters.get(m[1]) : undefined;
      if (!m || !c) {
        if (req.url === '/version') {
          sendJson(res, 200, VERSION_INFO);
          return;
        }
        if (req.url === '/healthz' || req.url === '/readyz' || req.url === '/livez') {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '2' });
          res.end('ok');
          return;
        }
        req.resume();
        sendError(
          res,
          new ApiError(
            404,
            'NotFound',
            m
              ? `cluster "${m[1]}" not found: it is not served here`
              : 'the server could not find the requested resource: paths start with /clusters/<name>/',
          ),
        );
        return;
      }
      void dispatch(c, req, res, m[2] ?? '/', new URLSearchParams(m[3] ?? ''), bookmarkIntervalMs);
    },
  );
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.requestTimeout = 0;
  server.on('clientError', (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After start, listener errors (e.g. too many open files) are reported, never fatal.
  server.on('error', (err) => process.stderr.write(`flotilla apiserver: listener error: ${String(err)}\n`));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = (name: string) => `https://127.0.0.1:${port}/clusters/${name}`;
  const kubeconfigPath = (name: string) => join(dir, `${name}.kubeconfig`);

  function addClusterSync(name: string): void {
    if (clusters.has(name)) return;
    const errs = nameErrors(name, 'label', 'cluster');
    if (errs.length > 0) throw new Error(`invalid cluster name ${JSON.stringify(name)}: ${errs[0].message}`);
    const saved = persisted.get(name);
    const token = saved?.token ?? randomBytes(24).toString('base64url');
    const store = new ObjectStore(name, persistence, 0, opts.eventWindow ?? 1000);
    const types = new ClusterTypes(builtins);
    const c = new VirtualCluster(name, token, store, types, parts, opts.clock);
    if (saved) {
      for (const row of persistence.objects(name)) store.load(row.resource, row.key, row.data);
      if (saved.rv > store.rv) store.rv = saved.rv;
      store.finishLoad();
      // CRDs being deleted are served until their cleanup (resumed below) removes their objects.
      for (const e of store.list('apiextensions.k8s.io/customresourcedefinitions')) registerCrd(c, e.obj);
      resumeLifecycle(c);
    } else {
      persistence.putCluster(name, token);
      persisted.set(name, { name, token, rv: 0 });
      seedCluster(store, c.now());
      store.finishLoad();
    }
    clusters.set(name, c);
    writeFileSync(kubeconfigPath(name), kubeconfigYaml(name, url(name), tls.caPem, token), { mode: 0o600 });
  }

  for (const name of opts.clusters) addClusterSync(name);

  return {
    port,
    caPem: tls.caPem,
    token: (name) => {
      const c = clusters.get(name);
      if (!c)
        throw new Error(`cluster ${JSON.stringify(name)} is not served here: add it with addCluster first`);
      return c.token;
    },
    url,
    kubeconfigPath,
    kubeconfig: (name) => kubeconfigYaml(name, url(name), tls.caPem, clusters.get(name)?.token ?? ''),
    clusters: () => [...clusters.keys()],
    async addCluster(name) {
      addClusterSync(name);
    },
    async removeCluster(name) {
      const c = clusters.get(name);
      if (!c) return;
      clusters.delete(name);
      c.closed = true;
      c.store.hub.closeAll(c.store.rv);
      c.types.dispose();
      persistence.dropCluster(name);
      persisted.delete(name);
      try {
        unlinkSync(kubeconfigPath(name));
      } catch {
        // already gone
      }
    },
    async stop() {
      for (const c of clusters.values()) c.closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      persistence.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}
