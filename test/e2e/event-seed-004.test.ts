// Seed 004 ("Event Driven Addon Distribution") end to end: the v1alpha1 seed YAML created as it is
// (the API server converts it); a LoadBalancer Service with an ingress IP in the `env: production` cluster → the agent
// (agentless, in-process) writes the EventReport to the management cluster → the EventTrigger
// generates a ClusterProfile + instantiated ConfigMap → the add-on controllers deploy the
// selector-less Service and Endpoints to every `dep: eng` cluster.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Agent } from '../../src/agent/index.js';
import { eventsModule, StaticEventSources } from '../../src/agent/events/index.js';
import { createEventControllers } from '../../src/controllers/event/module.js';
import type { KubeObject } from '../../src/kube/index.js';
import { systemClock } from '../../src/lib/clock.js';
import { InformerFactory, silentLogger } from '../../src/runtime/index.js';
import { type Fleet, startFleet } from './addon-harness.js';

const SEED = new URL(
  import.meta.url.includes('/dist/')
    ? '../../../src/controllers/event/testdata/seed-004-v1alpha1.yaml'
    : '../../src/controllers/event/testdata/seed-004-v1alpha1.yaml',
  import.meta.url,
);

let fleet: Fleet;
const stop = new AbortController();
const runs: Promise<void>[] = [];

async function eventually<T>(what: string, f: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  fleet = await startFleet(['gke', 'eng1', 'eng2']);
  await fleet.register('gke', { env: 'production' });
  await fleet.register('eng1', { dep: 'eng' });
  await fleet.register('eng2', { dep: 'eng' });
  for (const c of ['eng1', 'eng2'])
    await (await fleet.client(c)).create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'external' },
    });
  await fleet.mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'projectsveltos' } });
  const docs = parseAllDocuments(readFileSync(SEED, 'utf8')).map((d) => d.toJS());
  // The seed documents as they are (EventSource/EventTrigger in lib.projectsveltos.io/v1alpha1 with
  // string selectors, the ConfigMap with the v1alpha1-era `template` marker): the API server
  // converts them to v1beta1.
  for (const d of docs as KubeObject[]) {
    if (d.kind !== 'ConfigMap') assert.equal(d.apiVersion, 'lib.projectsveltos.io/v1alpha1');
    await fleet.mgmt.create(d);
  }

  fleet.startControllers();
  const gke = await fleet.client('gke');
  const sources = new StaticEventSources();
  const informers = new InformerFactory({ logger: silentLogger() });
  const components = createEventControllers(
    {
      options: { needLeaderElection: false },
      mgmt: fleet.mgmt,
      informers,
      logger: silentLogger(),
      clock: systemClock,
    },
    {
      // Agentless placement: the in-process agent of `gke` gets its EventSources from here.
      sink: (cluster, list) => {
        if (cluster.name === 'gke') sources.replaceAll(list);
      },
    },
  );
  const agent = new Agent({
    client: gke,
    clusterName: 'gke',
    clusterNamespace: 'fleet',
    clusterType: 'Sveltos',
    modules: [eventsModule({ management: fleet.mgmt, sources: () => sources })],
  });
  for (const r of [informers, ...components.map((c) => c.runnable), agent]) runs.push(r.start(stop.signal));
});

after(async () => {
  stop.abort();
  await Promise.allSettled(runs);
  await fleet.close();
});

it('seed 004: LoadBalancer Service in production → selector-less Service + Endpoints in every dep=eng cluster', async () => {
  const gke = await fleet.client('gke');
  await gke.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } });
  const svc = await gke.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'my-lb-service', namespace: 'test' },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'products', department: 'sales' },
      ports: [{ protocol: 'TCP', port: 60000, targetPort: 50001 }],
    },
  });
  await gke.updateStatus({ ...svc, status: { loadBalancer: { ingress: [{ ip: '34.172.32.172' }] } } });

  for (const c of ['eng1', 'eng2']) {
    const client = await fleet.client(c);
    const ep = await eventually(`Endpoints in ${c}`, () =>
      client.get<KubeObject>({
        apiVersion: 'v1',
        kind: 'Endpoints',
        namespace: 'external',
        name: 'external-my-lb-service',
      }),
    );
    const subsets = (ep as { subsets: { addresses: { ip: string }[]; ports: { port: number }[] }[] }).subsets;
    assert.equal(subsets[0].addresses[0].ip, '34.172.32.172');
    assert.equal(subsets[0].ports[0].port, 60000);
    const s = await client.get<KubeObject>({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'external',
      name: 'external-my-lb-service',
    });
    const ports = (s as { spec: { ports: { port: number; targetPort: number; protocol: string }[] } }).spec
      .ports;
    assert.deepEqual(
      ports.map((p) => [p.port, p.protocol, p.targetPort]),
      [[60000, 'TCP', 50001]],
    );
  }
});
