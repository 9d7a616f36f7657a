// examples/service-discovery (seed 004) as its README runs it: `flotilla up`, then run.sh
// (v1alpha1 EventSource/EventTrigger, LoadBalancer Service whose status gets an ingress IP),
// then the Service and Endpoints in the dep=eng cluster, checked again here with kubectl.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { kubectlJson, requireBuild, startUp, stopUp, type Up } from './cli-up-helpers.js';
import { runExample } from './examples-helpers.js';

const state = mkdtempSync(join(tmpdir(), 'flotilla-example-sd-'));
let up: Up | undefined;

before(async () => {
  requireBuild();
  up = await startUp(['--state', state, '--port', '0']);
});
after(async () => {
  if (up) await stopUp(up);
  rmSync(state, { recursive: true, force: true });
});

test('examples/service-discovery/run.sh: the eng cluster gets the selector-less Service and Endpoints', async () => {
  const r = await runExample('service-discovery', state);
  assert.equal(r.code, 0, `run.sh failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(
    r.stdout,
    /ok: Endpoints external\/external-my-lb-service in eng-1 points at 34\.172\.32\.172:60000/,
  );
  assert.match(r.stdout, /service-discovery: done/);

  const eng = join(state, 'eng-1.kubeconfig');
  const ep = await kubectlJson<{ subsets: { addresses: { ip: string }[]; ports: { port: number }[] }[] }>(
    eng,
    ['-n', 'external', 'get', 'endpoints', 'external-my-lb-service'],
  );
  assert.deepEqual(
    ep.subsets.map((s) => [s.addresses.map((a) => a.ip), s.ports.map((p) => p.port)]),
    [[['34.172.32.172'], [60000]]],
  );
  const svc = await kubectlJson<{
    spec: { type: string; selector?: object; ports: { port: number; targetPort: number }[] };
  }>(eng, ['-n', 'external', 'get', 'service', 'external-my-lb-service']);
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(svc.spec.selector ?? {}, {});
  assert.deepEqual(
    svc.spec.ports.map((p) => [p.port, p.targetPort]),
    [[60000, 50001]],
  );
  // The staging cluster is neither source nor destination: nothing deployed there.
  const other = await kubectlJson<{ items: unknown[] }>(join(state, 'cluster-b.kubeconfig'), [
    'get',
    'services',
    '-A',
    '--field-selector',
    'metadata.name=external-my-lb-service',
  ]);
  assert.equal(other.items.length, 0);
});
