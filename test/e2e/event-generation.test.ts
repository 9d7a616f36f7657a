// EventTrigger generation on the embedded API server: an EventReport written to the management
// cluster produces the generated ClusterProfile and instantiated ConfigMap (by watch), updated when
// the report changes, kept while an empty report is unconfirmed, removed once confirmed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { createEventControllers } from '../../src/controllers/event/module.js';
import { EMPTY_SINCE_ANNOTATION, EventLabels } from '../../src/controllers/event/labels.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger, InformerFactory, Manager, silentLogger } from '../../src/runtime/index.js';
import { installCrds } from './addon-harness.js';

let server: ApiServer;
let mgmt: KubeClient;
let prod: KubeClient;
const stop = new AbortController();
let running: Promise<void>;

const LIB = 'lib.projectsveltos.io/v1beta1';
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function eventually<T>(what: string, f: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function generatedProfiles(): Promise<KubeObject[]> {
  const l = await mgmt.list(
    { apiVersion: 'config.projectsveltos.io/v1beta1', kind: 'ClusterProfile' },
    {
      labelSelector: `${EventLabels.eventTriggerName}=service-policy`,
    },
  );
  return l.items;
}
async function generatedConfigMaps(): Promise<KubeObject[]> {
  const l = await mgmt.list(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'projectsveltos' },
    {
      labelSelector: `${EventLabels.eventTriggerName}=service-policy`,
    },
  );
  return l.items;
}

function service(name: string, ip: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'test' },
    spec: { type: 'LoadBalancer', ports: [{ port: 60000, protocol: 'TCP', targetPort: 50001 }] },
    status: { loadBalancer: { ingress: [{ ip }] } },
  };
}

async function writeReport(services: ReturnType<typeof service>[]) {
  const name = 'sveltos--load-balancer-service--prod';
  const spec = {
    clusterNamespace: 'fleet',
    clusterName: 'prod',
    clusterType: 'Sveltos',
    eventSourceName: 'load-balancer-service',
    matchingResources: services.map((s) => ({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'test',
      name: s.metadata.name,
    })),
    ...(services.length > 0
      ? { resources: b64(services.map((s) => `${JSON.stringify(s)}\n---\n`).join('')) }
      : {}),
  };
  try {
    const cur = await mgmt.get({ apiVersion: LIB, kind: 'EventReport', namespace: 'fleet', name });
    await mgmt.update({ ...cur, spec });
  } catch {
    await mgmt.create({ apiVersion: LIB, kind: 'EventReport', metadata: { name, namespace: 'fleet' }, spec });
  }
}

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', 'prod'] });
  mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'test-mgmt' });
  await installCrds(mgmt);
  prod = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('prod') }, { name: 'test-prod' });
  await installCrds(prod);
  await mgmt.create({
    apiVersion: LIB,
    kind: 'EventSource',
    metadata: { name: 'load-balancer-service' },
    spec: { collectResources: true, resourceSelectors: [{ group: '', version: 'v1', kind: 'Service' }] },
  });
  for (const ns of ['fleet', 'projectsveltos'])
    await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const cl = await mgmt.create({
    apiVersion: LIB,
    kind: 'SveltosCluster',
    metadata: { name: 'prod', namespace: 'fleet', labels: { env: 'production' } },
    spec: {},
  });
  await mgmt.updateStatus({ ...cl, status: { ready: true } });
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'service-policy',
      namespace: 'default',
      annotations: { 'projectsveltos.io/instantiate': 'ok', 'projectsveltos.io/template': 'ok' },
    },
    data: {
      'service.yaml':
        'name: external-{{ .Resource.metadata.name }}\nmatching: {{ .MatchingResource.Name }}\nip: {{ (index .Resource.status.loadBalancer.ingress 0).ip }}\ncluster: {{ .Cluster.metadata.name }}\nkeep: "{{`{{ .Cluster.metadata.name }}`}}"\n',
    },
  });
  await mgmt.create({
    apiVersion: LIB,
    kind: 'EventTrigger',
    metadata: { name: 'service-policy' },
    spec: {
      sourceClusterSelector: { matchLabels: { env: 'production' } },
      destinationClusterSelector: { matchLabels: { dep: 'eng' } },
      eventSourceName: 'load-balancer-service',
      oneForEvent: true,
      policyRefs: [{ name: 'service-policy', namespace: 'default', kind: 'ConfigMap' }],
    },
  });
  const informers = new InformerFactory({ logger: silentLogger() });
  const manager = new Manager({});
  manager.add(informers, 'informers');
  for (const c of createEventControllers(
    {
      options: { needLeaderElection: false },
      mgmt,
      informers,
      connections: { connection: async () => ({ client: prod }), trigger: () => () => {} },
      logger: process.env.EVENT_DEBUG ? createLogger({ level: 'debug' }) : silentLogger(),
      clock: systemClock,
    },
    // Long enough that a loaded machine still observes the held (stamped) state before withdrawal.
    { emptyGraceMs: 5000 },
  ))
    manager.add(c.runnable, c.name);
  running = manager.start(stop.signal);
});

