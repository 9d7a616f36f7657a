/**
 * Event framework benchmark, whole chain (issue #5). Prints one JSON object:
 *   latency[]       per fleet size (`--sizes=10,100`): seed 004 — a LoadBalancer Service in an
 *                   `env: production` cluster gets its ingress IP (the status write is t0) → agentless
 *                   agent (watch, Lua evaluate) → EventReport in the management cluster → EventTrigger
 *                   → generated ClusterProfile + instantiated ConfigMap → ClusterSummary per
 *                   `dep: eng` cluster (half the fleet) → the selector-less Service and Endpoints
 *                   deployed, seen by a watch on each destination cluster. `firstDestinationMs` /
 *                   `lastDestinationMs`: p50/p95/p99/max over `--events=100` sequential events
 *                   (after `--warmup=5`), rotating over the source clusters; events accumulate
 *                   (nothing is deleted), so the last event has 100+ generated profiles around it.
 *                   `stagesP50Ms`: when the EventReport, the ClusterProfile, its first and last
 *                   ClusterSummary appeared (watches of the management cluster), after t0.
 *   throughput      the largest size: `--burst=50` Services get their IP at once across the source
 *                   clusters; events/s until every generated object exists in every destination;
 *                   `steadyRssMiB` after it settled (gc), of it the JS heap and external memory,
 *                   `peakRssMiB`.
 *   evaluations     Lua and CEL evaluations/s (bench/lua-cel.ts cases) and through the agent's
 *                   EventSource evaluation (seed 004 Lua `evaluate`; a CEL `evaluateCEL` rule).
 *   machine         cpus, node, loadAverage1m (before/after each phase: the machine is shared).
 *   sveltosFloorMs  Sveltos' best case for the same path: 3 s agent batch + 10 s collection.
 * Usage: node dist/bench/events.js [--sizes=10,100] [--events=100] [--burst=50] [--seconds=2]
 *        [--profile=FILE.cpuprofile] (CPU profile of the largest size's measured phases)
 */
import { setMaxListeners } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseAllDocuments } from 'yaml';
import { compileEventSource, evaluateEventSource } from '../src/agent/events/select.js';
import type { EventSource } from '../src/api/index.js';
import { compileCelRule } from '../src/engine/cel/rule.js';
import { LuaEngine } from '../src/engine/lua/engine.js';
import { evaluateSelector } from '../src/engine/lua/protocols.js';
import type { KubeClient, KubeObject } from '../src/kube/index.js';
import { Arrivals } from './_events-arrivals.js';
import { type EventFleet, pool, startEventFleet } from './_events-fleet.js';
import { type StageTimes, Stages } from './_events-stages.js';
import { CEL_RULE, measure, SCRIPT, service } from './lua-cel.js';

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const sizes = arg('sizes', '10,100')
  .split(',')
  .map(Number)
  .filter((n) => n >= 2);
const events = Number(arg('events', '100'));
const warmup = Number(arg('warmup', '5'));
const burst = Number(arg('burst', '50'));
const EVENT_TIMEOUT_MS = 60_000;

const SEED = new URL(
  import.meta.url.includes('/dist/')
    ? '../../src/controllers/event/testdata/seed-004-v1alpha1.yaml'
    : '../src/controllers/event/testdata/seed-004-v1alpha1.yaml',
  import.meta.url,
);
// The seed's v1alpha1 documents as they are: the API server converts them.
const seedDocs = () => parseAllDocuments(readFileSync(SEED, 'utf8')).map((d) => d.toJS()) as KubeObject[];

/** Progress for humans on stderr (stdout carries only the JSON). */
const progress = (line: string) => process.stderr.write(`[events] ${line}\n`);
const load = () => Math.round(loadavg()[0] * 100) / 100;
const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const gc = (globalThis as { gc?: () => void }).gc;

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Number(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!.toFixed(1));
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), n: s.length };
}

interface Plan {
  fleet: EventFleet;
  sources: { name: string; client: KubeClient }[];
  arrivals: Arrivals;
  stages: Stages;
  stop: AbortController;
  runs: Promise<void>[];
}

