/**
 * Embedded API server benchmark. Prints one JSON object:
 *   writesPerSec          create+update of ConfigMaps over HTTPS (keep-alive, 8 concurrent clients)
 *   watchEventsPerSec     events delivered to 100 concurrent watchers while ConfigMaps are created
 *   rssPerIdleClusterMiB  resident memory per added idle virtual cluster
 *   start200ClustersMs    time to start a server with 200 virtual clusters
 * The server runs in a child process so client work does not share its event loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startApiServer } from '../src/apiserver/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function childServer(): Promise<void> {
  const s = await startApiServer({ memory: true, port: 0, clusters: ['bench'] });
  process.stdout.write(`${JSON.stringify({ port: s.port, kubeconfig: s.kubeconfig('bench') })}\n`);
  // Each line on stdin asks for the CPU time used so far (to report server cost per operation).
  createInterface({ input: process.stdin }).on('line', () => {
    const u = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuUs: u.user + u.system })}\n`);
  });
  process.stdin.on('end', () => void s.stop().then(() => process.exit(0)));
}

async function childClusters(): Promise<void> {
  const names = Array.from({ length: 200 }, (_, i) => `c${i}`);
  const t0 = performance.now();
  const s = await startApiServer({ memory: true, port: 0, clusters: names });
  const start200ClustersMs = performance.now() - t0;
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 200; i++) await s.addCluster(`idle${i}`);
  gc();
  await new Promise((r) => setTimeout(r, 100));
  gc();
  const rss1 = process.memoryUsage().rss;
  await s.stop();
  process.stdout.write(
    `${JSON.stringify({ start200ClustersMs, rssPerIdleClusterMiB: (rss1 - rss0) / 200 / 1024 / 1024 })}\n`,
  );
}

function spawnChild(mode: string): ChildProcess {
  const extra = process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ') : [];
  return spawn(process.execPath, [...extra, ...process.execArgv, fileURLToPath(import.meta.url), mode], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

function lines(p: ChildProcess): () => Promise<any> {
  const queue: string[] = [];
  const waiters: ((s: string) => void)[] = [];
  createInterface({ input: p.stdout! }).on('line', (l) => {
    const w = waiters.shift();
    if (w) w(l);
    else queue.push(l);
  });
  return () =>
    new Promise((resolve) => {
      const l = queue.shift();
      if (l !== undefined) resolve(JSON.parse(l));
      else waiters.push((x) => resolve(JSON.parse(x)));
    });
}

interface Conn {
  port: number;
  token: string;
  ca: Buffer;
  agent: Agent;
}

function call(
  c: Conn,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: c.port,
        method,
        path: `/clusters/bench${path}`,
        agent: c.agent,
        ca: c.ca,
        headers: {
          authorization: `Bearer ${c.token}`,
          'content-type': 'application/json',
          ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function writes(
  c: Conn,
  ns: string,
  prefix: string,
  clients: number,
  durationMs: number,
): Promise<number> {
  let ops = 0;
  const deadline = performance.now() + durationMs;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const created = await call(
          c,
          'POST',
          `/api/v1/namespaces/${ns}/configmaps`,
          JSON.stringify({ metadata: { name: `${prefix}${w}-${i}` }, data: { n: String(i) } }),
        );
        if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.body}`);
        const obj = JSON.parse(created.body);
        obj.data.n = `${i}-updated`;
        const updated = await call(
          c,
          'PUT',
          `/api/v1/namespaces/${ns}/configmaps/${obj.metadata.name}`,
          JSON.stringify(obj),
        );
        if (updated.status !== 200) throw new Error(`update failed: ${updated.status} ${updated.body}`);
        ops += 2;
      }
    }),
  );
  return ops / ((performance.now() - t0) / 1000);
}

async function watchEvents(c: Conn, watchers: number, events: number): Promise<number> {
  await call(c, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'watched' } }));
  const list = JSON.parse((await call(c, 'GET', '/api/v1/namespaces/watched/configmaps')).body);
  const rv = list.metadata.resourceVersion;
  const counts = new Array<number>(watchers).fill(0);
  let finished = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const reqs = await Promise.all(
    Array.from(
      { length: watchers },
      (_, i) =>
        new Promise<ReturnType<typeof request>>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: c.port,
              path: `/clusters/bench/api/v1/namespaces/watched/configmaps?watch=1&resourceVersion=${rv}`,
              ca: c.ca,
              agent: false,
              headers: { authorization: `Bearer ${c.token}` },
            },
            (res) => {
              res.on('data', (chunk: Buffer) => {
                for (let j = chunk.indexOf(10); j !== -1; j = chunk.indexOf(10, j + 1)) counts[i]++;
                if (counts[i] === events && ++finished === watchers) resolveAll();
              });
              resolve(req);
            },
          );
          req.on('error', reject);
          req.end();
        }),
    ),
  );
  const t0 = performance.now();
  const clients = 8;
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      for (let i = w; i < events; i += clients) {
        const r = await call(
          c,
          'POST',
          '/api/v1/namespaces/watched/configmaps',
          JSON.stringify({ metadata: { name: `e${i}` } }),
        );
        if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body}`);
      }
    }),
  );
  await all;
  const secs = (performance.now() - t0) / 1000;
  for (const r of reqs) r.destroy();
  return (watchers * events) / secs;
}

async function main(): Promise<void> {
  const server = spawnChild('--child-server');
  const next = lines(server);
  const info = await next();
  const cpu = async () => {
    server.stdin!.write('cpu\n');
    return (await next()).cpuUs as number;
  };
  const token = /token: (\S+)/.exec(info.kubeconfig)![1];
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(info.kubeconfig)![1], 'base64');
  const conn: Conn = { port: info.port, token, ca, agent: new Agent({ keepAlive: true, maxSockets: 32 }) };
  await call(conn, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bench' } }));
  // Warm up long enough for V8 to optimise the write path: the figure is steady-state throughput.
  await writes(conn, 'bench', 'warm', 16, 3000);
  const cpu0 = await cpu();
  const before = performance.now();
  const writesPerSec = await writes(conn, 'bench', 'w', 16, 3000);
  const writeOps = (writesPerSec * (performance.now() - before)) / 1000;
  const serverCpuUsPerWrite = ((await cpu()) - cpu0) / writeOps;
  const watchEventsPerSec = await watchEvents(conn, 100, 2000);
  conn.agent.destroy();
  server.stdin!.end();
  await new Promise((r) => server.once('exit', r));
  const clusters = spawnChild('--child-clusters');
  const mem = await lines(clusters)();
  await new Promise((r) => clusters.once('exit', r));
  process.stdout.write(
    `${JSON.stringify({
      writesPerSec: Math.round(writesPerSec),
      serverCpuUsPerWrite: Math.round(serverCpuUsPerWrite),
      watchEventsPerSec: Math.round(watchEventsPerSec),
      rssPerIdleClusterMiB: Number(mem.rssPerIdleClusterMiB.toFixed(3)),
      start200ClustersMs: Math.round(mem.start200ClustersMs),
    })}\n`,
  );
}

const mode = process.argv[2];
if (mode === '--child-server') await childServer();
else if (mode === '--child-clusters') await childClusters();
else await main();
