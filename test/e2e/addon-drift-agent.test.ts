// Drift corrected end to end: the drift agent (src/agent) runs for the managed cluster, someone
// runs `kubectl edit` there, the agent flags the ResourceSummary, the deployer re-applies.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createAgent } from '../../src/agent/index.js';
import {
  CP,
  configMapSource,
  type Fleet,
  FLEET_NS,
  featureStatus,
  getOrUndefined,
  startFleet,
  until,
} from './addon-harness.js';

let fleet: Fleet;
const stop = new AbortController();
let agentRun: Promise<void>;
const home = mkdtempSync(join(tmpdir(), 'flotilla-addon-kubectl-'));

before(async () => {
  fleet = await startFleet(['c1']);
  await fleet.register('c1', { drift: 'agent' });
  fleet.startControllers();
  const client = await fleet.client('c1');
  agentRun = createAgent({
    client,
    clusterName: 'c1',
    clusterNamespace: FLEET_NS,
    clusterType: 'Sveltos',
  }).start(stop.signal);
});

after(async () => {
  stop.abort();
  await agentRun;
  await fleet?.close();
  rmSync(home, { recursive: true, force: true });
});

function kubectl(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('kubectl', ['--kubeconfig', fleet.server.kubeconfigPath('c1'), ...args], {
      env: { ...process.env, HOME: home, KUBECACHEDIR: join(home, 'cache'), ...env },
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
    p.stdin.end();
  });
}

const OBJ = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'demo', name: 'watched' };

test('kubectl edit in a managed cluster is corrected', async () => {
  const { mgmt } = fleet;
  await mgmt.create(
    configMapSource(
      'watched-src',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  namespace: demo\ndata:\n  level: "safe"\n',
    ),
  );
  await mgmt.create({
    ...CP,
    metadata: { name: 'watch' },
    spec: {
      clusterSelector: { matchLabels: { drift: 'agent' } },
      syncMode: 'ContinuousWithDriftDetection',
      policyRefs: [{ kind: 'ConfigMap', name: 'watched-src', namespace: 'default' }],
    },
  });
  const c1 = await fleet.client('c1');
  await until(
    'deployed and Provisioned',
    async () => (await featureStatus(mgmt, 'watch-sveltos-c1'))?.status === 'Provisioned',
  );
  const RS = {
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'ResourceSummary',
    namespace: 'projectsveltos',
    name: 'watch-sveltos-c1',
  };
  await until('agent baseline recorded', async () => {
    const rs = await getOrUndefined(c1, RS);
    return ((rs?.status as { resourceHashes?: unknown[] } | undefined)?.resourceHashes ?? []).length > 0;
  });
  for (let round = 1; round <= 2; round++) {
    const edit = await kubectl(['edit', 'configmap', 'watched', '-n', 'demo'], {
      KUBE_EDITOR: 'sed -i s/safe/tampered/',
      EDITOR: '',
    });
    assert.equal(edit.code, 0, edit.out);
    await until(
      `drift corrected (round ${round})`,
      async () => ((await c1.get(OBJ)).data as Record<string, string>).level === 'safe',
    );
    // The agent has a fresh baseline again, so a second edit is caught too.
    await until('baseline refreshed', async () => {
      const rs = await getOrUndefined(c1, RS);
      const st = rs?.status as { resourcesChanged?: boolean; resourceHashes?: unknown[] } | undefined;
      return st?.resourcesChanged === false && (st.resourceHashes ?? []).length > 0;
    });
  }
});
