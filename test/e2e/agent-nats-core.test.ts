// The agent's NATS watcher against a real nats-server (core subjects): seed 003 login events,
// user/password and token auth, reconnect after a server restart, Secret change → new config.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  cloudEvent,
  freePort,
  type NatsServer,
  NatsAgentHarness,
  startNatsServer,
  until,
} from '../support/nats.js';

const USER = { user: 'admin', password: 'my-password' };
const TOKEN = 's3cret-token';
let withUser: NatsServer;
let withToken: NatsServer;
const h = new NatsAgentHarness();
const clients: NatsConnection[] = [];

async function client(server: NatsServer, auth: { user?: string; pass?: string; token?: string }) {
  const nc = await connect({
    servers: server.url,
    ...auth,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 100,
  });
  clients.push(nc);
  return nc;
}

/** Publishes (a fresh id each time, core NATS is at-most-once) until the event is recorded. */
async function publishUntilRecorded(
  nc: NatsConnection,
  natsSubject: string,
  eventSource: string,
  fields: { subject: string; type?: string },
) {
  let n = 0;
  return until(`CloudEvent ${fields.subject} in report ${eventSource}`, async () => {
    nc.publish(natsSubject, cloudEvent({ id: `${fields.subject}-${n++}`, ...fields }));
    await nc.flush();
    await new Promise((r) => setTimeout(r, 100));
    const evs = await h.cloudEvents(eventSource);
    return evs.find((e) => e.subject === fields.subject);
  });
}

before(async () => {
  [withUser, withToken] = await Promise.all([
    startNatsServer({ jetstream: false, user: USER }),
    startNatsServer({ jetstream: false, token: TOKEN }),
  ]);
  await h.open();
  await h.eventSource('user-operation', [
    { subject: 'user-operation', cloudEventSource: 'auth.example.com' },
  ]);
  await h.eventSource('billing', [{ cloudEventSource: '^billing\\.' }]);
  await h.setSecret({
    nats: {
      configuration: {
        url: withUser.url,
        subjects: ['user-operation', 'billing.>'],
        authorization: { user: USER },
      },
    },
  });
  await h.startAgent();
});

after(async () => {
  for (const nc of clients) await nc.close().catch(() => {});
  await h.close();
  await withUser?.close();
  await withToken?.close();
});

test('seed 003: a login CloudEvent on user-operation is recorded in the EventSource report (user/password auth)', async () => {
  const nc = await client(withUser, { user: USER.user, pass: USER.password });
  const ev = await publishUntilRecorded(nc, 'user-operation', 'user-operation', { subject: 'mgianluc' });
  assert.equal(ev.type, 'auth.example.com.login');
  assert.equal(ev.source, 'auth.example.com');
  assert.deepEqual(ev.data, { message: 'hello' });
  const report = await h.report('user-operation');
  assert.equal(report?.spec?.eventSourceName, 'user-operation');
  assert.equal(report?.spec?.clusterName, 'c1');
  assert.equal(report?.status?.phase, 'WaitingForDelivery');
  assert.equal(report?.metadata?.labels?.['projectsveltos.io/eventsource-name'], 'user-operation');
  // The billing EventSource does not match auth.example.com events.
  assert.deepEqual(await h.cloudEvents('billing'), []);
});

test('matching is per EventSource: a billing event on a wildcard subject goes to billing only', async () => {
  const nc = await client(withUser, { user: USER.user, pass: USER.password });
  const before = (await h.cloudEvents('user-operation')).length;
  let n = 0;
  await until('billing event recorded', async () => {
    nc.publish(
      'billing.invoice',
      cloudEvent({ id: `inv-${n++}`, source: 'billing.example.com', type: 'invoice', subject: 'inv' }),
    );
    await nc.flush();
    await new Promise((r) => setTimeout(r, 100));
    return (await h.cloudEvents('billing')).length > 0;
  });
  assert.equal((await h.cloudEvents('user-operation')).length, before);
});