after(async () => {
  stop.abort();
  await running;
  mgmt.close();
  prod.close();
  await server.stop();
});

describe('EventTrigger generation (embedded API server)', () => {
  it('writes the matching clusters to the trigger status', async () => {
    const t = await eventually('status.matchingClusters', async () => {
      const t = await mgmt.get({ apiVersion: LIB, kind: 'EventTrigger', name: 'service-policy' });
      return (t as { status?: { matchingClusters?: unknown[] } }).status?.matchingClusters?.length
        ? t
        : undefined;
    });
    assert.deepEqual((t as { status: { matchingClusters: unknown[] } }).status.matchingClusters, [
      { apiVersion: LIB, kind: 'SveltosCluster', namespace: 'fleet', name: 'prod' },
    ]);
  });

  it('pushes the EventSource to the matching cluster, marked deployed-by-sveltos', async () => {
    const es = await eventually('EventSource copy', async () => {
      const l = await prod.list({ apiVersion: LIB, kind: 'EventSource' });
      return l.items[0];
    });
    assert.equal(es.metadata?.name, 'load-balancer-service');
    assert.equal(es.metadata?.annotations?.['projectsveltos.io/deployed-by-sveltos'], 'ok');
    assert.equal(
      es.metadata?.annotations?.['eventtrigger.lib.projectsveltos.io/eventtriggers'],
      'service-policy',
    );
    assert.deepEqual((es as { spec: unknown }).spec, {
      collectResources: true,
      resourceSelectors: [{ group: '', version: 'v1', kind: 'Service' }],
    });
  });

  it('report → one ClusterProfile per service and an instantiated ConfigMap; update; safeguard; removal', async () => {
    await writeReport([service('my-lb-service', '34.172.32.172')]);
    const [profile] = await eventually('generated profile', async () => {
      const p = await generatedProfiles();
      return p.length === 1 ? p : undefined;
    });
    const meta = profile.metadata!;
    assert.match(meta.name!, /^sveltos-[a-z0-9]{20}$/);
    assert.equal(meta.labels?.[EventLabels.clusterName], 'prod');
    assert.equal(meta.labels?.[EventLabels.clusterNamespace], 'fleet');
    assert.equal(meta.labels?.[EventLabels.clusterType], 'Sveltos');
    assert.equal(meta.labels?.[EventLabels.eventSourceName], 'load-balancer-service');
    assert.equal(meta.labels?.[EventLabels.resourceName], 'my-lb-service');
    assert.equal(meta.labels?.[EventLabels.resourceNamespace], 'test');
    const spec = (profile as { spec: Record<string, any> }).spec;
    assert.deepEqual(spec.clusterSelector, { matchLabels: { dep: 'eng' } });
    assert.equal(spec.clusterRefs, undefined);
    assert.equal(spec.policyRefs.length, 1);
    assert.equal(spec.policyRefs[0].namespace, 'projectsveltos');
    const cmName = spec.policyRefs[0].name as string;
    assert.match(cmName, /^sveltos-[a-z0-9]{20}$/);
    const cm = await mgmt.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'projectsveltos',
      name: cmName,
    });
    const data = (cm as { data: Record<string, string> }).data['service.yaml'];
    assert.equal(
      data,
      'name: external-my-lb-service\nmatching: my-lb-service\nip: 34.172.32.172\ncluster: prod\nkeep: "{{ .Cluster.metadata.name }}"\n',
    );
    assert.equal(cm.metadata?.annotations?.['projectsveltos.io/template'], 'ok');
    assert.equal(cm.metadata?.labels?.[EventLabels.refName], 'service-policy');

    // The event data changes: same profile and ConfigMap names, new content.
    await writeReport([service('my-lb-service', '10.0.0.9')]);
    await eventually('updated ConfigMap', async () => {
      const c = await mgmt.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'projectsveltos',
        name: cmName,
      });
      return (c as { data: Record<string, string> }).data['service.yaml'].includes('10.0.0.9')
        ? c
        : undefined;
    });
    assert.deepEqual(
      (await generatedProfiles()).map((p) => p.metadata?.name),
      [meta.name],
    );

    // The template source changes: the instantiated ConfigMap follows (by watch).
    const src = await mgmt.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'service-policy',
    });
    await mgmt.update({ ...src, data: { 'service.yaml': 'v2: {{ .MatchingResource.Name }}\n' } });
    await eventually('re-rendered ConfigMap', async () => {
      const c = await mgmt.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'projectsveltos',
        name: cmName,
      });
      return (c as { data: Record<string, string> }).data['service.yaml'] === 'v2: my-lb-service\n'
        ? c
        : undefined;
    });

    // A second service: a second profile.
    await writeReport([service('my-lb-service', '10.0.0.9'), service('other', '10.0.0.10')]);
    await eventually('two profiles', async () =>
      (await generatedProfiles()).length === 2 ? true : undefined,
    );
    assert.equal((await generatedConfigMaps()).length, 2);

    // Empty report: first held (stamped, still there), then withdrawn once confirmed.
    await writeReport([]);
    const held = await eventually('empty-since stamp', async () => {
      const p = await generatedProfiles();
      return p.length === 2 && p.every((x) => x.metadata?.annotations?.[EMPTY_SINCE_ANNOTATION])
        ? p
        : undefined;
    });
    assert.equal(held.length, 2);
    await eventually('profiles withdrawn', async () =>
      (await generatedProfiles()).length === 0 ? true : undefined,
    );
    await eventually('ConfigMaps withdrawn', async () =>
      (await generatedConfigMaps()).length === 0 ? true : undefined,
    );
  });

  it('a transient empty report that refills keeps the profile (and clears the stamp)', async () => {
    await writeReport([service('my-lb-service', '10.0.0.9')]);
    const [p] = await eventually('profile', async () => {
      const p = await generatedProfiles();
      return p.length === 1 ? p : undefined;
    });
    await writeReport([]);
    await eventually('stamp', async () => {
      const q = await generatedProfiles();
      return q[0]?.metadata?.annotations?.[EMPTY_SINCE_ANNOTATION] ? true : undefined;
    });
    await writeReport([service('my-lb-service', '10.0.0.9')]);
    await eventually('stamp cleared', async () => {
      const q = await generatedProfiles();
      return q.length === 1 && !q[0].metadata?.annotations?.[EMPTY_SINCE_ANNOTATION] ? true : undefined;
    });
    assert.equal((await generatedProfiles())[0].metadata?.name, p.metadata?.name);
  });

  it('CloudEvents: login creates a profile per subject, logout deletes it; render errors land in failureMessage', async () => {
    await mgmt.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'namespace',
        namespace: 'default',
        annotations: { 'projectsveltos.io/instantiate': 'ok' },
      },
      data: {
        'namespace.yaml': 'kind: Namespace\napiVersion: v1\nmetadata:\n  name: {{ .CloudEvent.subject }}\n',
      },
    });
    for (const [name, ref] of [
      ['manage-namespace', 'namespace'],
      ['broken', '{{ .CloudEvent.nope.x }}'],
    ])
      await mgmt.create({
        apiVersion: LIB,
        kind: 'EventTrigger',
        metadata: { name },
        spec: {
          sourceClusterSelector: { matchLabels: { env: 'production' } },
          eventSourceName: 'user-operation',
          oneForEvent: true,
          cloudEventAction: '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}',
          policyRefs: [{ name: ref, namespace: 'default', kind: 'ConfigMap' }],
        },
      });
    const reportRef = {
      apiVersion: LIB,
      kind: 'EventReport',
      namespace: 'fleet',
      name: 'sveltos--user-operation--prod',
    };
    const ce = (type: string) =>
      b64(
        JSON.stringify({
          specversion: '1.0',
          type,
          source: 'auth.example.com',
          id: '1',
          subject: 'mgianluc',
          data: {},
        }),
      );
    await mgmt.create({
      apiVersion: LIB,
      kind: 'EventReport',
      metadata: { name: reportRef.name, namespace: 'fleet' },
      spec: {
        clusterNamespace: 'fleet',
        clusterName: 'prod',
        clusterType: 'Sveltos',
        eventSourceName: 'user-operation',
        cloudEvents: [ce('auth.example.com.login')],
      },
    });
    const list = async () =>
      (
        await mgmt.list(
          { apiVersion: 'config.projectsveltos.io/v1beta1', kind: 'ClusterProfile' },
          {
            labelSelector: `${EventLabels.eventTriggerName}=manage-namespace`,
          },
        )
      ).items;
    const [p] = await eventually('CloudEvent profile', async () => {
      const l = await list();
      return l.length === 1 ? l : undefined;
    });
    assert.equal(p.metadata?.labels?.[EventLabels.ceSubject], 'mgianluc');
    assert.equal(p.metadata?.labels?.[EventLabels.ceSource], 'auth.example.com');
    const cmName = (p as { spec: { policyRefs: { name: string }[] } }).spec.policyRefs[0].name;
    const cm = await mgmt.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'projectsveltos',
      name: cmName,
    });
    assert.match((cm as { data: Record<string, string> }).data['namespace.yaml'], /name: mgianluc/);
    // The failure of the broken trigger is recorded; its CloudEvent stays in the report until fixed.
    const rep = await eventually('failureMessage', async () => {
      const r = (await mgmt.get(reportRef)) as {
        spec: { cloudEvents?: string[] };
        status?: { failureMessage?: string };
      };
      return r.status?.failureMessage ? r : undefined;
    });
    assert.match(rep.status?.failureMessage ?? '', /EventTrigger "broken".*policyRefs\[0\]\.name.*:1:/);
    assert.equal(rep.spec.cloudEvents?.length, 1);
    await mgmt.delete({ apiVersion: LIB, kind: 'EventTrigger', name: 'broken' });
    await eventually('CloudEvents cleared and failure gone', async () => {
      const r = (await mgmt.get(reportRef)) as {
        spec: { cloudEvents?: string[] };
        status?: { failureMessage?: string };
      };
      return (r.spec.cloudEvents ?? []).length === 0 && !r.status?.failureMessage ? r : undefined;
    });
    // The empty report (no CloudEvents left) does not withdraw a CloudEvent profile: still there.
    assert.equal((await list()).length, 1);
    const cur = await mgmt.get(reportRef);
    await mgmt.update({
      ...cur,
      spec: { ...(cur as { spec: object }).spec, cloudEvents: [ce('auth.example.com.logout')] },
    });
    await eventually('CloudEvent profile deleted', async () =>
      (await list()).length === 0 ? true : undefined,
    );
    await eventually(
      'instantiated ConfigMap deleted',
      async () =>
        await mgmt
          .get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'projectsveltos', name: cmName })
          .then(
            () => undefined,
            () => true,
          ),
    );
  });
});
