// Drives the built CLI (`node bin/flotilla.js`, after `npx tsc -p .`) and kubectl as subprocesses.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root, from test/e2e (tsx) or dist/test/e2e (compiled). */
export const ROOT = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url)
  .pathname;
export const BIN = join(ROOT, 'bin/flotilla.js');

export function requireBuild(): void {
  assert.ok(
    existsSync(join(ROOT, 'dist/src/main/cmd-up.js')),
    'dist/src/main/cmd-up.js is missing: build first with `npx tsc -p .`',
  );
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const home = mkdtempSync(join(tmpdir(), 'flotilla-cli-up-home-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
const env = { ...process.env, HOME: home, KUBECACHEDIR: join(home, 'cache') };

function collect(p: ChildProcess, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    p.stdout?.on('data', (d) => (stdout += d));
    p.stderr?.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    p.stdin?.end(input ?? '');
  });
}

/** Runs `flotilla ARGS` to completion. */
export function flotilla(args: string[], cwd = ROOT): Promise<Run> {
  return collect(spawn(process.execPath, [BIN, ...args], { cwd, env }));
}

/** Runs kubectl against a kubeconfig. */
export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<Run> {
  return collect(spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { env }), input);
}

export async function kubectlJson<T>(kubeconfig: string, args: string[]): Promise<T> {
  const r = await kubectl(kubeconfig, [...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

/** A running `flotilla up`. */
export interface Up {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number>;
}

/** Starts `flotilla up ARGS` and resolves once it printed `ready` (or fails with its output). */
export async function startUp(args: string[], ms = 90_000): Promise<Up> {
  const proc = spawn(process.execPath, [BIN, 'up', ...args], { cwd: ROOT, env });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number>((resolve) => proc.on('close', (code) => resolve(code ?? -1)));
  const up: Up = { proc, stdout: () => out, stderr: () => err, exited };
  await until(
    'flotilla up to print ready',
    async () => {
      if (proc.exitCode !== null) assert.fail(`flotilla up exited ${proc.exitCode}: ${err}`);
      return out.split('\n').includes('ready');
    },
    ms,
  );
  return up;
}

/** Stops `up` with a signal and returns its exit code. */
export async function stopUp(up: Up, signal: NodeJS.Signals = 'SIGINT'): Promise<number> {
  if (up.proc.exitCode !== null) return up.proc.exitCode;
  up.proc.kill(signal);
  return up.exited;
}

/** Polls `cond` (an observation through the API or the CLI, never a clock assertion). */
export async function until<T>(
  what: string,
  cond: () => Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      last = err;
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
