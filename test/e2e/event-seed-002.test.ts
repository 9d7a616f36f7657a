// Seed 002 ("event-driven Internal Developer Platform", database as a service), steps 4–6, end
// to end with the upstream YAML unchanged (applied with the real kubectl):
// - the management cluster is a source (SveltosCluster mgmt/mgmt, `type=mgmt`): registering
//   `workload-cluster` with `postgres=required` → a generated ClusterProfile + instantiated
//   ConfigMap → the CloudNativePG `Cluster` in the `type=services` cluster;
// - the test plays the CNPG operator and the cloud (external actors): the credentials Secret and
//   the LoadBalancer Service with its ingress IP in the service cluster → `pg-credentials` and
//   `pg-loadbalancer-data` in the management cluster;
// - the Job profile consumes them in the `type=app` cluster;
// - a template error is reported (trigger, template, line) and removes nothing;
// - the `postgres=required` label removed → after the empty-report grace, everything withdrawn.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Agent } from '../../src/agent/index.js';
import { eventsModule, StaticEventSources } from '../../src/agent/events/index.js';
import { createEventControllers } from '../../src/controllers/event/module.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import type { Clock } from '../../src/lib/clock.js';
import { EMPTY_SINCE_ANNOTATION } from '../../src/controllers/event/labels.js';
import { InformerFactory, silentLogger } from '../../src/runtime/index.js';
import { CP, type Fleet, getOrUndefined, startFleet, until } from './addon-harness.js';
import { kubectl, ROOT } from './cli-up-helpers.js';

// The upstream files (sveltos docs/assets/*.yaml) byte for byte.
const TESTDATA = join(ROOT, 'src/controllers/event/testdata');
const AUTO_DEPLOY = join(TESTDATA, 'seed-002-auto-deploy-postgres-cluster.yaml');
const FETCH_DATA = join(TESTDATA, 'seed-002-fetch-postgres-data.yaml');
const JOB = join(TESTDATA, 'seed-002-job-to-create-table.yaml');
const CNPG_CRD = join(
  ROOT,
  'test/fixtures/charts/cloudnative-pg/0.22.1/crds/clusters.postgresql.cnpg.io.yaml',
);
const SC = { apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'SveltosCluster' };
const CNPG = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster' };
const ER = { apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'EventReport' };
const LB_REPORT = { namespace: 'service-cluster', name: 'sveltos--detect-loadbalancer--service-cluster' };
const MGMT_REPORT = { namespace: 'mgmt', name: 'sveltos--detect-cluster-requiring-postgres--mgmt' };
const TRIGGER_LABEL = 'eventtrigger.lib.projectsveltos.io/eventtriggername';
// Long enough that nothing is withdrawn before the test moves the clock past it.
const GRACE_MS = 3_600_000;

interface SkewTimer {
  at: number;
  fn: () => void;
  t?: NodeJS.Timeout;
}

/**
 * Real time plus an offset the test can move: the event controllers' timers (the empty-report
 * grace) fire when the skewed time reaches them, everything else runs at normal speed.
 */
class SkewClock implements Clock {
  private offset = 0;
  private readonly timers = new Set<SkewTimer>();
  now(): number {
    return Date.now() + this.offset;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer: SkewTimer = { at: this.now() + ms, fn };
    this.timers.add(timer);
    this.arm(timer);
    return {
      cancel: () => {
        clearTimeout(timer.t);
        this.timers.delete(timer);
      },
    };
  }
  advance(ms: number): void {
    this.offset += ms;
    for (const timer of this.timers) this.arm(timer);
  }
  private arm(timer: SkewTimer): void {
    clearTimeout(timer.t);
    timer.t = setTimeout(
      () => {
        this.timers.delete(timer);
        timer.fn();
      },
      Math.max(0, timer.at - this.now()),
    );
  }
}
const clock = new SkewClock();

let fleet: Fleet;
let dir: string;
let kubeconfig: string;
const stop = new AbortController();
const runs: Promise<void>[] = [];

