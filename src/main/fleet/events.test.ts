import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventModule } from '../../controllers/event/module.js';
import { planeModules } from '../../controllers/management-plane.js';
import { KubeClient } from '../../kube/index.js';
import { UsageError } from '../../lib/errors.js';
import { AgentlessEvents, parseDuration } from './events.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

test('parseDuration: ms, s, m and plain milliseconds; anything else is a usage error naming the flag', () => {
  assert.equal(parseDuration('500ms', '--g'), 500);
  assert.equal(parseDuration('5s', '--g'), 5000);
  assert.equal(parseDuration('2m', '--g'), 120_000);
  assert.equal(parseDuration('750', '--g'), 750);
  assert.throws(
    () => parseDuration('1h', '--g'),
    (e: unknown) => e instanceof UsageError && /--g/.test(e.message),
  );
  assert.throws(() => parseDuration('-1s', '--g'), UsageError);
});

test('agent modules: the push events module is replaced, nats only when asked', async () => {
  const mgmt = await KubeClient.fromKubeconfig({ yaml: KUBECONFIG }, { name: 'mgmt' });
  try {
    const names = (e: AgentlessEvents) => e.agentModules(mgmt).map((m) => m.name);
    assert.deepEqual(names(new AgentlessEvents()), ['drift', 'events']);
    assert.deepEqual(names(new AgentlessEvents({ nats: true })), ['drift', 'events', 'nats']);
  } finally {
    mgmt.close();
  }
});

test('plane modules: the event module is swapped for the agentless one, the others kept in order', () => {
  const out = new AgentlessEvents().planeModules(planeModules);
  assert.equal(out.length, planeModules.length);
  assert.ok(!out.includes(eventModule));
  for (const [i, m] of planeModules.entries()) if (m !== eventModule) assert.equal(out[i], m);
});