async function setUp(n: number): Promise<Plan> {
  // Even clusters are destinations (`dep: eng`), odd ones sources (`env: production`).
  const clusters = Array.from({ length: n }, (_, i) => ({
    name: `c${String(i).padStart(4, '0')}`,
    labels: (i % 2 === 0 ? { dep: 'eng' } : { env: 'production' }) as Record<string, string>,
  }));
  const t0 = performance.now();
  const fleet = await startEventFleet(clusters);
  progress(`${n} clusters ready in ${Math.round(performance.now() - t0)} ms`);
  const destinations = new Map<string, KubeClient>();
  const sources: Plan['sources'] = [];
  for (const c of clusters) {
    const client = await fleet.client(c.name);
    const ns = c.labels.dep ? 'external' : 'test';
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    if (c.labels.dep) destinations.set(c.name, client);
    else sources.push({ name: c.name, client });
  }
  for (const d of seedDocs()) await fleet.mgmt.create(d);
  const arrivals = new Arrivals(destinations);
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const stages = new Stages(fleet.mgmt);
  const runs = [...(await arrivals.start(stop.signal)), ...(await stages.start(stop.signal))];
  return { fleet, sources, arrivals, stages, stop, runs };
}

async function tearDown(p: Plan): Promise<void> {
  p.stop.abort();
  await Promise.all(p.runs);
  await p.fleet.stop();
}

/** Creates the source Service (no IP yet: not an event); returns the object for the status write. */
async function createService(client: KubeClient, name: string): Promise<KubeObject> {
  return client.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'test' },
    spec: {
      type: 'LoadBalancer',
      selector: { app: name },
      // One port: the seed's template writes unnamed ports (several need names).
      ports: [{ protocol: 'TCP', port: 443, targetPort: 8443 }],
    },
  });
}

const giveIp = (client: KubeClient, svc: KubeObject, i: number) =>
  client.updateStatus({
    ...svc,
    status: { loadBalancer: { ingress: [{ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }] } },
  });

/** `--profile=FILE`: a CPU profile of the measured phases only (not the fleet's set-up). */
const profileFile = arg('profile', '');
let session: Session | undefined;
async function profile(on: boolean): Promise<void> {
  if (!profileFile) return;
  if (on) {
    session ??= new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return;
  }
  if (!session) return;
  const { profile: data } = await session.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(data));
  session.disconnect();
  progress(`CPU profile written to ${profileFile}`);
}

async function latency(p: Plan, n: number) {
  const first: number[] = [];
  const last: number[] = [];
  const stageLists: Record<keyof StageTimes, number[]> = {
    report: [],
    profile: [],
    firstSummary: [],
    lastSummary: [],
  };
  const load0 = load();
  const cpu0 = process.cpuUsage();
  const t00 = performance.now();
  for (let i = 0; i < warmup + events; i++) {
    const src = p.sources[i % p.sources.length]!;
    const name = `svc-${i}`;
    const svc = await createService(src.client, name);
    p.arrivals.expect(name);
    p.stages.expect(name);
    const t0 = performance.now();
    await giveIp(src.client, svc, i);
    const times = await p.arrivals.wait(name, EVENT_TIMEOUT_MS);
    const stages = p.stages.take(name);
    if (i < warmup) continue;
    for (const k of Object.keys(stageLists) as (keyof StageTimes)[]) {
      const t = stages[k];
      if (t !== undefined) stageLists[k].push(t - t0);
    }
    first.push(times[0]! - t0);
    last.push(times[times.length - 1]! - t0);
    if ((i - warmup + 1) % 10 === 0)
      progress(
        `${n} clusters: event ${i - warmup + 1}/${events}: first ${first.at(-1)?.toFixed(1)} ms, last ${last.at(-1)?.toFixed(1)} ms, load ${load()}`,
      );
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    clusters: n,
    sourceClusters: p.sources.length,
    destinationClusters: n - p.sources.length,
    events,
    firstDestinationMs: stats(first),
    lastDestinationMs: stats(last),
    // when the chain's intermediate objects appeared (management-cluster watches), after t0
    stagesP50Ms: Object.fromEntries(
      Object.entries(stageLists).map(([k, xs]) => [k, xs.length ? stats(xs).p50 : null]),
    ),
    cpuMsPerEvent: Math.round((cpu.user + cpu.system) / 1000 / (warmup + events)),
    wallMs: Math.round(performance.now() - t00),
    loadAverage1m: { before: load0, after: load() },
  };
}

