/**
 * Controller runtime benchmark. Prints one JSON object:
 *   queueKeysPerSec          work-queue throughput: add/get/done of distinct and repeated keys, 4 workers
 *   eventLatencyMs           create request sent → informer handler, p50/p99 over sequential creates
 *   reconcileLatencyMs       create request sent → reconcile of its key by a controller
 *   fleet                    N clusters, each with its own client and a ConfigMap informer:
 *                            time until all synced and client-process heap/RSS per cluster
 * The API server runs in a child process so only the management side is measured.
 * Options (`--name=N` or `--name N`): --clusters N virtual clusters in the server (default 100), --clients N managed clusters
 * on the management side (default = clusters; more clients than clusters share server clusters
 * round-robin, each with its own connection and informers), --events N (default 300).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startApiServer } from '../src/apiserver/index.js';
import { KubeClient } from '../src/kube/index.js';
import { Controller, InformerFactory, Outcome, WorkQueue } from '../src/runtime/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
// `--name N` or `--name=N` (the bench runner passes only dash-prefixed words through).
const arg = (name: string, dflt: number) => {
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return Number(eq.slice(name.length + 3));
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

async function childServer(n: number): Promise<void> {
  const names = Array.from({ length: n }, (_, i) => `c${i}`);
  const s = await startApiServer({ memory: true, port: 0, clusters: names });
  process.stdout.write(`${JSON.stringify(Object.fromEntries(names.map((c) => [c, s.kubeconfig(c)])))}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void s.stop().then(() => process.exit(0)));
}

async function spawnServer(n: number): Promise<{ child: ChildProcess; kubeconfigs: Record<string, string> }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, '--child-server', String(n)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const rl = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  return { child, kubeconfigs: JSON.parse(line) };
}

async function queueThroughput(): Promise<number> {
  const q = new WorkQueue<string>();
  const total = 200_000;
  let processed = 0;
  const keys = Array.from({ length: 5000 }, (_, i) => `ns/key-${i}`);
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      const k = await q.get();
      if (k === undefined) return;
      processed++;
      q.done(k);
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  for (let i = 0; i < total; i++) {
    q.add(keys[i % keys.length]!);
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  while (q.len() > 0 || q.inFlight() > 0) await new Promise((r) => setImmediate(r));
  const ms = performance.now() - t0;
  await q.shutDownWithDrain();
  await Promise.all(workers);
  return Math.round((processed / ms) * 1000);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
}

type Latency = { p50: number; p99: number; n: number };

async function eventLatency(kubeconfig: string, n: number): Promise<{ event: Latency; reconcile: Latency }> {
  const client = await KubeClient.fromKubeconfig({ yaml: kubeconfig });
  const factory = new InformerFactory();
  const inf = factory.informer(client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
  const waiting = new Map<string, () => void>();
  const reconciling = new Map<string, () => void>();
  inf.addHandler({ onAdd: (o) => waiting.get(o.metadata?.name ?? '')?.() });
  const controller = new Controller({
    name: 'bench',
    reconcile: async (key) => {
      reconciling.get(key)?.();
      return Outcome.done;
    },
  });
  controller.watch(inf);
  const ac = new AbortController();
  const runs = [factory.start(ac.signal), controller.start(ac.signal)];
  await inf.waitForSync();
  const lat: number[] = [];
  const rec: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = `lat-${i}`;
    const seen = new Promise<number>((resolve) => waiting.set(name, () => resolve(performance.now())));
    const done = new Promise<number>((resolve) =>
      reconciling.set(`default/${name}`, () => resolve(performance.now())),
    );
    const created = performance.now();
    await client.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    lat.push(Math.max(0, (await seen) - created));
    rec.push(Math.max(0, (await done) - created));
    waiting.delete(name);
    reconciling.delete(`default/${name}`);
  }
  ac.abort();
  await Promise.all(runs);
  client.close();
  return {
    event: { p50: pct(lat, 50), p99: pct(lat, 99), n },
    reconcile: { p50: pct(rec, 50), p99: pct(rec, 99), n },
  };
}

async function fleet(kubeconfigs: Record<string, string>, clients_: number) {
  const servers = Object.keys(kubeconfigs);
  const names = Array.from({ length: clients_ }, (_, i) => `m${i}`);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const factory = new InformerFactory();
  const clients: KubeClient[] = [];
  const informers = [];
  for (const [i, name] of names.entries()) {
    const c = await KubeClient.fromKubeconfig({ yaml: kubeconfigs[servers[i % servers.length]!]! }, { name });
    clients.push(c);
    informers.push(factory.informer(c, { apiVersion: 'v1', kind: 'ConfigMap' }));
    informers.push(factory.informer(c, { apiVersion: 'v1', kind: 'Namespace' }));
  }
  const clientsMs = performance.now() - t0;
  const cpu0 = process.cpuUsage();
  const ac = new AbortController();
  const run = factory.start(ac.signal);
  await Promise.all(informers.map((i) => i.waitForSync()));
  const syncMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  gc();
  await new Promise((r) => setTimeout(r, 200));
  gc();
  const mem = process.memoryUsage();
  const result = {
    clusters: names.length,
    serverClusters: servers.length,
    informers: informers.length,
    allSyncedMs: Math.round(syncMs),
    clientsCreatedMs: Math.round(clientsMs),
    syncCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    heapPerClusterKiB: Math.round((mem.heapUsed - heap0) / names.length / 1024),
    rssPerClusterKiB: Math.round((mem.rss - rss0) / names.length / 1024),
    rssTotalMiB: Math.round(mem.rss / 1024 / 1024),
  };
  const t1 = performance.now();
  for (const n of names) await factory.dropCluster(n);
  const dropAllMs = Math.round(performance.now() - t1);
  ac.abort();
  await run;
  for (const c of clients) c.close();
  return { ...result, dropAllMs };
}

async function main(): Promise<void> {
  const clusters = arg('clusters', 100);
  const clientCount = arg('clients', clusters);
  const events = arg('events', 300);
  const queueKeysPerSec = await queueThroughput();
  const { child, kubeconfigs } = await spawnServer(clusters);
  try {
    const latency = await eventLatency(kubeconfigs.c0!, events);
    const fleetResult = await fleet(kubeconfigs, clientCount);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'runtime',
        queueKeysPerSec,
        eventLatencyMs: latency.event,
        reconcileLatencyMs: latency.reconcile,
        fleet: fleetResult,
      })}\n`,
    );
  } finally {
    child.stdin?.end();
    await new Promise((r) => child.once('exit', r));
  }
}

const childIdx = process.argv.indexOf('--child-server');
if (childIdx > 0) await childServer(Number(process.argv[childIdx + 1]));
else await main();
