// EventSource evaluation end to end against the embedded API server, agentless placement (what
// `flotilla up` runs): the agent of managed cluster c1 watches c1 and writes the
// management-cluster copies of its EventReports directly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { Registry } from 'prom-client';
import { parseAllDocuments } from 'yaml';
import { createAgent } from '../../src/agent/index.js';
import {
  appendCloudEvent,
  decodeResources,
  eventsModule,
  StaticEventSources,
} from '../../src/agent/events/index.js';
import type { EventReport, EventSource } from '../../src/api/index.js';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { createLogger } from '../../src/runtime/index.js';

const CRDS = new URL(
  import.meta.url.includes('/dist/') ? '../../../assets/sveltos/crds.yaml' : '../../assets/sveltos/crds.yaml',
  import.meta.url,
);
const NS = 'fleet';
const LIB = 'lib.projectsveltos.io/v1beta1';

let server: ApiServer;
let mgmt: KubeClient;
let c1: KubeClient;
const sources = new StaticEventSources([]);
const registry = new Registry();
const stop = new AbortController();
let agentRun: Promise<void>;
let logText = '';

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

async function report(source: string): Promise<EventReport | undefined> {
  try {
    return await mgmt.get<EventReport>({
      apiVersion: LIB,
      kind: 'EventReport',
      namespace: NS,
      name: `sveltos--${source}--c1`,
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFound' || /NotFound/.test(String(err))) return undefined;
    throw err;
  }
}

const matchNames = (r: EventReport | undefined) =>
  (r?.spec?.matchingResources ?? []).map((m) => `${m.namespace ?? ''}/${m.name}`);

function eventSource(name: string, spec: EventSource['spec']): EventSource {
  return { apiVersion: LIB, kind: 'EventSource', metadata: { name }, spec };
}

async function reconciles(): Promise<number> {
  const m = await registry.getSingleMetric('flotilla_reconcile_total')?.get();
  return (m?.values ?? []).reduce((n, v) => n + v.value, 0);
}

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', 'c1'] });
  mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  c1 = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('c1') }, { name: 'c1' });
  await installCrds(mgmt);
  await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  for (const ns of ['apps', 'other'])
    await c1.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _enc, cb) {
        logText += String(chunk);
        cb();
      },
    }),
  });
  agentRun = createAgent({
    client: c1,
    clusterName: 'c1',
    clusterNamespace: NS,
    clusterType: 'Sveltos',
    logger,
    registry,
    modules: [eventsModule({ management: mgmt, sources: () => sources })],
  }).start(stop.signal);
});

after(async () => {
  stop.abort();
  await agentRun;
  c1.close();
  mgmt.close();
  await server.stop();
});

test('seed 004: a LoadBalancer Service matches once its status has an ingress', async () => {
  sources.set(
    eventSource('load-balancer-service', {
      collectResources: true,
      resourceSelectors: [
        {
          group: '',
          version: 'v1',
          kind: 'Service',
          evaluate: `function evaluate()
  hs = {}
  hs.matching = false
  hs.message = ""
  if obj.status.loadBalancer.ingress ~= nil then
    hs.matching = true
  end
  return hs
end`,
        },
      ],
    }),
  );
  const svc = await c1.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'apps' },
    spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }] },
  });
  const empty = await until('empty report', async () => report('load-balancer-service'));
  assert.deepEqual(matchNames(empty), []);
  assert.equal(empty.metadata?.labels?.['projectsveltos.io/eventsource-name'], 'load-balancer-service');
  assert.equal(empty.metadata?.labels?.['eventreport.projectsveltos.io/cluster-name'], 'c1');
  assert.equal(empty.metadata?.labels?.['eventreport.projectsveltos.io/cluster-type'], 'sveltos');
  const live = await c1.get<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    namespace: 'apps',
    name: 'web',
  });
  await c1.updateStatus({ ...live, status: { loadBalancer: { ingress: [{ ip: '10.0.0.7' }] } } });
  const r = await until('service in report', async () => {
    const r = await report('load-balancer-service');
    return matchNames(r).includes('apps/web') && r;
  });
  assert.deepEqual(r.spec?.matchingResources, [
    { apiVersion: 'v1', kind: 'Service', namespace: 'apps', name: 'web' },
  ]);
  assert.equal(r.spec?.clusterName, 'c1');
  assert.equal(r.spec?.clusterNamespace, NS);
  assert.equal(r.spec?.clusterType, 'Sveltos');
  const [obj] = decodeResources(r.spec?.resources);
  assert.deepEqual((obj.status as { loadBalancer: unknown }).loadBalancer, { ingress: [{ ip: '10.0.0.7' }] });
  assert.equal(obj.metadata?.uid, svc.metadata?.uid);
});

