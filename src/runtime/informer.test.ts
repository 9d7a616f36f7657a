import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.js';
import { KubeClient } from '../kube/index.js';
import { Informer } from './informer.js';
import { createLogger } from './logger.js';

// Nothing listens on port 1: every list fails fast with Unreachable, so the informer's backoff
// schedule can be observed on a fake clock without a server.
test('list failures back off exponentially on the injected clock, up to the cap', async () => {
  const clock = new FakeClock();
  const failures: number[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      const rec = JSON.parse(String(chunk));
      if (rec.failures) failures.push(rec.failures);
      cb();
    },
  });
  const client = new KubeClient({
    name: 'down',
    server: 'http://127.0.0.1:1',
    namespace: 'default',
    tls: { rejectUnauthorized: true },
  });
  const inf = new Informer(
    client,
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { clock, logger: createLogger({ level: 'warn', destination }), backoffBaseMs: 100, backoffMaxMs: 400 },
  );
  const ac = new AbortController();
  const running = inf.start(ac.signal);
  const settle = async (n: number) => {
    for (let i = 0; i < 200 && failures.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  };
  await settle(1);
  assert.deepEqual(failures, [1]);
  const waits = [100, 200, 400, 400];
  for (const [i, w] of waits.entries()) {
    clock.advance(w - 1);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(failures.length, i + 1, `no attempt before ${w} ms`);
    clock.advance(1);
    await settle(i + 2);
    assert.equal(failures.length, i + 2, `attempt after ${w} ms`);
  }
  assert.equal(inf.hasSynced(), false);
  ac.abort();
  await running;
  client.close();
});
