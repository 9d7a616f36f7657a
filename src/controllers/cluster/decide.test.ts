import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SveltosCluster } from '../../api/index.js';
import { decide, versionLabelValue } from './decide.js';

const cluster = (status: SveltosCluster['status'] = {}, threshold?: number): SveltosCluster => ({
  metadata: { namespace: 'ns', name: 'c' },
  spec: threshold === undefined ? {} : { consecutiveFailureThreshold: threshold },
  status,
});
const down = { ok: false as const, message: 'unreachable' };
const up = { ok: true as const, gitVersion: 'v1.35.1+k3s1' };

test('a reachable cluster becomes ready, Healthy, labelled with its version', () => {
  const p = decide(cluster(), up, { readyMs: 60_000, notReadyMs: 10_000 });
  assert.deepEqual(p.status, {
    ready: true,
    version: 'v1.35.1+k3s1',
    connectionStatus: 'Healthy',
    connectionFailures: 0,
  });
  assert.equal(p.versionLabel, 'v1.35.1');
  assert.equal(p.requeueAfterMs, 60_000);
});

test('an unchanged healthy cluster needs no write', () => {
  const c = cluster({
    ready: true,
    version: 'v1.35.1+k3s1',
    connectionStatus: 'Healthy',
    connectionFailures: 0,
  });
  c.metadata!.labels = { 'projectsveltos.io/k8s-version': 'v1.35.1' };
  const p = decide(c, up);
  assert.equal(p.status, undefined);
  assert.equal(p.versionLabel, undefined);
});

test('failures count up and turn Down at the threshold; ready stays', () => {
  let c = cluster({ ready: true, connectionStatus: 'Healthy', connectionFailures: 0 }, 2);
  const p1 = decide(c, down);
  assert.deepEqual(p1.status, { connectionFailures: 1, failureMessage: 'unreachable' });
  assert.equal(p1.requeueAfterMs, undefined);
  c = cluster({ ...c.status, ...p1.status } as SveltosCluster['status'], 2);
  const p2 = decide(c, down);
  assert.deepEqual(p2.status, { connectionFailures: 2, connectionStatus: 'Down' });
  assert.equal(p2.ready, true);
  const back = decide(cluster({ ...c.status, ...p2.status } as SveltosCluster['status'], 2), up);
  assert.equal(back.status?.connectionStatus, 'Healthy');
  assert.equal(back.status?.connectionFailures, 0);
  assert.equal(back.status?.failureMessage, null);
});

test('default threshold is 3', () => {
  assert.equal(decide(cluster({ connectionFailures: 1 }), down).status?.connectionStatus, undefined);
  assert.equal(decide(cluster({ connectionFailures: 2 }), down).status?.connectionStatus, 'Down');
});

test('version label', () => {
  assert.equal(versionLabelValue('v1.2.3-rc.1'), 'v1.2.3');
  assert.equal(versionLabelValue('1.30.0'), 'v1.30.0');
  assert.equal(versionLabelValue('weird'), undefined);
});

test('a reachable cluster whose readiness checks fail is Healthy but not ready, rechecked sooner', () => {
  const p = decide(
    cluster(),
    { ok: true, gitVersion: 'v1.30.0', notReady: 'readiness check "w" did not pass' },
    {
      readyMs: 60_000,
      notReadyMs: 10_000,
    },
  );
  assert.equal(p.status?.ready, undefined);
  assert.equal(p.status?.connectionStatus, 'Healthy');
  assert.equal(p.status?.failureMessage, 'readiness check "w" did not pass');
  assert.equal(p.ready, false);
  assert.equal(p.requeueAfterMs, 10_000);
});
