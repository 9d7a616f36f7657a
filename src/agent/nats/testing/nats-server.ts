/**
 * A real `nats-server -js` for tests (never a mock): a free port on 127.0.0.1, a temporary store
 * directory, optional user/password or token auth. `restart()` keeps the port and the store, so
 * JetStream streams and durable consumers survive it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServerOptions {
  /** Enable JetStream. Default true. */
  jetstream?: boolean;
  user?: { user: string; password: string };
  token?: string;
  /** Serve TLS with this material; `verifyClients` requires client certificates signed by `caPem`. */
  tls?: { certPem: string; keyPem: string; caPem: string; verifyClients?: boolean };
  /** The binary. Default `$NATS_SERVER_BIN`, `/usr/sbin/nats-server`, then `nats-server` on PATH. */
  binary?: string;
  /** Longest wait for "Server is ready". Default 15 s. */
  readyTimeoutMs?: number;
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Stops the process (the store is kept for `start`). */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and removes the store. */
  close(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function findBinary(explicit?: string): string {
  const candidates = [explicit, process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/bin/nats-server'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return 'nats-server';
}

/** Starts a nats-server for a test; always `close()` it (e.g. in `after`). */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'flotilla-nats-'));
  const binary = findBinary(opts.binary);
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (opts.jetstream ?? true) args.push('-js', '-sd', storeDir);
  if (opts.user) args.push('--user', opts.user.user, '--pass', opts.user.password);
  if (opts.token) args.push('--auth', opts.token);
  if (opts.tls) {
    const file = (n: string) => join(storeDir, n);
    await writeFile(file('server.pem'), opts.tls.certPem);
    await writeFile(file('server-key.pem'), opts.tls.keyPem, { mode: 0o600 });
    await writeFile(file('ca.pem'), opts.tls.caPem);
    args.push('--tls', '--tlscert', file('server.pem'), '--tlskey', file('server-key.pem'));
    args.push('--tlscacert', file('ca.pem'));
    if (opts.tls.verifyClients) args.push('--tlsverify');
  }
  let child: ChildProcess | undefined;
  let output = '';

  const start = () =>
    new Promise<void>((resolve, reject) => {
      if (child) return resolve();
      const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(
          new Error(
            `nats-server on port ${port} not ready after ${opts.readyTimeoutMs ?? 15_000} ms:\n${output}`,
          ),
        );
      }, opts.readyTimeoutMs ?? 15_000);
      let mine = '';
      const onData = (b: Buffer) => {
        output += b.toString();
        if (output.length > 200_000) output = output.slice(-100_000);
        if (mine.length < 100_000) mine += b.toString();
        if (mine.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('error', (err) => {
        clearTimeout(timer);
        child = undefined;
        reject(
          new Error(
            `cannot run ${binary} (install the nats-server package or set NATS_SERVER_BIN): ${err.message}`,
          ),
        );
      });
      proc.once('exit', (code, sig) => {
        clearTimeout(timer);
        if (child === proc) child = undefined;
        reject(new Error(`nats-server exited (code ${code}, signal ${sig}) before it was ready:\n${output}`));
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const proc = child;
      if (!proc || proc.exitCode !== null) {
        child = undefined;
        return resolve();
      }
      proc.once('exit', () => resolve());
      child = undefined;
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    });

  const server: NatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop,
    start: async () => {
      output += '\n--- start ---\n';
      await start();
    },
    restart: async () => {
      await stop();
      output += '\n--- restart ---\n';
      await start();
    },
    close: async () => {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
    log: () => output,
  };
  try {
    await start();
  } catch (err) {
    await rm(storeDir, { recursive: true, force: true });
    throw err;
  }
  return server;
}
