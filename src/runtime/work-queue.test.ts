import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { ExponentialBackoff } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

test('de-duplicates keys waiting in the queue and keeps FIFO order', async () => {
  const q = new WorkQueue<string>({ clock: new FakeClock() });
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
  assert.equal(q.len(), 0);
});

test('a key added while processing is not handed out until done, then exactly once', async () => {
  const q = new WorkQueue<string>({ clock: new FakeClock() });
  q.add('k');
  const k = await q.get();
  assert.equal(k, 'k');
  q.add('k');
  q.add('k');
  assert.equal(q.len(), 0, 'not available to a second worker');
  let second: string | undefined;
  const p = q.get().then((v) => {
    second = v;
  });
  await Promise.resolve();
  assert.equal(second, undefined);
  q.done('k');
  await p;
  assert.equal(second, 'k');
  q.done('k');
  assert.equal(q.len(), 0);
  assert.equal(q.inFlight(), 0);
});

test('addAfter delays a key by the clock and the earliest schedule wins', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue<string>({ clock });
  q.addAfter('a', 100);
  q.addAfter('a', 50);
  q.addAfter('a', 500);
  assert.equal(q.delayedLen(), 1);
  clock.advance(49);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  assert.equal(q.delayedLen(), 0);
  clock.advance(1000);
  assert.equal(q.len(), 1, 'the later schedules were dropped');
});

test('addRateLimited backs off exponentially per key until forget', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue<string>({
    clock,
    rateLimiter: new ExponentialBackoff({ baseDelayMs: 10, maxDelayMs: 1000 }),
  });
  const seen: number[] = [];
  for (let i = 0; i < 4; i++) {
    const start = clock.now();
    q.addRateLimited('k');
    while (q.len() === 0) clock.advance(1);
    seen.push(clock.now() - start);
    q.done((await q.get())!);
  }
  assert.deepEqual(seen, [10, 20, 40, 80]);
  assert.equal(q.numRequeues('k'), 4);
  q.forget('k');
  assert.equal(q.numRequeues('k'), 0);
});

test('shutdown wakes waiting workers, drops waiting keys and drains in-flight ones', async () => {
  const clock = new FakeClock();
  const q = new WorkQueue<string>({ clock });
  q.add('busy');
  const busy = await q.get();
  q.add('waiting');
  q.addAfter('later', 10);
  let drained = false;
  const d = q.shutDownWithDrain().then(() => {
    drained = true;
  });
  assert.equal(await q.get(), undefined);
  q.add('new');
  assert.equal(q.len(), 0);
  await Promise.resolve();
  assert.equal(drained, false, 'waits for the in-flight key');
  q.done(busy!);
  await d;
  assert.equal(drained, true);
  clock.advance(100);
  assert.equal(q.len(), 0);
});

test('N workers never process the same key concurrently', async () => {
  const q = new WorkQueue<number>({ clock: new FakeClock() });
  const active = new Set<number>();
  let overlaps = 0;
  let processed = 0;
  const worker = async () => {
    for (;;) {
      const k = await q.get();
      if (k === undefined) return;
      if (active.has(k)) overlaps++;
      active.add(k);
      // Re-add while processing, as an informer event would.
      if (processed < 500) q.add(k);
      await new Promise((r) => setImmediate(r));
      active.delete(k);
      processed++;
      q.done(k);
    }
  };
  for (let i = 0; i < 20; i++) q.add(i % 5);
  const workers = Array.from({ length: 4 }, worker);
  while (processed < 500) await new Promise((r) => setImmediate(r));
  await q.shutDownWithDrain();
  await Promise.all(workers);
  assert.equal(overlaps, 0);
});