test('label filter; a deleted object disappears; the report is written only on change', async () => {
  sources.set(
    eventSource('prod-configs', {
      resourceSelectors: [
        {
          group: '',
          version: 'v1',
          kind: 'ConfigMap',
          namespace: 'apps',
          labelFilters: [{ key: 'env', operation: 'Equal', value: 'prod' }],
        },
      ],
    }),
  );
  for (const [ns, name, env] of [
    ['apps', 'a', 'prod'],
    ['apps', 'b', 'dev'],
    ['other', 'c', 'prod'],
  ]) {
    await c1.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns, labels: { env } },
      data: { k: 'v' },
    });
  }
  const r = await until('a in report', async () => {
    const r = await report('prod-configs');
    return matchNames(r).join() === 'apps/a' && r;
  });
  // A change to a watched object that does not change the match set: reconciled, not written.
  const before = await reconciles();
  const b = await c1.get<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'b' });
  await c1.update({ ...b, data: { k: 'changed' } });
  await until('re-evaluated', async () => (await reconciles()) > before);
  assert.equal((await report('prod-configs'))?.metadata?.resourceVersion, r.metadata?.resourceVersion);
  await c1.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'a' });
  await until('a gone from report', async () => matchNames(await report('prod-configs')).length === 0);
});

test('CEL rules are OR-ed and a broken rule counts as false', async () => {
  sources.set(
    eventSource('cel', {
      resourceSelectors: [
        {
          group: '',
          version: 'v1',
          kind: 'ConfigMap',
          evaluateCEL: [
            { name: 'broken', rule: 'resource.missing.field == 1' },
            { name: 'in-other', rule: "resource.metadata.namespace == 'other'" },
          ],
        },
      ],
    }),
  );
  await until('c matched by CEL', async () => matchNames(await report('cel')).join() === 'other/c');
});

test('aggregatedSelection decides the matches from all selected objects', async () => {
  sources.set(
    eventSource('aggregated', {
      resourceSelectors: [
        { group: '', version: 'v1', kind: 'ConfigMap', labelFilters: [{ key: 'env', operation: 'Has' }] },
      ],
      aggregatedSelection: `function evaluate()
  local hs = {}
  local picked = {}
  if #resources >= 2 then
    for _, r in ipairs(resources) do
      if r.metadata.labels.env == "dev" then table.insert(picked, r) end
    end
  end
  hs.resources = picked
  return hs
end`,
    }),
  );
  await until(
    'dev config picked when there are two candidates',
    async () => matchNames(await report('aggregated')).join() === 'apps/b',
  );
});

test('collectResources: Secrets only when selected, their content never logged', async () => {
  await c1.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: 'apps', labels: { 'cnpg.io/reload': 'true' } },
    stringData: { password: 'hunter2-do-not-log' },
  });
  sources.set(
    eventSource('configs-only', {
      collectResources: true,
      resourceSelectors: [{ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'other' }],
    }),
  );
  sources.set(
    eventSource('credentials', {
      collectResources: true,
      resourceSelectors: [
        {
          group: '',
          version: 'v1',
          kind: 'Secret',
          labelFilters: [{ key: 'cnpg.io/reload', operation: 'Equal', value: 'true' }],
        },
      ],
    }),
  );
  const configs = await until('configs report', async () => {
    const r = await report('configs-only');
    return matchNames(r).length === 1 && r;
  });
  assert.deepEqual(
    decodeResources(configs.spec?.resources).map((o) => o.kind),
    ['ConfigMap'],
  );
  const creds = await until('secret report', async () => {
    const r = await report('credentials');
    return matchNames(r).join() === 'apps/creds' && r;
  });
  const [secret] = decodeResources(creds.spec?.resources);
  assert.equal(
    Buffer.from((secret.data as Record<string, string>).password, 'base64').toString(),
    'hunter2-do-not-log',
  );
  assert.ok(logText.length > 0, 'the agent logged something');
  assert.ok(!logText.includes('hunter2'), 'secret content must not be logged');
  assert.ok(!logText.includes(Buffer.from('hunter2-do-not-log').toString('base64')));
});

test('an EventSource selecting a kind the cluster does not serve matches nothing until its CRD arrives', async () => {
  sources.set(
    eventSource('widgets', { resourceSelectors: [{ group: 'example.com', version: 'v1', kind: 'Widget' }] }),
  );
  await until(
    'empty widgets report',
    async () => (await report('widgets'))?.spec?.matchingResources?.length === 0,
  );
  await c1.create({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  await until('widget created', async () => {
    await c1.create({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'apps' },
    });
    return true;
  });
  await until('widget in report', async () => matchNames(await report('widgets')).join() === 'apps/w1');
});

test('appendCloudEvent adds to the report and re-evaluation keeps the CloudEvents', async () => {
  const target = {
    client: mgmt,
    placement: { kind: 'management' as const },
    cluster: { clusterName: 'c1', clusterNamespace: NS, clusterType: 'Sveltos' as const },
  };
  const ce = { specversion: '1.0', id: '1', source: 'nats://orders', type: 'order.created', subject: 'o-1' };
  await appendCloudEvent(target, 'prod-configs', ce);
  await c1.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'd', namespace: 'apps', labels: { env: 'prod' } },
  });
  const r = await until('d in report', async () => {
    const r = await report('prod-configs');
    return matchNames(r).join() === 'apps/d' && r;
  });
  assert.deepEqual(
    (r.spec?.cloudEvents ?? []).map((e) => JSON.parse(Buffer.from(e, 'base64').toString())),
    [ce],
  );
});

test('removing an EventSource deletes its report', async () => {
  sources.delete('cel');
  await until('cel report deleted', async () => (await report('cel')) === undefined);
});