test('after collection (cloudEvents cleared, Processed) a new event re-opens the report; an old id stays collected', async () => {
  const nc = await client(withUser, { user: USER.user, pass: USER.password });
  const r = await h.report('user-operation');
  assert.ok(r?.metadata);
  const collected = (await h.cloudEvents('user-operation')).find((e) => e.subject === 'mgianluc');
  assert.ok(collected);
  await h.client.update({ ...r, spec: { ...r.spec, cloudEvents: [] } } as typeof r & {
    metadata: { name: string };
  });
  const cleared = await h.report('user-operation');
  assert.ok(cleared?.metadata);
  await h.client.updateStatus({ ...cleared, status: { phase: 'Processed' } } as typeof cleared & {
    metadata: { name: string };
  });
  // The same CloudEvent again (a redelivery after collection): already handled, not re-recorded.
  nc.publish('user-operation', cloudEvent({ id: String(collected.id), subject: 'mgianluc' }));
  await publishUntilRecorded(nc, 'user-operation', 'user-operation', { subject: 'after-collection' });
  const after = await h.report('user-operation');
  assert.equal(after?.status?.phase, 'WaitingForDelivery');
  const subjects = new Set((await h.cloudEvents('user-operation')).map((e) => e.subject));
  assert.deepEqual([...subjects], ['after-collection']);
});

test('a malformed message is dropped with a reason and the next good one still flows', async () => {
  const nc = await client(withUser, { user: USER.user, pass: USER.password });
  nc.publish('user-operation', 'this is not a CloudEvent');
  await nc.flush();
  await until('rejected disposition', async () => h.dispositions.some((x) => x.d.kind === 'rejected'));
  const rejected = h.dispositions.find((x) => x.d.kind === 'rejected');
  assert.ok(rejected?.d.kind === 'rejected' && /not JSON/.test(rejected.d.reason));
  assert.match(h.logText, /not a valid CloudEvent/);
  await publishUntilRecorded(nc, 'user-operation', 'user-operation', { subject: 'after-malformed' });
});

test('the agent reconnects after the NATS server restarts', async () => {
  await withUser.restart();
  const nc = await client(withUser, { user: USER.user, pass: USER.password });
  await publishUntilRecorded(nc, 'user-operation', 'user-operation', { subject: 'after-restart' });
});

test('a Secret change reconnects with the new configuration (token auth)', async () => {
  // First to a server that is not there: the watcher keeps retrying, and the next change still applies.
  const nowhere = `nats://127.0.0.1:${await freePort()}`;
  await h.setSecret({ nats: { configuration: { url: nowhere, subjects: ['user-operation'] } } });
  await until(
    'connect failure logged',
    async () => h.logText.includes(nowhere) && /cannot connect to NATS/.test(h.logText),
  );
  await h.setSecret({
    nats: {
      configuration: { url: withToken.url, subjects: ['user-operation'], authorization: { token: TOKEN } },
    },
  });
  const nc = await client(withToken, { token: TOKEN });
  await publishUntilRecorded(nc, 'user-operation', 'user-operation', { subject: 'via-token' });
  // The old server is no longer listened to.
  const old = await client(withUser, { user: USER.user, pass: USER.password });
  const count = (await h.cloudEvents('user-operation')).length;
  old.publish('user-operation', cloudEvent({ id: 'old-server', subject: 'old-server' }));
  await old.flush();
  // Prove the agent processed later traffic on the new server before checking the old one had no effect.
  await publishUntilRecorded(nc, 'user-operation', 'user-operation', { subject: 'via-token-2' });
  const evs = await h.cloudEvents('user-operation');
  assert.equal(
    evs.some((e) => e.subject === 'old-server'),
    false,
  );
  assert.ok(evs.length > count);
});

test('an invalid Secret leaves the watcher idle with an error naming the field', async () => {
  const configured = new Promise<[string, string | undefined]>((resolve) =>
    h.module?.events.once('configured', (hash, err) => resolve([hash, err])),
  );
  await h.setSecret({ nats: { configuration: { subjects: ['user-operation'] } } });
  const [hash, err] = await configured;
  assert.equal(hash, '');
  assert.match(err ?? '', /nats\.configuration\.url/);
});
