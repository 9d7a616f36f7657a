// The empty-report safeguard survives a controller restart: the first empty observation is stored
// on the generated ClusterProfile (API server), so a new controller neither forgets the pending
// removal nor restarts the count.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { EMPTY_SINCE_ANNOTATION, EventLabels } from '../../src/controllers/event/labels.js';
import { createEventControllers } from '../../src/controllers/event/module.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { systemClock } from '../../src/lib/clock.js';
import { InformerFactory, silentLogger } from '../../src/runtime/index.js';
import { installCrds } from './addon-harness.js';

const LIB = 'lib.projectsveltos.io/v1beta1';
let server: ApiServer;
let mgmt: KubeClient;

async function eventually<T>(what: string, f: () => Promise<T | undefined>, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function startControllers(graceMs: number): { stop: () => Promise<void> } {
  const ac = new AbortController();
  const informers = new InformerFactory({ logger: silentLogger() });
  const comps = createEventControllers(
    { options: { needLeaderElection: false }, mgmt, informers, logger: silentLogger(), clock: systemClock },
    { emptyGraceMs: graceMs },
  );
  const runs = [informers, ...comps.map((c) => c.runnable)].map((r) => r.start(ac.signal));
  return {
    stop: async () => {
      ac.abort();
      await Promise.all(runs);
    },
  };
}

const profiles = async (): Promise<KubeObject[]> =>
  (
    await mgmt.list(
      { apiVersion: 'config.projectsveltos.io/v1beta1', kind: 'ClusterProfile' },
      { labelSelector: `${EventLabels.eventTriggerName}=t` },
    )
  ).items;

async function setMatching(names: string[]): Promise<void> {
  const ref = { apiVersion: LIB, kind: 'EventReport', namespace: 'fleet', name: 'sveltos--es--prod' };
  const spec = {
    clusterNamespace: 'fleet',
    clusterName: 'prod',
    clusterType: 'Sveltos',
    eventSourceName: 'es',
    matchingResources: names.map((name) => ({ apiVersion: 'v1', kind: 'Pod', namespace: 'x', name })),
  };
  const cur = await mgmt.get(ref).catch(() => undefined);
  if (cur) await mgmt.update({ ...cur, spec });
  else
    await mgmt.create({
      apiVersion: LIB,
      kind: 'EventReport',
      metadata: { name: ref.name, namespace: 'fleet' },
      spec,
    });
}

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt'] });
  mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'test-mgmt' });
  await installCrds(mgmt);
  await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fleet' } });
  const cl = await mgmt.create({
    apiVersion: LIB,
    kind: 'SveltosCluster',
    metadata: { name: 'prod', namespace: 'fleet', labels: { env: 'production' } },
    spec: {},
  });
  await mgmt.updateStatus({ ...cl, status: { ready: true } });
  await mgmt.create({
    apiVersion: LIB,
    kind: 'EventTrigger',
    metadata: { name: 't' },
    spec: {
      sourceClusterSelector: { matchLabels: { env: 'production' } },
      eventSourceName: 'es',
      oneForEvent: true,
    },
  });
});

after(async () => {
  mgmt.close();
  await server.stop();
});

it('a restart keeps the first empty observation; the removal still happens once confirmed', async () => {
  let ctl = startControllers(2500);
  await setMatching(['p1']);
  const [p] = await eventually('profile', async () => {
    const l = await profiles();
    return l.length === 1 ? l : undefined;
  });
  await setMatching([]);
  const since = await eventually(
    'stamp',
    async () => (await profiles())[0]?.metadata?.annotations?.[EMPTY_SINCE_ANNOTATION],
  );
  await ctl.stop();
  ctl = startControllers(2500);
  try {
    // The new controller finds the stamp: it is not replaced (no new count) ...
    const l = await profiles();
    if (l.length === 1) assert.equal(l[0].metadata?.annotations?.[EMPTY_SINCE_ANNOTATION], since);
    // ... and withdraws the profile once the grace from the *first* observation has passed.
    await eventually('withdrawn', async () => ((await profiles()).length === 0 ? true : undefined));
    assert.ok(p.metadata?.name);
  } finally {
    await ctl.stop();
  }
});
