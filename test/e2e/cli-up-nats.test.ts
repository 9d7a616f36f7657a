// Seed 003 ("Sveltos, NATS and JetStream") against a running `flotilla up --nats`, as a person
// runs it: the built CLI as a subprocess, the seed's YAML applied with kubectl to the management
// cluster (the `nats` chart served from a loopback repository, the `sveltos-nats` Secret pointing
// at a nats-server this test started with user admin / my-password), the login and logout
// CloudEvents published with the NATS client, and `kubectl get ns mgianluc` in the env=production
// cluster (cluster-a; cluster-b, env=staging, gets nothing). Then JetStream: `up` stopped with
// SIGINT, the login published while it is down, `up` started again on the same --state.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type ChartRepo, fixtureChart, startChartRepo } from '../../src/helm/testing/index.js';
import { type NatsServer, startNatsServer } from '../support/nats.js';
import { kubectl, requireBuild, startUp, stopUp, type Up, until } from './cli-up-helpers.js';
import { jetStreamConfig, LOGIN, LOGOUT, step3Yaml, step4Yaml, step5Yaml, USER } from './seed-003-helpers.js';

const state = mkdtempSync(join(tmpdir(), 'flotilla-cli-up-nats-'));
const kc = (cluster: string) => join(state, `${cluster}.kubeconfig`);
const UP_ARGS = ['--state', state, '--port', '0', '--nats'];
const STREAM = 'USER_OPERATIONS';
let up: Up | undefined;
let server: NatsServer;
let repo: ChartRepo;
let nc: NatsConnection;

async function ok(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const r = await kubectl(kubeconfig, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `kubectl get ns mgianluc`: true when it exists (and is not terminating). */
async function hasNamespace(cluster: string): Promise<boolean> {
  const r = await kubectl(kc(cluster), ['get', 'ns', 'mgianluc', '-o', 'json']);
  if (r.code !== 0) {
    assert.match(r.stderr, /NotFound/);
    return false;
  }
  return !(JSON.parse(r.stdout) as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp;
}

/** Core NATS reaches only existing subscriptions: publish until the agent has acted on it. */
async function publishUntil(what: string, body: string, done: () => Promise<boolean>): Promise<void> {
  await until(
    what,
    async () => {
      if (await done()) return true;
      nc.publish('user-operation', body);
      await nc.flush();
      return false;
    },
    60_000,
  );
}

before(async () => {
  requireBuild();
  server = await startNatsServer({ jetstream: true, user: USER });
  repo = await startChartRepo({ charts: [fixtureChart('nats/1.2.9')] });
  nc = await connect({
    servers: server.url,
    user: USER.user,
    pass: USER.password,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
  });
  up = await startUp(UP_ARGS);
});

after(async () => {
  if (up) await stopUp(up);
  await nc?.close().catch(() => {});
  await server?.close();
  await repo?.stop();
  rmSync(state, { recursive: true, force: true });
});

test('seed 003 with kubectl: login CloudEvent → namespace mgianluc in env=production; logout deletes it', async () => {
  await ok(kc('mgmt'), ['apply', '-f', '-'], step3Yaml(repo.url));
  await until('the nats chart (deployment nats-box) in cluster-a', async () => {
    const r = await kubectl(kc('cluster-a'), ['get', 'deployment', 'nats-box', '-n', 'nats']);
    return r.code === 0;
  });
  await ok(kc('mgmt'), ['apply', '-f', '-'], step4Yaml(server.url));
  await ok(kc('mgmt'), ['apply', '-f', '-'], step5Yaml());
  await until('Secret projectsveltos/sveltos-nats in cluster-a', async () => {
    const r = await kubectl(kc('cluster-a'), ['get', 'secret', 'sveltos-nats', '-n', 'projectsveltos']);
    return r.code === 0;
  });

  await publishUntil('kubectl get ns mgianluc in cluster-a', LOGIN, () => hasNamespace('cluster-a'));
  assert.equal(await hasNamespace('cluster-b'), false, 'cluster-b (env=staging) gets nothing');
  const secretB = await kubectl(kc('cluster-b'), ['get', 'secret', 'sveltos-nats', '-n', 'projectsveltos']);
  assert.notEqual(secretB.code, 0, 'no sveltos-nats Secret in cluster-b');

  nc.publish('user-operation', LOGOUT);
  await nc.flush();
  await until(
    'namespace mgianluc deleted from cluster-a',
    async () => !(await hasNamespace('cluster-a')),
    60_000,
  );
});

test('JetStream: a login published while up is stopped creates the namespace once up runs again', async () => {
  const jsm: JetStreamManager = await jetstreamManager(nc);
  await jsm.streams.add({ name: STREAM, subjects: ['user-operation'] });
  // The person switches the configuration to JetStream (same Secret, kubectl apply).
  await ok(kc('mgmt'), ['apply', '-f', '-'], step4Yaml(server.url, jetStreamConfig(server.url, STREAM)));
  const durable = await until('the durable consumer of cluster-a', async () => {
    for await (const ci of jsm.consumers.list(STREAM)) if (ci.name.endsWith('-cluster-a')) return ci.name;
    return undefined;
  });

  assert.ok(up);
  assert.equal(await stopUp(up), 0, 'up exits 0 on SIGINT');
  up = undefined;
  const js = jetstream(nc);
  await js.publish('user-operation', LOGIN);
  assert.equal((await jsm.consumers.info(STREAM, durable)).num_pending, 1, 'the login waits in the stream');

  up = await startUp(UP_ARGS);
  await until('kubectl get ns mgianluc in cluster-a after restart', () => hasNamespace('cluster-a'), 60_000);
  assert.equal(await hasNamespace('cluster-b'), false);
  await until(
    'consumer drained',
    async () => {
      const info = await jsm.consumers.info(STREAM, durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    },
    60_000,
  );

  await js.publish('user-operation', LOGOUT);
  await until(
    'namespace mgianluc deleted from cluster-a',
    async () => !(await hasNamespace('cluster-a')),
    60_000,
  );
});
