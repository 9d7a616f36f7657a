/**
 * Add-on fan-out benchmark. Prints one JSON object: the time for a ClusterProfile with 10
 * ConfigMaps to reach Provisioned on N embedded clusters (default 100 and 1,000; `--sizes=100,1000`)
 * and the process's peak RSS. Everything runs in one process: the embedded API server with the
 * management cluster and N managed clusters, and the add-on controllers.
 * and drift-to-correction latency p50/p99 over `--drift-edits=50` edits with the drift agent
 * (null when src/agent is not available).
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { startApiServer } from '../src/apiserver/index.js';
import { createStandaloneAddon } from '../src/controllers/addon/index.js';
import { KubeClient, type KubeObject } from '../src/kube/index.js';

const arg = (name: string, dflt: string) => {
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};

const CRDS = new URL(
  import.meta.url.includes('/dist/') ? '../../assets/sveltos/crds.yaml' : '../assets/sveltos/crds.yaml',
  import.meta.url,
);
const NS = 'fleet';

async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

interface Result {
  clusters: number;
  setupMs: number;
  /** Wall time from the ClusterProfile's creation to every ClusterSummary Provisioned. */
  provisionedMs: number;
  /** CPU time of the process (server + controllers) over the same span: less sensitive to load. */
  provisionedCpuMs: number;
  objects: number;
}

async function run(n: number): Promise<Result> {
  const names = Array.from({ length: n }, (_, i) => `c${i}`);
  const t0 = performance.now();
  const server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', ...names] });
  const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  for (const d of parseAllDocuments(readFileSync(CRDS, 'utf8'))) {
    const o = d.toJS() as KubeObject | null;
    if (o?.kind === 'CustomResourceDefinition')
      await mgmt.create({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.metadata?.name },
        spec: o.spec,
      });
  }
  await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await pool(names, 16, async (c) => {
    await mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${c}-sveltos-kubeconfig`, namespace: NS },
      data: { kubeconfig: Buffer.from(server.kubeconfig(c)).toString('base64') },
    });
    const sc = await mgmt.create<KubeObject>({
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'SveltosCluster',
      metadata: { name: c, namespace: NS, labels: { env: 'bench' } },
      spec: {},
    });
    await mgmt.updateStatus({ ...sc, status: { ready: true } });
  });
  const docs = Array.from(
    { length: 10 },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: addon-${i}\n  namespace: default\ndata:\n  index: "${i}"\n  payload: "${'x'.repeat(200)}"\n`,
  ).join('---\n');
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'fanout-src', namespace: 'default' },
    data: { 'c.yaml': docs },
  });

  const ac = new AbortController();
  const addon = createStandaloneAddon({ mgmt, needLeaderElection: false, workers: 32 });
  const { informers } = addon;
  const provisioned = new Set<string>();
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const summaries = informers.informer({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterSummary',
  });
  const check = (o: KubeObject) => {
    const fs = (o.status as { featureSummaries?: { status?: string }[] } | undefined)?.featureSummaries ?? [];
    if (fs.length > 0 && fs.every((f) => f.status === 'Provisioned')) provisioned.add(o.metadata?.name ?? '');
    if (provisioned.size >= n) resolveDone();
  };
  summaries.addHandler({ onAdd: check, onUpdate: (_a, b) => check(b) });
  const runs = addon.runnables.map((r) => r.start(ac.signal));
  await Promise.all([summaries.waitForSync(ac.signal)]);
  const setupMs = performance.now() - t0;
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  await mgmt.create({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterProfile',
    metadata: { name: 'fanout' },
    spec: {
      clusterSelector: { matchLabels: { env: 'bench' } },
      policyRefs: [{ kind: 'ConfigMap', name: 'fanout-src', namespace: 'default' }],
    },
  });
  await done;
  const provisionedMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const provisionedCpuMs = (cpu.user + cpu.system) / 1000;
  // Spot check: the last cluster holds the 10 ConfigMaps.
  const last = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig(names[n - 1]!) }, { name: 'check' });
  const objects = (
    await last.list(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' },
      { labelSelector: 'projectsveltos.io/reason' },
    )
  ).items.length;
  last.close();
  ac.abort();
  await Promise.all(runs);
  addon.access.close();
  mgmt.close();
  await server.stop();
  return {
    clusters: n,
    setupMs: Math.round(setupMs),
    provisionedMs: Math.round(provisionedMs),
    provisionedCpuMs: Math.round(provisionedCpuMs),
    objects,
  };
}

/**
 * Drift → correction: 10 clusters, each with the drift agent (agentless: in this process), a
 * ContinuousWithDriftDetection profile; an edit of a deployed object, timed until a watch sees it
 * restored. Null when the agent module is not available.
 */
