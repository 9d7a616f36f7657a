/**
 * Drift detection benchmark. Prints one JSON object:
 *   baselineMs         ResourceSummaries written → every watched object has a baseline hash
 *   driftToReportMs    edit of a watched object sent → the ResourceSummary's resourcesChanged
 *                      seen true by a watch (p50/p99/max over sequential edits)
 * Each edit is followed by the management plane's reset (flags only) and the agent's new
 * baseline before the next one. The embedded API server, the agent and the observer share this
 * process (2-core machine): the figures include the server's work.
 * Options (`--name=N` or `--name N`): --resources N watched ConfigMaps (default 100),
 * --summaries N ResourceSummaries sharing them out (default 1), --edits N (default 200).
 */
import { performance } from 'node:perf_hooks';
import { createAgent, buildResourceSummary, driftResetPatch } from '../src/agent/index.js';
import type { ResourceSummary } from '../src/api/index.js';
import { startApiServer } from '../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../src/kube/index.js';
import { Informer } from '../src/runtime/index.js';

const arg = (name: string, dflt: number) => {
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return Number(eq.slice(name.length + 3));
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

const RESOURCES = arg('resources', 100);
const SUMMARIES = Math.max(1, Math.min(arg('summaries', 1), RESOURCES));
const EDITS = arg('edits', 200);
const NS = 'bench';
const RS = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'ResourceSummary',
  namespace: 'projectsveltos',
};

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0) * 100) / 100;
}

async function main(): Promise<void> {
  const server = await startApiServer({ memory: true, port: 0, clusters: ['c1'] });
  const kubeconfig = { file: server.kubeconfigPath('c1') };
  const mgmt = await KubeClient.fromKubeconfig(kubeconfig, { name: 'mgmt' });
  const agentClient = await KubeClient.fromKubeconfig(kubeconfig);
  const stop = new AbortController();
  try {
    for (const ns of [NS, 'projectsveltos'])
      await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let i = 0; i < RESOURCES; i++)
      await mgmt.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: NS },
        data: { v: '0' },
      });

    const agent = createAgent({
      client: agentClient,
      clusterName: 'c1',
      clusterNamespace: 'default',
      clusterType: 'Sveltos',
    });
    const agentRun = agent.start(stop.signal);
    while (true) {
      try {
        await mgmt.resource(RS.apiVersion, RS.kind);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
    }

    // The observer: a watch on ResourceSummaries, as the management plane has.
    const observer = new Informer<ResourceSummary & KubeObject>(mgmt, RS);
    let waiter: { test: (rs: ResourceSummary) => boolean; resolve: () => void } | undefined;
    const check = (rs: ResourceSummary & KubeObject) => {
      if (waiter?.test(rs)) {
        const w = waiter;
        waiter = undefined;
        w.resolve();
      }
    };
    observer.addHandler({ onAdd: check, onUpdate: (_, b) => check(b) });
    const observerRun = observer.start(stop.signal);
    await observer.waitForSync();
    const until = (test: () => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        if (test()) return resolve();
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000);
        waiter = {
          test: () => test(),
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        };
      });
    const all = () => observer.store.list();
    const baselined = () =>
      all().length === SUMMARIES &&
      all().every((rs) => rs.status?.resourcesChanged === false) &&
      all().reduce((n, rs) => n + (rs.status?.resourceHashes?.length ?? 0), 0) === RESOURCES;

    const per = Math.ceil(RESOURCES / SUMMARIES);
    const owner = (i: number) => `s-${Math.floor(i / per)}`;
    const t0 = performance.now();
    for (let s = 0; s < SUMMARIES; s++) {
      const resources = [];
      for (let i = s * per; i < Math.min(RESOURCES, (s + 1) * per); i++)
        resources.push({ group: '', version: 'v1', kind: 'ConfigMap', namespace: NS, name: `cm-${i}` });
      const rs = buildResourceSummary({
        clusterSummary: { namespace: 'default', name: `s-${s}` },
        resources,
      });
      await mgmt.apply(rs as KubeObject, { fieldManager: 'bench', force: true });
    }
    await until(baselined, 'the first baseline');
    const baselineMs = performance.now() - t0;

    const lat: number[] = [];
    for (let e = 0; e < EDITS; e++) {
      const i = e % RESOURCES;
      const name = owner(i);
      const start = performance.now();
      const flagged = until(
        () => observer.store.getByName(RS.namespace, name)?.status?.resourcesChanged === true,
        `drift ${e}`,
      );
      await mgmt.patch(
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: `cm-${i}` },
        { data: { v: `${e + 1}` } },
        'merge',
      );
      await flagged;
      lat.push(performance.now() - start);
      await mgmt.patch({ ...RS, name }, driftResetPatch({ keepBaselines: true }), 'merge', {
        subresource: 'status',
      });
      await until(baselined, `baseline after edit ${e}`);
    }
    stop.abort();
    await Promise.all([agentRun, observerRun]);
    const result = {
      benchmark: 'drift',
      watchedResources: RESOURCES,
      resourceSummaries: SUMMARIES,
      edits: EDITS,
      baselineMs: Math.round(baselineMs),
      driftToReportMs: { p50: pct(lat, 50), p99: pct(lat, 99), max: pct(lat, 100) },
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      note: 'API server, agent and observer in one process',
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    stop.abort();
    mgmt.close();
    agentClient.close();
    await server.stop();
  }
}

await main();
