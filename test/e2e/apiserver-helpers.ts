import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';

export interface Harness {
  server: ApiServer;
  home: string;
  kubectl(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Raw HTTPS request against a cluster, with its admin token unless `token` is given. */
  http(
    method: string,
    path: string,
    body?: string | Buffer,
    headers?: Record<string, string>,
    token?: string | null,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
  file(name: string, text: string): string;
  close(): Promise<void>;
}

/** Starts an in-memory API server on a free port with the given clusters, plus a kubectl runner. */
export async function startHarness(
  clusters = ['test'],
  opts: { stateDir?: string; memory?: boolean; bookmarkIntervalMs?: number } = {},
): Promise<Harness> {
  const server = await startApiServer({
    memory: opts.memory ?? true,
    port: 0,
    clusters,
    stateDir: opts.stateDir,
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
  });
  const home = mkdtempSync(join(tmpdir(), 'flotilla-kubectl-'));
  const cluster = clusters[0];
  const tokenOf = () => /token: (\S+)/.exec(server.kubeconfig(cluster))![1];
  const caOf = () =>
    Buffer.from(/certificate-authority-data: (\S+)/.exec(server.kubeconfig(cluster))![1], 'base64');
  return {
    server,
    home,
    kubectl(args, stdin) {
      return new Promise((resolve, reject) => {
        const p = spawn('kubectl', ['--kubeconfig', server.kubeconfigPath(cluster), ...args], {
          env: { ...process.env, HOME: home, KUBECACHEDIR: join(home, 'cache') },
        });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.on('error', reject);
        p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
        if (stdin !== undefined) p.stdin.end(stdin);
        else p.stdin.end();
      });
    },
    http(method, path, body, headers = {}, token) {
      return new Promise((resolve, reject) => {
        const h: Record<string, string> = { ...headers };
        const t = token === undefined ? tokenOf() : token;
        if (t !== null) h.authorization = `Bearer ${t}`;
        if (body !== undefined) h['content-length'] = String(Buffer.byteLength(body));
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            method,
            path: `/clusters/${cluster}${path}`,
            headers: h,
            ca: caOf(),
            agent: false,
          },
          (res) => {
            let data = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (data += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    file(name, text) {
      const p = join(home, name);
      writeFileSync(p, text);
      return p;
    },
    async close() {
      await server.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