async function throughput(p: Plan, n: number) {
  const load0 = load();
  const made: { src: Plan['sources'][number]; svc: KubeObject; i: number; name: string }[] = [];
  for (let j = 0; j < burst; j++) {
    const src = p.sources[j % p.sources.length]!;
    const name = `burst-${j}`;
    made.push({ src, svc: await createService(src.client, name), i: 100_000 + j, name });
    p.arrivals.expect(name);
  }
  progress(`burst: ${burst} Services created, giving them their IPs`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await pool(made, 16, (m) => giveIp(m.src.client, m.svc, m.i).then(() => undefined));
  const written = performance.now() - t0;
  await Promise.all(made.map((m) => p.arrivals.wait(m.name, 10 * EVENT_TIMEOUT_MS)));
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  gc?.();
  await new Promise((r) => setTimeout(r, 2000));
  gc?.();
  const destinations = n - p.sources.length;
  return {
    clusters: n,
    events: burst,
    writesMs: Math.round(written),
    allAppliedMs: Math.round(elapsed),
    eventsPerSec: Number(((burst / elapsed) * 1000).toFixed(1)),
    deploymentsPerSec: Math.round(((burst * destinations) / elapsed) * 1000),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    steadyRssMiB: rssMiB(),
    // where the resident memory is: the JS heap, and Buffers/ArrayBuffers outside it
    steadyHeapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    steadyExternalMiB: Math.round(process.memoryUsage().external / 2 ** 20),
    loadAverage1m: { before: load0, after: load() },
  };
}

function evaluations() {
  const seconds = Number(arg('seconds', '2'));
  const obj = service();
  const reuse = new LuaEngine({ mode: 'reuse' }).compile(SCRIPT, { name: 'bench' });
  const fresh = new LuaEngine({ mode: 'fresh' }).compile(SCRIPT, { name: 'bench' });
  const rule = compileCelRule(CEL_RULE);
  if (!evaluateSelector(reuse, obj).matching || !rule.evaluate(obj))
    throw new Error('benchmark script/rule does not match the benchmark object');
  // The agent's path: a compiled EventSource over the cached objects (no verdict memo).
  const lua = new LuaEngine();
  const seed = seedDocs().find((d) => d.kind === 'EventSource') as EventSource;
  const withStatus = { ...obj, status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } };
  const seedEs = compileEventSource(seed, lua);
  const celEs = compileEventSource(
    {
      ...seed,
      spec: {
        resourceSelectors: [
          { group: '', version: 'v1', kind: 'Service', evaluateCEL: [{ name: 'https', rule: CEL_RULE }] },
        ],
      },
    } as EventSource,
    lua,
  );
  const objects = () => [withStatus as KubeObject];
  if (
    evaluateEventSource(seedEs, objects).matches.length !== 1 ||
    evaluateEventSource(celEs, objects).matches.length !== 1
  )
    throw new Error('benchmark EventSources do not match the benchmark object');
  return {
    objectBytes: JSON.stringify(obj).length,
    lua: {
      reuseEvalsPerSec: measure(() => evaluateSelector(reuse, obj), seconds),
      freshEvalsPerSec: measure(() => evaluateSelector(fresh, obj), seconds),
      eventSourceEvalsPerSec: measure(() => evaluateEventSource(seedEs, objects), seconds),
    },
    cel: {
      evalsPerSec: measure(() => rule.evaluate(obj), seconds),
      eventSourceEvalsPerSec: measure(() => evaluateEventSource(celEs, objects), seconds),
    },
    loadAverage1m: load(),
  };
}

const result: Record<string, unknown> = {
  benchmark: 'events',
  machine: { cpus: availableParallelism(), node: process.version, loadAverage1m: load() },
  targets: { clusters: 100, p50Ms: 50, p99Ms: 250 },
  sveltosFloorMs: { agentBatch: 3000, collection: 10000, total: 13000 },
};
result.evaluations = evaluations();
const lat = [];
let tp: unknown;
for (const [k, n] of sizes.entries()) {
  const p = await setUp(n);
  const last = k === sizes.length - 1;
  try {
    if (last) await profile(true);
    lat.push(await latency(p, n));
    if (last && burst > 0) tp = await throughput(p, n);
    if (last) await profile(false);
  } finally {
    await tearDown(p);
  }
}
result.latency = lat;
result.throughput = tp ?? null;
result.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
(result.machine as Record<string, unknown>).loadAverage1mEnd = load();
process.stdout.write(`${JSON.stringify(result)}\n`);
