import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Manager } from './manager.js';
import type { Runnable } from './runnable.js';

function recorder(log: string[], name: string, needLeaderElection = false): Runnable {
  return {
    needLeaderElection,
    async start(signal) {
      log.push(`start ${name}`);
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      log.push(`stop ${name}`);
    },
  };
}

test('starts runnables, serves health and metrics, and stops leader runnables first', async () => {
  const log: string[] = [];
  const m = new Manager({ healthPort: 0, healthHost: '127.0.0.1', processMetrics: true });
  m.add(recorder(log, 'cache'), 'cache');
  m.add(recorder(log, 'controller', true), 'controller');
  m.addReadyCheck('custom', () => {});
  const ac = new AbortController();
  const running = m.start(ac.signal);
  await m.elected();
  assert.equal(m.isLeader(), true);
  for (let i = 0; i < 100 && log.length < 2; i++) await new Promise((r) => setImmediate(r));
  const base = `http://127.0.0.1:${m.port}`;
  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  const ready = await (await fetch(`${base}/readyz?verbose`)).text();
  assert.match(ready, /\[\+\]custom ok/);
  m.addHealthCheck('broken', () => {
    throw new Error('disk full');
  });
  const bad = await fetch(`${base}/healthz`);
  assert.equal(bad.status, 500);
  assert.match(await bad.text(), /\[-\]broken failed: disk full/);
  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /process_resident_memory_bytes/);
  m.add(recorder(log, 'late'), 'late');
  ac.abort();
  await running;
  assert.deepEqual(log.slice(0, 2).sort(), ['start cache', 'start controller']);
  assert.equal(log.indexOf('stop controller') < log.indexOf('stop cache'), true, log.join(', '));
  assert.ok(log.includes('start late'));
  await assert.rejects(fetch(`${base}/healthz`));
});

test('a failing runnable stops the others and makes start reject', async () => {
  const log: string[] = [];
  const m = new Manager();
  m.add(recorder(log, 'ok'));
  m.add({
    async start() {
      throw new Error('boom');
    },
  });
  await assert.rejects(m.start(new AbortController().signal), /boom/);
  assert.deepEqual(log, ['start ok', 'stop ok']);
});
