// Leader election between two managers on one Lease, against the embedded API server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { LeadershipLostError, Manager, type Runnable } from '../../src/runtime/index.js';

let server: ApiServer;
let client: KubeClient;

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt'] });
  client = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') });
});

const stops: AbortController[] = [];
after(async () => {
  // A failed assertion must not leave managers campaigning against a stopped server.
  for (const s of stops) s.abort();
  client?.close();
  await server?.stop();
});

const timing = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 };

function leaderRunnable(active: Set<string>, id: string, log: string[]): Runnable {
  return {
    needLeaderElection: true,
    async start(signal) {
      active.add(id);
      log.push(`lead ${id}`);
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      active.delete(id);
    },
  };
}

function manager(identity: string, active: Set<string>, log: string[], lease = 'flotilla-test') {
  const m = new Manager({
    name: identity,
    leaderElection: { client, namespace: 'kube-system', name: lease, identity, ...timing },
  });
  m.add(leaderRunnable(active, identity, log), 'leader-only');
  return m;
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('one of two managers leads; the other takes over when the leader stops and releases', async () => {
  const active = new Set<string>();
  const log: string[] = [];
  const a = manager('a', active, log);
  const acA = new AbortController();
  stops.push(acA);
  const runA = a.start(acA.signal);
  await a.elected();
  await until('a runs its leader runnable', () => active.has('a'));
  const b = manager('b', active, log);
  // Runnables that do not need leadership (caches, servers) run on followers too.
  let followerRan = false;
  b.add({
    async start(signal) {
      followerRan = true;
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    },
  });
  const acB = new AbortController();
  stops.push(acB);
  const runB = b.start(acB.signal);
  // b keeps campaigning while a renews: never two leaders.
  const watchUntil = Date.now() + 2 * timing.leaseDurationMs;
  while (Date.now() < watchUntil) {
    assert.ok(active.size <= 1, `two leaders: ${[...active]}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.deepEqual([...active], ['a']);
  assert.equal(b.isLeader(), false);
  assert.equal(followerRan, true);
  const lease = await client.get<KubeObject & { spec: Record<string, unknown> }>({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: 'kube-system',
    name: 'flotilla-test',
  });
  assert.equal(lease.spec.holderIdentity, 'a');

  // Stopping a releases the lease: b takes over without waiting for the lease to expire.
  const stoppedAt = Date.now();
  acA.abort();
  await runA;
  await b.elected();
  assert.ok(Date.now() - stoppedAt < timing.leaseDurationMs, 'took over after release, not expiry');
  await until('b runs its leader runnable', () => active.has('b'));
  assert.deepEqual([...active], ['b']);
  const after = await client.get<KubeObject & { spec: Record<string, unknown> }>({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    namespace: 'kube-system',
    name: 'flotilla-test',
  });
  assert.equal(after.spec.holderIdentity, 'b');
  assert.equal(after.spec.leaseTransitions, 1, 'created by a (0), taken by b (1)');
  acB.abort();
  await runB;
  assert.deepEqual(log, ['lead a', 'lead b']);
});

test('a crashed leader (no release) is replaced after the lease expires', async () => {
  const active = new Set<string>();
  const log: string[] = [];
  // Simulate a leader that died: a lease held by "ghost" that nobody renews.
  const now = new Date().toISOString().replace('Z', '000Z');
  await client.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'crashed', namespace: 'kube-system' },
    spec: {
      holderIdentity: 'ghost',
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    },
  });
  const c = manager('c', active, log, 'crashed');
  const ac = new AbortController();
  stops.push(ac);
  const started = Date.now();
  const run = c.start(ac.signal);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(c.isLeader(), false, 'waits while the ghost lease is valid');
  await c.elected();
  assert.ok(Date.now() - started >= 900, 'waited for the lease duration');
  await until('c runs its leader runnable', () => active.has('c'));
  ac.abort();
  await run;
});

test('a leader that cannot renew before the deadline stops its controllers and fails', async () => {
  const own = await startApiServer({ memory: true, port: 0, clusters: ['solo'] });
  const soloClient = await KubeClient.fromKubeconfig({ yaml: own.kubeconfig('solo') });
  const active = new Set<string>();
  const m = new Manager({
    leaderElection: {
      client: soloClient,
      namespace: 'kube-system',
      name: 'solo',
      identity: 'solo',
      ...timing,
    },
  });
  m.add(leaderRunnable(active, 'solo', []), 'leader-only');
  const ac = new AbortController();
  stops.push(ac);
  const run = m.start(ac.signal);
  try {
    await m.elected();
    await until('leader runnable', () => active.has('solo'));
    const lostAt = Date.now();
    await own.stop(); // the API server goes away: renewals fail
    await assert.rejects(run, LeadershipLostError);
    assert.ok(Date.now() - lostAt >= timing.renewDeadlineMs - 200, 'kept leading until the renew deadline');
    assert.equal(active.size, 0, 'leader runnables were stopped');
    assert.equal(m.isLeader(), false);
  } finally {
    soloClient.close();
  }
});