async function driftLatency(edits: number): Promise<{ p50: number; p99: number; edits: number } | null> {
  const agentPath = '../src/agent/index.js';
  let createAgent: ((o: Record<string, unknown>) => { start(s: AbortSignal): Promise<void> }) | undefined;
  try {
    createAgent = ((await import(agentPath)) as { createAgent?: typeof createAgent }).createAgent;
  } catch {
    return null;
  }
  if (!createAgent) return null;
  const n = 10;
  const names = Array.from({ length: n }, (_, i) => `d${i}`);
  const server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', ...names] });
  const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  for (const d of parseAllDocuments(readFileSync(CRDS, 'utf8'))) {
    const o = d.toJS() as KubeObject | null;
    if (o?.kind === 'CustomResourceDefinition')
      await mgmt.create({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.metadata?.name },
        spec: o.spec,
      });
  }
  await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const ac = new AbortController();
  const runs: Promise<void>[] = [];
  const clients = new Map<string, KubeClient>();
  for (const c of names) {
    await mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${c}-sveltos-kubeconfig`, namespace: NS },
      data: { kubeconfig: Buffer.from(server.kubeconfig(c)).toString('base64') },
    });
    const sc = await mgmt.create<KubeObject>({
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'SveltosCluster',
      metadata: { name: c, namespace: NS, labels: { drift: 'bench' } },
      spec: {},
    });
    await mgmt.updateStatus({ ...sc, status: { ready: true } });
    const client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig(c) }, { name: `agent-${c}` });
    clients.set(c, client);
    runs.push(
      createAgent({ client, clusterName: c, clusterNamespace: NS, clusterType: 'Sveltos' }).start(ac.signal),
    );
  }
  const doc =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guarded\n  namespace: default\ndata:\n  level: safe\n';
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'drift-src', namespace: 'default' },
    data: { 'c.yaml': doc },
  });
  const addon = createStandaloneAddon({ mgmt, needLeaderElection: false });
  runs.push(...addon.runnables.map((r) => r.start(ac.signal)));
  await mgmt.create({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterProfile',
    metadata: { name: 'drift' },
    spec: {
      clusterSelector: { matchLabels: { drift: 'bench' } },
      syncMode: 'ContinuousWithDriftDetection',
      policyRefs: [{ kind: 'ConfigMap', name: 'drift-src', namespace: 'default' }],
    },
  });
  const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'guarded' };
  const rsRef = (c: string) => ({
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'ResourceSummary',
    namespace: 'projectsveltos',
    name: `drift-sveltos-${c}`,
  });
  const ready = async (c: string) => {
    for (;;) {
      try {
        const rs = await clients.get(c)!.get(rsRef(c));
        const st = rs.status as { resourcesChanged?: boolean; resourceHashes?: unknown[] } | undefined;
        if (st?.resourcesChanged === false && (st.resourceHashes ?? []).length > 0) return;
      } catch {
        // not there yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  for (const c of names) await ready(c);
  const lat: number[] = [];
  for (let i = 0; i < edits; i++) {
    const c = names[i % n]!;
    const client = clients.get(c)!;
    const cur = await client.get(ref);
    const wac = new AbortController();
    const restored = (async () => {
      for await (const ev of client.watch(
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' },
        {
          resourceVersion: cur.metadata?.resourceVersion ?? '',
          fieldSelector: 'metadata.name=guarded',
          signal: wac.signal,
        },
      )) {
        if ((ev.object.data as Record<string, string> | undefined)?.level === 'safe') return;
      }
    })();
    const t = performance.now();
    await client.patch(ref, { data: { level: `tampered-${i}` } }, 'merge');
    await restored;
    lat.push(performance.now() - t);
    wac.abort();
    await ready(c);
  }
  ac.abort();
  await Promise.all(runs);
  addon.access.close();
  for (const c of clients.values()) c.close();
  mgmt.close();
  await server.stop();
  lat.sort((a, b) => a - b);
  const q = (p: number) => Math.round(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! * 10) / 10;
  return { p50: q(0.5), p99: q(0.99), edits };
}

const sizes = arg('sizes', '100,1000')
  .split(',')
  .map((s) => Number(s))
  .filter((x) => x > 0);
const results = [];
for (const n of sizes) results.push(await run(n));
const drift =
  Number(arg('drift-edits', '50')) > 0 ? await driftLatency(Number(arg('drift-edits', '50'))) : null;
const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(
  `${JSON.stringify({
    bench: 'fanout',
    resourcesPerProfile: 10,
    results,
    peakRssMiB,
    targets: { provisioned1000ClustersMs: 30_000, peakRssMiB: 1024 },
    loadAverage: (await import('node:os')).loadavg()[0],
    driftToCorrectionMs: drift,
    ...(drift ? {} : { note: 'driftToCorrectionMs is null: the drift agent (src/agent) is not available' }),
  })}\n`,
);
