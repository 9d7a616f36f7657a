// The agent's JetStream consumer against a real `nats-server -js`: durable at-least-once delivery
// across agent restarts (exactly once in effect), malformed messages terminated without blocking
// the stream, redelivery after a failed recording, and reconnect after a server restart.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ReceivedCloudEvent } from '../../src/agent/nats/index.js';
import { cloudEvent, type NatsServer, NatsAgentHarness, startNatsServer, until } from '../support/nats.js';

const STREAM = 'EVENTS';
const DURABLE = 'sveltos-agent-fleet-c1';
let server: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
const h = new NatsAgentHarness();

const ids = async () => (await h.cloudEvents('user-operation')).map((e) => String(e.id));

async function publish(id: string, subject = id, body?: string): Promise<void> {
  await until(`publish ${id}`, async () => {
    await js.publish('user-operation.auth', body ?? cloudEvent({ id, subject }));
    return true;
  });
}

async function drained(): Promise<boolean> {
  const info = await jsm.consumers.info(STREAM, DURABLE);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

before(async () => {
  server = await startNatsServer({ jetstream: true });
  nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  jsm = await jetstreamManager(nc);
  js = jetstream(nc);
  await jsm.streams.add({ name: STREAM, subjects: ['user-operation.>', 'other.>'] });
  await h.open();
  await h.eventSource('user-operation', [
    { subject: '^user-operation\\.', cloudEventSource: 'auth.example.com' },
  ]);
  await h.setSecret({
    jetstream: {
      configuration: { url: server.url, streams: [{ name: STREAM, subjects: ['user-operation.>'] }] },
    },
  });
  await h.startAgent();
});

after(async () => {
  await nc?.close().catch(() => {});
  await h.close();
  await server?.close();
});

test('a CloudEvent on a stream subject is recorded through a durable consumer and acked', async () => {
  await publish('e1');
  await until('e1 recorded', async () => (await ids()).includes('e1'));
  await until('consumer drained', drained);
  const info = await jsm.consumers.info(STREAM, DURABLE);
  assert.equal(info.config.durable_name, DURABLE);
  assert.equal(info.config.ack_policy, 'explicit');
});

test('a message on a stream subject not listed in the Secret is acked without recording', async () => {
  await js.publish('other.x', cloudEvent({ id: 'other-1', subject: 'other' }));
  await until('consumer drained', drained);
  assert.equal((await ids()).includes('other-1'), false);
});

test('a malformed message is terminated with a reason and the next good message still flows', async () => {
  await publish('bad', 'bad', '{"specversion":"1.0","id":"x"');
  await publish('e2');
  await until('e2 recorded', async () => (await ids()).includes('e2'));
  await until('consumer drained', drained);
  const rejected = h.dispositions.filter((x) => x.d.kind === 'rejected');
  assert.equal(rejected.length, 1, 'terminated once, never redelivered');
  assert.ok(rejected[0].d.kind === 'rejected' && /not JSON/.test(rejected[0].d.reason));
  assert.match(h.logText, /not a valid CloudEvent/);
  const metric = await h.registry.getSingleMetric('flotilla_agent_cloudevents_total')?.get();
  const count = (result: string) => metric?.values.find((v) => v.labels.result === result)?.value ?? 0;
  assert.equal(count('rejected'), 1);
  assert.ok(count('recorded') >= 2);
});

test('events published while the agent is down are acted on after restart, exactly once in effect', async () => {
  await h.stopAgent();
  await publish('e3', 'while-down');
  await publish('e1'); // a redelivery-like duplicate (same id + source) of an event already recorded
  await publish('e3', 'while-down');
  h.dispositions.length = 0;
  await h.startAgent();
  await until('e3 recorded', async () => (await ids()).includes('e3'));
  // A message the server handed to the stopped agent's last pull request comes back after ack_wait.
  await until('consumer drained', drained, 40_000);
  const all = await ids();
  assert.equal(all.filter((i) => i === 'e1').length, 1);
  assert.equal(all.filter((i) => i === 'e3').length, 1);
  const dups = h.dispositions.filter((x) => x.d.kind === 'recorded' && x.d.duplicates > 0).length;
  assert.ok(dups >= 2, 'the repeated e1 and e3 were seen and recorded as duplicates');
});

test('a failed recording is nak-ed and redelivered until it succeeds', async () => {
  await h.stopAgent();
  const recorded: ReceivedCloudEvent[] = [];
  let failures = 2;
  h.moduleOpts = {
    nakDelayMs: 50,
    sink: () => ({
      record: async (_es, ev) => {
        if (failures-- > 0) throw new Error('report write failed (test)');
        recorded.push(ev);
        return 'recorded';
      },
    }),
  };
  try {
    await h.startAgent();
    await publish('e4');
    await until('e4 recorded by the flaky sink', async () => recorded.some((e) => e.id === 'e4')).catch(
      (err) => {
        throw new Error(`${err.message}\n${h.logText.slice(-4000)}`);
      },
    );
    await until('consumer drained', drained);
    assert.equal(h.dispositions.filter((x) => x.d.kind === 'failed').length, 2);
    assert.equal(recorded.filter((e) => e.id === 'e4').length, 1);
    assert.match(h.logText, /will be redelivered/);
  } finally {
    await h.stopAgent();
    h.moduleOpts = {};
    await h.startAgent();
  }
});

test('the agent reconnects after the JetStream server restarts (durable state kept)', async () => {
  await until('agent consuming again', drained);
  await server.restart();
  await publish('e5');
  await until('e5 recorded', async () => (await ids()).includes('e5'));
  await until('consumer drained', drained);
});

test('a stream missing from the server is waited for; once created its events flow', async () => {
  await h.eventSource('late', [{ subject: '^late\\.' }]);
  await h.setSecret({
    jetstream: {
      configuration: {
        url: server.url,
        streams: [
          { name: STREAM, subjects: ['user-operation.>'] },
          { name: 'LATE', subjects: ['late.>'] },
        ],
      },
    },
  });
  await until('missing stream logged', async () => /JetStream consumer not ready/.test(h.logText));
  await jsm.streams.add({ name: 'LATE', subjects: ['late.>'] });
  await js.publish('late.one', cloudEvent({ id: 'late-1', subject: 'late' }));
  await until('late-1 recorded', async () => (await h.cloudEvents('late')).some((e) => e.id === 'late-1'));
  await publish('e6');
  await until('e6 recorded on the first stream too', async () => (await ids()).includes('e6'));
});
