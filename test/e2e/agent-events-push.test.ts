// Push placement and the management cluster as a source, against the embedded API server:
// - c2 runs the agent with EventSources stored in c2 and reports in c2's projectsveltos; the
//   collector copies them up to the management cluster by watch;
// - the management cluster (SveltosCluster mgmt/mgmt) evaluates seed 002's EventSource over its
//   own SveltosCluster objects.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { createAgent } from '../../src/agent/index.js';
import {
  agentlessEventsModule,
  decodeResources,
  EventReportCollector,
  eventsModule,
  StaticEventSources,
} from '../../src/agent/events/index.js';
import type { EventReport, EventTrigger } from '../../src/api/index.js';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { InformerFactory, silentLogger } from '../../src/runtime/index.js';

const CRDS = new URL(
  import.meta.url.includes('/dist/') ? '../../../assets/sveltos/crds.yaml' : '../../assets/sveltos/crds.yaml',
  import.meta.url,
);
const LIB = 'lib.projectsveltos.io/v1beta1';
const NS = 'fleet';

let server: ApiServer;
let mgmt: KubeClient;
let c2: KubeClient;
const stop = new AbortController();
const runs: Promise<void>[] = [];

async function until<T>(what: string, cond: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function getReport(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<EventReport | undefined> {
  try {
    return await client.get<EventReport>({ apiVersion: LIB, kind: 'EventReport', namespace, name });
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFound' || /NotFound/.test(String(err))) return undefined;
    throw err;
  }
}

const matchNames = (r: EventReport | undefined) =>
  (r?.spec?.matchingResources ?? []).map((m) => `${m.namespace ?? ''}/${m.name}`);

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', 'c2'] });
  mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  c2 = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('c2') }, { name: 'c2' });
  for (const d of parseAllDocuments(readFileSync(CRDS, 'utf8'))) {
    const crd = d.toJS() as KubeObject | null;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    await mgmt.create({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: { name: crd.metadata?.name },
      spec: crd.spec,
    });
  }
  for (const ns of [NS, 'mgmt'])
    await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await c2.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  // Push placement on c2: EventSources and reports live in c2.
  runs.push(
    createAgent({
      client: c2,
      clusterName: 'c2',
      clusterNamespace: NS,
      clusterType: 'Sveltos',
      modules: [eventsModule()],
    }).start(stop.signal),
  );
  const managed = new InformerFactory({ informer: { backoffBaseMs: 20 } });
  const collector = new EventReportCollector({
    management: mgmt,
    informers: managed,
    logger: silentLogger(),
  });
  collector.addCluster({ clusterName: 'c2', clusterNamespace: NS, clusterType: 'Sveltos' }, c2);
  runs.push(managed.start(stop.signal), collector.start(stop.signal));
});

after(async () => {
  stop.abort();
  await Promise.all(runs);
  c2.close();
  mgmt.close();
  await server.stop();
});

test('push placement: the report in the managed cluster is collected up by watch', async () => {
  await until('EventSource kind served in c2 (installed by the agent)', async () => {
    await c2.create({
      apiVersion: LIB,
      kind: 'EventSource',
      metadata: { name: 'big-configs' },
      spec: {
        resourceSelectors: [
          {
            group: '',
            version: 'v1',
            kind: 'ConfigMap',
            labelFilters: [{ key: 'size', operation: 'Equal', value: 'big' }],
          },
        ],
      },
    });
    return true;
  });
  await c2.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', namespace: 'apps', labels: { size: 'big' } },
  });
  const local = await until('managed copy', async () => {
    const r = await getReport(c2, 'projectsveltos', 'big-configs');
    return matchNames(r).join() === 'apps/x' && r;
  });
  assert.equal(local.spec?.eventSourceName, 'big-configs');
  const up = await until('management copy', async () => {
    const r = await getReport(mgmt, NS, 'sveltos--big-configs--c2');
    return matchNames(r).join() === 'apps/x' && r;
  });
  assert.equal(up.metadata?.labels?.['eventreport.projectsveltos.io/cluster-type'], 'sveltos');
  await until(
    'managed copy Processed',
    async () => (await getReport(c2, 'projectsveltos', 'big-configs'))?.status?.phase === 'Processed',
  );
  await c2.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'x' });
  await until(
    'deletion reaches the management copy',
    async () => matchNames(await getReport(mgmt, NS, 'sveltos--big-configs--c2')).length === 0,
  );
  await c2.delete({ apiVersion: LIB, kind: 'EventSource', name: 'big-configs' });
  await until(
    'managed report deleted',
    async () => (await getReport(c2, 'projectsveltos', 'big-configs')) === undefined,
  );
  await until(
    'management copy deleted',
    async () => (await getReport(mgmt, NS, 'sveltos--big-configs--c2')) === undefined,
  );
});

