/**
 * EventSource evaluation benchmark (agentless placement, embedded API server). Prints one JSON
 * object:
 *   changeToReportMs   a ConfigMap created/deleted in the managed cluster → the management-cluster
 *                      EventReport seen updated by a watch (p50/p99/max over sequential changes)
 *   sveltosFloorMs     what Sveltos needs at best for the same path: 3 s agent batch + 10 s
 *                      collection poll (its defaults), for comparison
 * Usage: node dist/bench/events-agent.js [--changes=N] (default 200)
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { createAgent } from '../src/agent/index.js';
import { eventsModule, StaticEventSources } from '../src/agent/events/index.js';
import type { EventReport } from '../src/api/index.js';
import { startApiServer } from '../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../src/kube/index.js';
import { Informer } from '../src/runtime/index.js';

const arg = process.argv.find((a) => a.startsWith('--changes='));
const changes = arg ? Number(arg.split('=')[1]) : 200;
const LIB = 'lib.projectsveltos.io/v1beta1';

const CRDS = new URL(
  import.meta.url.includes('/dist/') ? '../../assets/sveltos/crds.yaml' : '../assets/sveltos/crds.yaml',
  import.meta.url,
);

async function installCrds(client: KubeClient): Promise<void> {
  for (const d of parseAllDocuments(readFileSync(CRDS, 'utf8'))) {
    const crd = d.toJS() as KubeObject | null;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    await client.create({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: { name: crd.metadata?.name },
      spec: crd.spec,
    });
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)].toFixed(2));
}

async function main(): Promise<void> {
  const server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', 'c1'] });
  const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  const c1 = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('c1') }, { name: 'c1' });
  const stop = new AbortController();
  try {
    await installCrds(mgmt);
    await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fleet' } });
    await c1.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    const sources = new StaticEventSources([
      {
        apiVersion: LIB,
        kind: 'EventSource',
        metadata: { name: 'bench' },
        spec: {
          resourceSelectors: [
            {
              group: '',
              version: 'v1',
              kind: 'ConfigMap',
              labelFilters: [{ key: 'bench', operation: 'Equal', value: 'on' }],
            },
          ],
        },
      },
    ]);
    const agent = createAgent({
      client: c1,
      clusterName: 'c1',
      clusterNamespace: 'fleet',
      clusterType: 'Sveltos',
      modules: [eventsModule({ management: mgmt, sources: () => sources })],
    }).start(stop.signal);
    const reports = new Informer<EventReport>(mgmt, {
      apiVersion: LIB,
      kind: 'EventReport',
      namespace: 'fleet',
    });
    const watching = reports.start(stop.signal);
    let waiter: { count: number; resolve: () => void } | undefined;
    const check = (r: EventReport) => {
      if (waiter && (r.spec?.matchingResources ?? []).length === waiter.count) {
        const w = waiter;
        waiter = undefined;
        w.resolve();
      }
    };
    reports.addHandler({ onAdd: check, onUpdate: (_a, b) => check(b) });
    const seen = (count: number) => new Promise<void>((resolve) => (waiter = { count, resolve }));
    let first = seen(0);
    await reports.waitForSync(stop.signal);
    for (const r of reports.store.list()) check(r);
    await first;
    const lat: number[] = [];
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'x' };
    for (let i = 0; i < changes; i++) {
      const on = i % 2 === 0;
      first = seen(on ? 1 : 0);
      const t0 = performance.now();
      if (on) await c1.create({ ...cm, metadata: { name: 'x', namespace: 'apps', labels: { bench: 'on' } } });
      else await c1.delete(cm);
      await first;
      lat.push(performance.now() - t0);
    }
    stop.abort();
    await Promise.all([agent, watching]);
    const result = {
      benchmark: 'events-agent',
      changes,
      changeToReportMs: { p50: pct(lat, 50), p99: pct(lat, 99), max: pct(lat, 100) },
      sveltosFloorMs: { agentBatch: 3000, collection: 10000 },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    stop.abort();
    c1.close();
    mgmt.close();
    await server.stop();
  }
}

await main();
