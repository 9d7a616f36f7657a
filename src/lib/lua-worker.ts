/**
 * The hard backstop for Lua scripts: evaluations run in a worker thread with V8 heap limits
 * (`resourceLimits`) and a wall-clock timeout that terminates the worker. The in-process
 * guards of the engine (instruction budget, string and table limits) stop ordinary runaway
 * scripts; this stops what they cannot see (a pathological pattern match inside one C call, an
 * allocation pattern they do not count). A terminated worker is replaced on the next call.
 *
 * src/lib imports no other layer: the worker loads the engine module by URL
 * (`src/engine/lua/index.js`, or `engineModule`), which must export `LuaJobRunner`.
 */
import { Worker } from 'node:worker_threads';
import { FlotillaError } from './errors.js';

/** What went wrong, as the engine classifies it, plus `timeout` and `memory` from the backstop. */
export class LuaWorkerError extends FlotillaError {
  override readonly name = 'LuaWorkerError';
  readonly failure: string;
  readonly line: number | undefined;

  constructor(failure: string, message: string, line?: number, options?: { cause?: unknown }) {
    super(`lua-${failure}`, message, options);
    this.failure = failure;
    this.line = line;
  }
}

export interface LuaWorkerOptions {
  /** Wall-clock limit of one evaluation (default 2000 ms). */
  timeoutMs?: number;
  /** V8 old-generation heap of the worker (default 64 MiB). */
  maxHeapMb?: number;
  /** Engine options passed to the worker (instruction budget, string and table limits). */
  engine?: { instructionLimit?: number; maxStringBytes?: number; maxTableEntries?: number };
  /** URL of the engine module (defaults to the engine beside this file's layer). */
  engineModule?: URL;
}

export interface LuaWorkerJob {
  source: string;
  name: string;
  modules: boolean;
  input: unknown;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  name: string;
  worker: Worker;
}

function defaultEngineModule(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`../engine/lua/index${ext}`, import.meta.url);
}

/** One worker thread evaluating jobs in order; `close()` ends it. */
export class LuaWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly engineModule: URL;
  private readonly engineOptions: LuaWorkerOptions['engine'];

  constructor(opts: LuaWorkerOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.maxHeapMb = opts.maxHeapMb ?? 64;
    this.engineModule = opts.engineModule ?? defaultEngineModule();
    this.engineOptions = opts.engine ?? {};
  }

  private start(): Worker {
    const w = new Worker(WORKER_CODE, {
      eval: true,
      workerData: {
        engineModule: this.engineModule.href,
        engine: this.engineOptions,
        // running from TypeScript sources (tests with tsx): the worker registers the same loader
        tsx: import.meta.url.endsWith('.ts'),
      },
      resourceLimits: {
        maxOldGenerationSizeMb: this.maxHeapMb,
        maxYoungGenerationSizeMb: 16,
        stackSizeMb: 4,
      },
    });
    w.on('message', (m: { id: number; answer: any }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      const a = m.answer;
      if (a.ok) p.resolve(a.value);
      else p.reject(new LuaWorkerError(a.failure, a.message, a.line));
    });
    w.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.failAll(
        w,
        (name) =>
          new LuaWorkerError(
            memory ? 'memory' : 'internal',
            memory
              ? `lua script ${name} exceeded the worker memory limit of ${this.maxHeapMb} MiB; make the script allocate less`
              : `lua worker failed while running ${name}: ${err.message}`,
            undefined,
            { cause: err },
          ),
      );
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = null;
      this.failAll(
        w,
        (name) => new LuaWorkerError('internal', `lua worker exited while running ${name}; retry`),
      );
    });
    w.unref();
    return w;
  }

  /** Rejects the pending jobs of worker `w` (all workers when null). */
  private failAll(w: Worker | null, make: (name: string) => LuaWorkerError): void {
    for (const [id, p] of this.pending) {
      if (w !== null && p.worker !== w) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(make(p.name));
    }
  }

  /** Evaluates one job; rejects with LuaWorkerError (engine failures, `timeout`, `memory`). */
  evaluate(job: LuaWorkerJob): Promise<unknown> {
    this.worker ??= this.start();
    const w = this.worker;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new LuaWorkerError(
            'timeout',
            `lua script ${job.name} ran longer than ${this.timeoutMs} ms and its worker was terminated; make the script do less work`,
          ),
        );
        if (this.worker === w) this.worker = null;
        this.failAll(
          w,
          (name) => new LuaWorkerError('internal', `lua worker was restarted while running ${name}; retry`),
        );
        void w.terminate();
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer, name: job.name, worker: w });
      w.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.failAll(null, (name) => new LuaWorkerError('internal', `lua worker closed before ${name} finished`));
    if (w) await w.terminate();
  }
}

/** The worker: loads the engine module by URL and answers jobs in order. */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import('tsx/esm/api')).register();
  const mod = await import(workerData.engineModule);
  const runner = new mod.LuaJobRunner(workerData.engine);
  parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, answer: runner.run(m.job) }));
})();
`;
