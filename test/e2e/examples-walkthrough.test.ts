// The README's five-minute walkthrough, as a person types it: `flotilla up`, KUBECONFIG,
// `kubectl apply -f examples/greeting.yaml`, `flotilla show addons`, `flotilla explain profile`,
// then `flotilla cluster create` of another env=production cluster, which gets the add-on too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import {
  BIN,
  flotilla,
  kubectl,
  ROOT,
  type Run,
  requireBuild,
  startUp,
  stopUp,
  type Up,
  until,
} from './cli-up-helpers.js';

const state = mkdtempSync(join(tmpdir(), 'flotilla-walkthrough-'));
const mgmt = join(state, 'mgmt.kubeconfig');
let up: Up | undefined;

/** `flotilla ARGS` after `export KUBECONFIG=STATE/mgmt.kubeconfig`, as the walkthrough does. */
function withKubeconfig(args: string[]): Promise<Run> {
  const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, KUBECONFIG: mgmt } });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

before(async () => {
  requireBuild();
  up = await startUp(['--state', state, '--port', '0']);
});
after(async () => {
  if (up) await stopUp(up);
  rmSync(state, { recursive: true, force: true });
});

test('walkthrough: apply examples/greeting.yaml, show addons, explain profile, a new cluster gets it', async () => {
  const applied = await kubectl(mgmt, ['apply', '-f', join(ROOT, 'examples/greeting.yaml')]);
  assert.equal(applied.code, 0, applied.stderr);
  const a = join(state, 'cluster-a.kubeconfig');
  await until('ConfigMap greeting in cluster-a', async () => {
    const r = await kubectl(a, ['get', 'configmap', 'greeting', '-o', 'jsonpath={.data.hello}']);
    return r.code === 0 && r.stdout === 'production';
  });
  const shown = await until('show addons lists greeting on cluster-a', async () => {
    const r = await withKubeconfig(['show', 'addons']);
    return r.code === 0 && /\| default\/cluster-a \| :ConfigMap +\| default +\| greeting /.test(r.stdout)
      ? r.stdout
      : undefined;
  });
  assert.doesNotMatch(shown, /cluster-b/);
  const explained = await withKubeconfig(['explain', 'profile', 'greeting']);
  assert.equal(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, /^cluster default\/cluster-a \(Sveltos\): deployed$/m);
  assert.match(
    explained.stdout,
    /^cluster default\/cluster-b \(Sveltos\): not-selected\n {2}why: clusterSelector does not match: env=production \(label env is "staging"\)$/m,
  );
  const created = await flotilla([
    'cluster',
    'create',
    'edge-1',
    '--labels',
    'env=production',
    '--state',
    state,
  ]);
  assert.equal(created.code, 0, created.stderr);
  await until('ConfigMap greeting in edge-1', async () => {
    const r = await kubectl(join(state, 'edge-1.kubeconfig'), ['get', 'configmap', 'greeting']);
    return r.code === 0;
  });
});
