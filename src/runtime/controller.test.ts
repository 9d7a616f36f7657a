import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { FakeClock } from '../lib/clock.js';
import { ConflictError, NotFoundError } from '../kube/index.js';
import { Controller, mappers, splitClusterKey, splitKey } from './controller.js';
import { Outcome } from './outcome.js';

const tick = () => new Promise((r) => setImmediate(r));

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await tick();
  assert.ok(cond(), 'condition not reached');
}

const ctx = { cluster: 'c1', verb: 'update', target: 'v1 ConfigMap default/a' };

test('outcomes drive the queue: retry backs off, requeueAfter delays, done forgets, terminal stops', async () => {
  const clock = new FakeClock();
  const registry = new Registry();
  const calls: { key: string; at: number; retries: number }[] = [];
  const plan: Record<string, Outcome[]> = {
    r: [Outcome.retry(new Error('x')), Outcome.retry(new Error('x')), Outcome.done],
    q: [Outcome.requeueAfter(1000), Outcome.done],
    t: [Outcome.terminal(new Error('bad spec'))],
  };
  const c = new Controller({
    name: 'test',
    clock,
    registry,
    workers: 2,
    rateLimit: { baseDelayMs: 100, maxDelayMs: 10_000 },
    reconcile: async (key, rc) => {
      calls.push({ key, at: clock.now(), retries: rc.retries });
      return plan[key]!.shift()!;
    },
  });
  const ac = new AbortController();
  const running = c.start(ac.signal);
  for (const k of ['r', 'q', 't']) c.enqueue(k);
  await until(() => calls.length === 3);
  clock.advance(100);
  await until(() => calls.length === 4);
  clock.advance(199);
  await tick();
  assert.equal(calls.length, 4, 'second retry waits 200 ms');
  clock.advance(1);
  await until(() => calls.length === 5);
  clock.advance(1000);
  await until(() => calls.length === 6);
  clock.advance(100_000);
  await tick();
  const text = await registry.metrics();
  ac.abort();
  await running;
  assert.deepEqual(
    calls.map((x) => [x.key, x.at, x.retries]),
    [
      ['r', 0, 0],
      ['q', 0, 0],
      ['t', 0, 0],
      ['r', 100, 1],
      ['r', 300, 2],
      ['q', 1300, 0],
    ],
  );
  assert.match(text, /flotilla_reconcile_total\{controller="test",result="retry"\} 2/);
  assert.match(text, /flotilla_reconcile_total\{controller="test",result="terminal"\} 1/);
  assert.match(text, /flotilla_reconcile_errors_total\{controller="test"\} 3/);
  assert.match(text, /flotilla_workqueue_depth\{controller="test"\} 0/);
});

test('thrown errors are classified: retryable API errors retry, others are terminal', async () => {
  const clock = new FakeClock();
  const seen: string[] = [];
  const c = new Controller({
    name: 'throws',
    clock,
    rateLimit: { baseDelayMs: 10 },
    reconcile: async (key) => {
      seen.push(key);
      if (key === 'conflict' && seen.filter((k) => k === 'conflict').length === 1)
        throw new ConflictError(ctx, 409);
      if (key === 'missing') throw new NotFoundError(ctx, 404);
      return Outcome.done;
    },
  });
  const ac = new AbortController();
  const running = c.start(ac.signal);
  c.enqueue('conflict');
  c.enqueue('missing');
  await until(() => seen.length === 2);
  clock.advance(10);
  await until(() => seen.length === 3);
  clock.advance(100_000);
  await tick();
  ac.abort();
  await running;
  assert.deepEqual(seen, ['conflict', 'missing', 'conflict']);
});

test('stop lets the in-flight reconcile finish and passes it the abort signal', async () => {
  let release!: () => void;
  let sawAbort = false;
  let finished = false;
  const c = new Controller({
    name: 'drain',
    clock: new FakeClock(),
    reconcile: async (_key, rc) => {
      await new Promise<void>((r) => (release = r));
      sawAbort = rc.signal.aborted;
      finished = true;
      return Outcome.done;
    },
  });
  const ac = new AbortController();
  const running = c.start(ac.signal);
  c.enqueue('k');
  await until(() => release !== undefined);
  ac.abort();
  let stopped = false;
  void running.then(() => (stopped = true));
  await tick();
  assert.equal(stopped, false, 'waits for the in-flight key');
  release();
  await running;
  assert.equal(finished, true);
  assert.equal(sawAbort, true);
});

test('mappers and key helpers', () => {
  const owned = {
    metadata: {
      namespace: 'ns',
      name: 'child',
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: '1', controller: true },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'other', uid: '2' },
      ],
    },
  };
  assert.deepEqual(mappers.self(owned), ['ns/child']);
  assert.deepEqual(mappers.toOwner('Deployment')(owned), ['ns/web']);
  assert.deepEqual(mappers.inCluster('c7', mappers.toOwner('Deployment'))(owned), ['c7:ns/web']);
  assert.deepEqual(splitClusterKey('c7:ns/web'), { cluster: 'c7', namespace: 'ns', name: 'web' });
  assert.deepEqual(splitClusterKey('c7:node1'), { cluster: 'c7', name: 'node1' });
  assert.deepEqual(splitKey('ns/a'), { namespace: 'ns', name: 'a' });
});
