import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LuaWorker, LuaWorkerError } from './lua-worker.js';

const evaluate = (body: string) => `function evaluate()\n${body}\nend`;
const job = (body: string, name = 'worker-test') => ({
  source: evaluate(body),
  name,
  modules: true,
  input: { kind: 'object', obj: { kind: 'Pod' } },
});

async function failure(p: Promise<unknown>): Promise<LuaWorkerError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof LuaWorkerError, String(err));
    return err;
  }
  assert.fail('evaluation did not fail');
}

describe('LuaWorker', () => {
  const worker = new LuaWorker({
    timeoutMs: 20_000, // the first call also loads the engine in the worker
    maxHeapMb: 48,
    engine: { instructionLimit: 1e12, maxStringBytes: 2 ** 40, maxTableEntries: 1e12 },
  });
  after(() => worker.close());

  it('evaluates scripts in the worker', async () => {
    assert.deepEqual(
      await worker.evaluate(job('return { matching = obj.kind == "Pod", message = base64Encode("x") }')),
      {
        matching: true,
        message: 'eA==',
      },
    );
  });

  it('reports engine errors with their line', async () => {
    const err = await failure(worker.evaluate(job('local x = nil\nreturn x.y')));
    assert.equal(err.failure, 'runtime');
    assert.equal(err.line, 3);
    assert.match(err.message, /worker-test failed at line 3/);
  });

  it('terminates a script stuck inside one library call, then recovers', async () => {
    const fast = new LuaWorker({ timeoutMs: 20_000, engine: { instructionLimit: 1e12 } });
    try {
      await fast.evaluate(job('return {}')); // warm up: load the engine
      (fast as unknown as { timeoutMs: number }).timeoutMs = 500;
      const err = await failure(
        fast.evaluate(
          job('return { string.find(string.rep("a", 3000), string.rep("a*", 40) .. "b") }', 'backtrack'),
        ),
      );
      assert.equal(err.failure, 'timeout');
      assert.match(err.message, /backtrack ran longer than 500 ms/);
      (fast as unknown as { timeoutMs: number }).timeoutMs = 20_000;
      assert.deepEqual(await fast.evaluate(job('return { ok = true }')), { ok: true });
    } finally {
      await fast.close();
    }
  });

  it('stops a script that exhausts the worker heap', async () => {
    const err = await failure(
      worker.evaluate(job('local t = {} for i = 1, 1e9 do t[i] = { i, i } end', 'hog')),
    );
    assert.equal(err.failure, 'memory');
    assert.match(err.message, /hog exceeded the worker memory limit of 48 MiB/);
    assert.deepEqual(await worker.evaluate(job('return { after = true }')), { after: true });
  });
});