async function kubectlOk(...args: string[]): Promise<string> {
  const r = await kubectl(kubeconfig, args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `sveltosctl register cluster --namespace=NS --cluster=NAME --labels=...`, as the seed does. */
async function register(ns: string, name: string, labels: Record<string, string>): Promise<void> {
  const { server, mgmt } = fleet;
  if (!server.clusters().includes(name)) await server.addCluster(name);
  if (!(await getOrUndefined(mgmt, { apiVersion: 'v1', kind: 'Namespace', name: ns })))
    await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${name}-sveltos-kubeconfig`, namespace: ns },
    data: { kubeconfig: Buffer.from(server.kubeconfig(name)).toString('base64') },
  });
  const sc = await mgmt.create<KubeObject>({ ...SC, metadata: { name, namespace: ns, labels }, spec: {} });
  // The SveltosCluster controller's job (another part): mark it ready.
  await mgmt.updateStatus({ ...sc, status: { ready: true } });
}

/** One in-process agent (agentless placement) for a source cluster. */
function startAgent(client: KubeClient, ns: string, name: string, sources: StaticEventSources): void {
  const agent = new Agent({
    client,
    clusterName: name,
    clusterNamespace: ns,
    clusterType: 'Sveltos',
    modules: [eventsModule({ management: fleet.mgmt, sources: () => sources })],
  });
  runs.push(agent.start(stop.signal));
}

function generatedProfiles(trigger: string): Promise<KubeObject[]> {
  return fleet.mgmt.list(CP, { labelSelector: `${TRIGGER_LABEL}=${trigger}` }).then((l) => l.items);
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flotilla-seed-002-'));
  fleet = await startFleet(['service-cluster']);
  kubeconfig = join(dir, 'mgmt.kubeconfig');
  writeFileSync(kubeconfig, fleet.server.kubeconfig('mgmt'));
  await fleet.mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'projectsveltos' } });
  // Step 1–2: the management cluster registered as mgmt/mgmt and labelled; the service cluster.
  await register('mgmt', 'mgmt', {});
  await kubectlOk('label', 'sveltoscluster', '-n', 'mgmt', 'mgmt', 'type=mgmt');
  await register('service-cluster', 'service-cluster', { type: 'services' });
  // Step 3 (tested elsewhere): what the cloudnative-pg chart brings that matters here, its CRD.
  const service = await fleet.client('service-cluster');
  const crd = parseAllDocuments(readFileSync(CNPG_CRD, 'utf8'))[0].toJS() as KubeObject;
  await service.create(crd);
  await until('the CNPG Cluster kind served', async () => (await service.list(CNPG)).items !== undefined);

  fleet.startControllers();
  const perCluster = new Map([
    ['mgmt/mgmt', new StaticEventSources()],
    ['service-cluster/service-cluster', new StaticEventSources()],
  ]);
  const informers = new InformerFactory({ logger: silentLogger() });
  const components = createEventControllers(
    {
      options: { needLeaderElection: false },
      mgmt: fleet.mgmt,
      informers,
      logger: silentLogger(),
      clock,
    },
    {
      emptyGraceMs: GRACE_MS,
      sink: (cluster, list) => perCluster.get(`${cluster.namespace}/${cluster.name}`)?.replaceAll(list),
    },
  );
  for (const r of [informers, ...components.map((c) => c.runnable)]) runs.push(r.start(stop.signal));
  startAgent(fleet.mgmt, 'mgmt', 'mgmt', perCluster.get('mgmt/mgmt') as StaticEventSources);
  startAgent(
    service,
    'service-cluster',
    'service-cluster',
    perCluster.get('service-cluster/service-cluster') as StaticEventSources,
  );
});

after(async () => {
  stop.abort();
  await Promise.allSettled(runs);
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
});

it('step 4–5: registering workload-cluster (postgres=required) → generated profile → CNPG Cluster in the service cluster', async () => {
  await kubectlOk('apply', '-f', AUTO_DEPLOY);
  await kubectlOk('apply', '-f', FETCH_DATA);
  await register('workload-cluster', 'workload-cluster', { postgres: 'required' });

  const [profile] = await until('the generated ClusterProfile', async () => {
    const l = await generatedProfiles('deploy-postgres-cluster');
    return l.length === 1 ? l : undefined;
  });
  // The labels of the seed's generated ClusterProfile and ConfigMap.
  const seedLabels = {
    'eventtrigger.lib.projectsveltos.io/clusterNamespace': 'mgmt',
    'eventtrigger.lib.projectsveltos.io/clustername': 'mgmt',
    'eventtrigger.lib.projectsveltos.io/clustertype': 'Sveltos',
    'eventtrigger.lib.projectsveltos.io/eventreportname': 'detect-cluster-requiring-postgres',
    'eventtrigger.lib.projectsveltos.io/eventtriggername': 'deploy-postgres-cluster',
    'eventtrigger.lib.projectsveltos.io/resourcename': 'workload-cluster',
    'eventtrigger.lib.projectsveltos.io/resourcenamespace': 'workload-cluster',
  };
  const hasLabels = (o: KubeObject, want: Record<string, string>) => {
    for (const [k, v] of Object.entries(want))
      assert.equal(o.metadata?.labels?.[k], v, `${o.kind} ${o.metadata?.name}: label ${k}`);
  };
  hasLabels(profile, seedLabels);
  assert.match(profile.metadata?.name ?? '', /^sveltos-[a-z0-9]{20}$/);
  const spec = profile.spec as {
    clusterSelector?: { matchLabels?: Record<string, string> };
    policyRefs: { kind: string; name: string; namespace: string; deploymentType: string }[];
    syncMode: string;
    stopMatchingBehavior: string;
    tier: number;
  };
  assert.deepEqual(spec.clusterSelector?.matchLabels, { type: 'services' });
  assert.deepEqual(
    [spec.syncMode, spec.stopMatchingBehavior, spec.tier],
    ['Continuous', 'WithdrawPolicies', 100],
  );
  assert.equal(spec.policyRefs.length, 1);
  const ref = spec.policyRefs[0];
  assert.deepEqual([ref.kind, ref.namespace, ref.deploymentType], ['ConfigMap', 'projectsveltos', 'Remote']);
  assert.match(ref.name, /^sveltos-[a-z0-9]{20}$/);
  const cm = await fleet.mgmt.get<KubeObject & { data: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'projectsveltos',
    name: ref.name,
  });
  hasLabels(cm, {
    ...seedLabels,
    'eventtrigger.lib.projectsveltos.io/refname': 'postgres-cluster',
    'eventtrigger.lib.projectsveltos.io/refnamespace': 'default',
  });
  // The source was applied with kubectl; its last-applied record is not carried to the copy.
  const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
  const source = await fleet.mgmt.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'postgres-cluster',
  });
  assert.ok(source.metadata?.annotations?.[lastApplied]);
  assert.deepEqual(cm.metadata?.annotations, { 'projectsveltos.io/instantiate': 'ok' });
  assert.match(cm.data['cluster.yaml'], /name: cluster-workload-cluster\n/);

  const service = await fleet.client('service-cluster');
  const pg = await until('the CNPG Cluster in the service cluster', () =>
    getOrUndefined(service, { ...CNPG, namespace: 'workload-cluster', name: 'cluster-workload-cluster' }),
  );
  assert.deepEqual(pg.metadata?.labels?.cluster, 'workload-cluster-workload-cluster');
  assert.deepEqual(pg.spec, {
    instances: 3,
    bootstrap: { initdb: { database: 'todo' } },
    storage: { size: '1Gi' },
    managed: {
      services: {
        disabledDefaultServices: ['ro', 'r'],
        additional: [
          {
            selectorType: 'rw',
            serviceTemplate: { metadata: { name: 'cluster-rw-lb' }, spec: { type: 'LoadBalancer' } },
          },
        ],
      },
    },
  });
});

it('the operator and the cloud: credentials Secret and LoadBalancer IP flow back to the management cluster', async () => {
  const service = await fleet.client('service-cluster');
  // What the CNPG operator would create for cluster-workload-cluster.
  await service.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'cluster-workload-cluster-app',
      namespace: 'workload-cluster',
      labels: { 'cnpg.io/reload': 'true', 'cnpg.io/cluster': 'cluster-workload-cluster' },
    },
    type: 'kubernetes.io/basic-auth',
    data: { username: b64('app'), password: b64('s3cretPw') },
  });
  const svc = await service.create<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'cluster-rw-lb',
      namespace: 'workload-cluster',
      labels: { 'cnpg.io/isManaged': 'true', 'cnpg.io/cluster': 'cluster-workload-cluster' },
    },
    spec: {
      type: 'LoadBalancer',
      selector: { 'cnpg.io/cluster': 'cluster-workload-cluster', role: 'primary' },
      ports: [{ name: 'postgres', protocol: 'TCP', port: 5432, targetPort: 5432 }],
    },
  });
  // No ingress IP yet: the template cannot index it; reported, nothing generated.
  assert.match(
    await failureOf(LB_REPORT),
    /EventTrigger "cnpg-loadbalancer-data".*credentials:7:\d+: .*map has no entry for key "ingress"/,
  );
  assert.equal((await generatedProfiles('cnpg-loadbalancer-data')).length, 0);
  // What the cloud's load-balancer controller would do.
  await service.updateStatus({ ...svc, status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } } });

  const creds = await until('pg-credentials in the management cluster', () =>
    getOrUndefined(fleet.mgmt, {
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'workload-cluster',
      name: 'pg-credentials',
    }),
  );
  const data = (creds as { data: Record<string, string> }).data;
  assert.equal(Buffer.from(data.user, 'base64').toString(), 'app');
  assert.equal(Buffer.from(data.password, 'base64').toString(), 's3cretPw');

  const lbData = async (ip: string) =>
    until(`pg-loadbalancer-data with ${ip}`, async () => {
      const cm = await getOrUndefined(fleet.mgmt, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'workload-cluster',
        name: 'pg-loadbalancer-data',
      });
      const d = (cm as { data?: Record<string, string> } | undefined)?.data;
      return d?.['external-ip'] === ip ? d : undefined;
    });
  assert.deepEqual(await lbData('203.0.113.10'), { 'external-ip': '203.0.113.10', port: '5432' });
  await failureOf(LB_REPORT, false);

  // The cloud moves the load balancer: the ConfigMap follows.
  const cur = await service.get<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    namespace: 'workload-cluster',
    name: 'cluster-rw-lb',
  });
  await service.updateStatus({ ...cur, status: { loadBalancer: { ingress: [{ ip: '203.0.113.77' }] } } });
  assert.deepEqual(await lbData('203.0.113.77'), { 'external-ip': '203.0.113.77', port: '5432' });
});

it('step 6: job-to-create-table + type=app → Job todo-table with credentials and address filled in', async () => {
  const workload = await fleet.client('workload-cluster');
  await kubectlOk('apply', '-f', JOB);
  await kubectlOk('label', 'sveltoscluster', '-n', 'workload-cluster', 'workload-cluster', 'type=app');
  const job = await until('Job todo-table in the workload cluster', () =>
    getOrUndefined(workload, { apiVersion: 'batch/v1', kind: 'Job', namespace: 'todo', name: 'todo-table' }),
  );
  const c = (
    job.spec as {
      template: { spec: { containers: { env: { name: string; value: string }[]; args: string[] }[] } };
    }
  ).template.spec.containers[0];
  assert.deepEqual(c.env, [{ name: 'PGPASSWORD', value: 's3cretPw' }]);
  assert.deepEqual(c.args.slice(0, 4), [
    '--host=203.0.113.77',
    '--port=5432',
    '--username=app',
    '--no-password',
  ]);

  // `kubectl get clustersummaries -A` as in the seed: every summary Provisioned.
  const provisioned = async () => {
    const out = JSON.parse(await kubectlOk('get', 'clustersummaries', '-A', '-o', 'json')) as {
      items: (KubeObject & { status?: { featureSummaries?: { featureID: string; status?: string }[] } })[];
    };
    const rows = out.items.map((cs) => [
      `${cs.metadata?.namespace}/${cs.metadata?.name}`,
      cs.status?.featureSummaries?.find((f) => f.featureID === 'Resources')?.status,
    ]);
    return rows.every(([, st]) => st === 'Provisioned') ? rows.map(([n]) => n as string) : undefined;
  };
  const names = await until('every ClusterSummary Provisioned', provisioned);
  assert.ok(names.includes('workload-cluster/deploy-job-sveltos-workload-cluster'), names.join(' '));
  // deploy-postgres-cluster → service-cluster; credentials-secret and cnpg-loadbalancer-data → mgmt.
  assert.equal(
    names.filter((n) => /^service-cluster\/sveltos-[a-z0-9]{20}-sveltos-service-cluster$/.test(n)).length,
    1,
  );
  assert.equal(names.filter((n) => /^mgmt\/sveltos-[a-z0-9]{20}-sveltos-mgmt$/.test(n)).length, 2);
});

it('a template error names the trigger, template and line, and removes nothing', async () => {
  const broken = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: pg-loadbalancer-data',
    '  namespace: {{ .Resource.metadata.namespace }}',
    'data:',
    '  external-ip: {{ (index .Resource.status.loadBalancer.ingress 0).ip }}',
    '  port: "{{ (index .Resource.spec.ports 3).targetPort }}"',
    '',
  ].join('\n');
  const src = await fleet.mgmt.get<KubeObject>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'loadbalancer-data',
  });
  await fleet.mgmt.update({ ...src, data: { credentials: broken } });
  const report = await failureOf(LB_REPORT);
  // e.g. EventTrigger "cnpg-loadbalancer-data" (cluster sveltos:service-cluster/service-cluster, …):
  // rendering ConfigMap default/loadbalancer-data key credentials failed: template: …:8:13: …
  assert.match(report, /EventTrigger "cnpg-loadbalancer-data"/);
  assert.match(report, /ConfigMap default\/loadbalancer-data key credentials:8:\d+: .*index out of range/);
  // Nothing already deployed was removed.
  const cm = await getOrUndefined(fleet.mgmt, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'workload-cluster',
    name: 'pg-loadbalancer-data',
  });
  assert.equal((cm as { data?: Record<string, string> } | undefined)?.data?.['external-ip'], '203.0.113.77');
  assert.equal((await generatedProfiles('cnpg-loadbalancer-data')).length, 1);
  const workload = await fleet.client('workload-cluster');
  const job = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'todo', name: 'todo-table' };
  assert.ok(await getOrUndefined(workload, job));
  // Fixed again (the upstream YAML): the failure clears.
  await kubectlOk('apply', '-f', FETCH_DATA);
  await failureOf(LB_REPORT, false);

  // A parse error in the template the management cluster's event renders.
  const pgSrc = await fleet.mgmt.get<KubeObject & { data: Record<string, string> }>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'postgres-cluster',
  });
  const yaml = pgSrc.data['cluster.yaml'];
  const cut = yaml.replace(
    'name: cluster-{{ .Resource.metadata.name }}',
    'name: cluster-{{ .Resource.metadata.name }',
  );
  assert.notEqual(cut, yaml);
  await fleet.mgmt.update({ ...pgSrc, data: { 'cluster.yaml': cut } });
  const parse = await failureOf(MGMT_REPORT);
  assert.match(parse, /EventTrigger "deploy-postgres-cluster"/);
  assert.match(parse, /ConfigMap default\/postgres-cluster key cluster\.yaml:4:/);
  const service = await fleet.client('service-cluster');
  assert.ok(
    await getOrUndefined(service, {
      ...CNPG,
      namespace: 'workload-cluster',
      name: 'cluster-workload-cluster',
    }),
  );
  assert.equal((await generatedProfiles('deploy-postgres-cluster')).length, 1);
  await kubectlOk('apply', '-f', AUTO_DEPLOY);
  await failureOf(MGMT_REPORT, false);
});

/** The report's `status.failureMessage` once set (or once cleared, with `set` false). */
async function failureOf(report: { namespace: string; name: string }, set = true): Promise<string> {
  return until(
    `failureMessage ${set ? 'on' : 'cleared from'} ${report.namespace}/${report.name}`,
    async () => {
      const r = await getOrUndefined(fleet.mgmt, { ...ER, ...report });
      const m = (r?.status as { failureMessage?: string } | undefined)?.failureMessage ?? '';
      return set ? m || undefined : r && !m ? 'cleared' : undefined;
    },
  );
}

/** The generated profile of `trigger` once it carries (or no longer carries) the empty-since stamp. */
function profileStamped(trigger: string, stamped: boolean): Promise<KubeObject> {
  return until(`${trigger} profile ${stamped ? 'stamped' : 'unstamped'} empty-since`, async () => {
    const [p] = await generatedProfiles(trigger);
    return p && (p.metadata?.annotations?.[EMPTY_SINCE_ANNOTATION] !== undefined) === stamped ? p : undefined;
  });
}

it('postgres=required removed: held through the grace (a transient empty report withdraws nothing), then withdrawn', async () => {
  const service = await fleet.client('service-cluster');
  const pgRef = { ...CNPG, namespace: 'workload-cluster', name: 'cluster-workload-cluster' };
  const [before] = await generatedProfiles('deploy-postgres-cluster');
  const pgUid = (await service.get(pgRef)).metadata?.uid;
  await kubectlOk('label', 'sveltoscluster', '-n', 'workload-cluster', 'workload-cluster', 'postgres-');
  const held = await profileStamped('deploy-postgres-cluster', true);
  assert.equal(held.metadata?.name, before.metadata?.name);
  assert.ok(await getOrUndefined(service, pgRef), 'the CNPG Cluster is kept while the report is empty');

  // The event comes back within the grace: same profile, stamp removed, nothing redeployed.
  await kubectlOk(
    'label',
    'sveltoscluster',
    '-n',
    'workload-cluster',
    'workload-cluster',
    'postgres=required',
  );
  const back = await profileStamped('deploy-postgres-cluster', false);
  assert.equal(back.metadata?.name, before.metadata?.name);
  assert.equal(back.metadata?.uid, before.metadata?.uid);
  assert.equal((await service.get(pgRef)).metadata?.uid, pgUid, 'the CNPG Cluster was never recreated');

  // Gone for good: withdrawn once the grace has passed.
  await kubectlOk('label', 'sveltoscluster', '-n', 'workload-cluster', 'workload-cluster', 'postgres-');
  await profileStamped('deploy-postgres-cluster', true);
  clock.advance(GRACE_MS);
  await until(
    'the generated profile withdrawn',
    async () => (await generatedProfiles('deploy-postgres-cluster')).length === 0,
  );
  await until(
    'the CNPG Cluster removed from the service cluster',
    async () => !(await getOrUndefined(service, pgRef)),
  );
  const left = await fleet.mgmt.list(
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'projectsveltos' },
    { labelSelector: `${TRIGGER_LABEL}=deploy-postgres-cluster` },
  );
  assert.equal(left.items.length, 0);

  // The operator removes what it created for the Cluster: the data in the management cluster follows.
  await service.delete({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: 'workload-cluster',
    name: 'cluster-workload-cluster-app',
  });
  await service.delete({
    apiVersion: 'v1',
    kind: 'Service',
    namespace: 'workload-cluster',
    name: 'cluster-rw-lb',
  });
  await profileStamped('credentials-secret', true);
  await profileStamped('cnpg-loadbalancer-data', true);
  clock.advance(GRACE_MS);
  for (const [kind, name] of [
    ['Secret', 'pg-credentials'],
    ['ConfigMap', 'pg-loadbalancer-data'],
  ])
    await until(
      `${name} removed from the management cluster`,
      async () =>
        !(await getOrUndefined(fleet.mgmt, { apiVersion: 'v1', kind, namespace: 'workload-cluster', name })),
    );
});