test('seed 002: the management cluster is a source (SveltosClusters labelled postgres: required)', async () => {
  const sources = new StaticEventSources([
    {
      apiVersion: LIB,
      kind: 'EventSource',
      metadata: { name: 'detect-cluster-requiring-postgres' },
      spec: {
        collectResources: true,
        resourceSelectors: [
          {
            group: 'lib.projectsveltos.io',
            version: 'v1beta1',
            kind: 'SveltosCluster',
            labelFilters: [{ key: 'postgres', operation: 'Equal', value: 'required' }],
          },
        ],
      },
    },
  ]);
  const ac = new AbortController();
  const run = createAgent({
    client: mgmt,
    clusterName: 'mgmt',
    clusterNamespace: 'mgmt',
    clusterType: 'Sveltos',
    modules: [eventsModule({ management: mgmt, sources: () => sources })],
  }).start(ac.signal);
  try {
    for (const [name, labels] of [
      ['app1', { postgres: 'required' }],
      ['app2', { postgres: 'no' }],
    ] as const) {
      await mgmt.create({
        apiVersion: LIB,
        kind: 'SveltosCluster',
        metadata: { name, namespace: NS, labels },
        spec: {},
      });
    }
    const r = await until('app1 in the management report', async () => {
      const r = await getReport(mgmt, 'mgmt', 'sveltos--detect-cluster-requiring-postgres--mgmt');
      return matchNames(r).join() === `${NS}/app1` && r;
    });
    assert.deepEqual(r.spec?.matchingResources, [
      { apiVersion: LIB, kind: 'SveltosCluster', namespace: NS, name: 'app1' },
    ]);
    assert.equal(decodeResources(r.spec?.resources)[0].metadata?.labels?.postgres, 'required');
    const app2 = await mgmt.get<KubeObject>({
      apiVersion: LIB,
      kind: 'SveltosCluster',
      namespace: NS,
      name: 'app2',
    });
    await mgmt.update({ ...app2, metadata: { ...app2.metadata, labels: { postgres: 'required' } } });
    await until(
      'app2 joins on relabel',
      async () =>
        matchNames(
          await getReport(mgmt, 'mgmt', 'sveltos--detect-cluster-requiring-postgres--mgmt'),
        ).join() === `${NS}/app1,${NS}/app2`,
    );
  } finally {
    ac.abort();
    await run;
  }
});

test('seed 002 agentless: the EventTrigger selecting mgmt decides which EventSources mgmt evaluates', async () => {
  await mgmt.create({
    apiVersion: LIB,
    kind: 'SveltosCluster',
    metadata: { name: 'mgmt', namespace: 'mgmt', labels: { type: 'mgmt' } },
    spec: {},
  });
  await mgmt.create({
    apiVersion: LIB,
    kind: 'EventSource',
    metadata: { name: 'detect-pg' },
    spec: {
      resourceSelectors: [
        {
          group: 'lib.projectsveltos.io',
          version: 'v1beta1',
          kind: 'SveltosCluster',
          labelFilters: [{ key: 'postgres', operation: 'Equal', value: 'required' }],
        },
      ],
    },
  });
  const informers = new InformerFactory({ informer: { backoffBaseMs: 20 } });
  const f = informers.forCluster(mgmt);
  const ac = new AbortController();
  const runs = [
    informers.start(ac.signal),
    createAgent({
      client: mgmt,
      clusterName: 'mgmt',
      clusterNamespace: 'mgmt',
      clusterType: 'Sveltos',
      informers: f,
      modules: [agentlessEventsModule({ management: mgmt, informers: f })],
    }).start(ac.signal),
  ];
  const name = 'sveltos--detect-pg--mgmt';
  try {
    // No EventTrigger selects mgmt yet: nothing is evaluated.
    await mgmt.create({
      apiVersion: LIB,
      kind: 'EventTrigger',
      metadata: { name: 'deploy-postgres-cluster' },
      spec: { sourceClusterSelector: { matchLabels: { type: 'services' } }, eventSourceName: 'detect-pg' },
    });
    const t = await mgmt.get<EventTrigger>({
      apiVersion: LIB,
      kind: 'EventTrigger',
      name: 'deploy-postgres-cluster',
    });
    assert.equal(await getReport(mgmt, 'mgmt', name), undefined);
    await mgmt.update({
      ...t,
      spec: { ...t.spec, sourceClusterSelector: { matchLabels: { type: 'mgmt' } } },
    });
    const r = await until('report once the trigger selects mgmt', async () => {
      const r = await getReport(mgmt, 'mgmt', name);
      return matchNames(r).length >= 1 && r;
    });
    assert.ok(matchNames(r).includes(`${NS}/app1`));
    await mgmt.delete({ apiVersion: LIB, kind: 'EventTrigger', name: 'deploy-postgres-cluster' });
    await until(
      'report deleted once no trigger selects mgmt',
      async () => (await getReport(mgmt, 'mgmt', name)) === undefined,
    );
  } finally {
    ac.abort();
    await Promise.all(runs);
  }
});
