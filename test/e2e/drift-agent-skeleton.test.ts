// The agent skeleton (createAgent, modules, shared informers) against the embedded API server:
// here rather than beside the code because src/agent may not import the API server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient } from '../../src/kube/index.js';
import { ClusterInformers } from '../../src/runtime/index.js';
import {
  type AgentContext,
  type AgentModule,
  createAgent,
  defaultAgentModules,
} from '../../src/agent/index.js';

let server: ApiServer;
let client: KubeClient;

before(async () => {
  server = await startApiServer({ memory: true, port: 0, clusters: ['c1'] });
  client = await KubeClient.fromKubeconfig({ file: server.kubeconfigPath('c1') });
});

after(async () => {
  client?.close();
  await server?.stop();
});

const base = () => ({ client, clusterName: 'c1', clusterNamespace: 'ns1', clusterType: 'Sveltos' as const });

/** A module that records its context and runs until stopped, watching ConfigMaps. */
function recorder(seen: AgentContext[]): AgentModule {
  return {
    name: 'recorder',
    create: (ctx) => ({
      async start(signal) {
        seen.push(ctx);
        const inf = ctx.informers.informer({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default' });
        assert.equal(await inf.waitForSync(signal), true, 'the agent runs the informers it owns');
        await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      },
    }),
  };
}

test('modules get the cluster context and stop with the agent', async () => {
  const seen: AgentContext[] = [];
  const agent = createAgent({ ...base(), modules: [recorder(seen)] });
  assert.equal(agent.needLeaderElection, false);
  const ac = new AbortController();
  const run = agent.start(ac.signal);
  while (agent.context.informers.size === 0 || !agent.context.informers.hasSynced())
    await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.clusterName, 'c1');
  assert.equal(seen[0]?.clusterNamespace, 'ns1');
  assert.equal(seen[0]?.clusterType, 'Sveltos');
  assert.equal(seen[0]?.client, client);
  ac.abort();
  await run;
});

test('a failing module stops the agent and its other modules, naming the module', async () => {
  let otherStopped = false;
  const failing: AgentModule = {
    name: 'broken',
    create: () => ({
      start: async () => {
        throw new Error('boom');
      },
    }),
  };
  const other: AgentModule = {
    name: 'other',
    create: () => ({
      start: (signal) =>
        new Promise<void>((r) =>
          signal.addEventListener(
            'abort',
            () => {
              otherStopped = true;
              r();
            },
            { once: true },
          ),
        ),
    }),
  };
  const agent = createAgent({ ...base(), modules: [other, failing] });
  await assert.rejects(agent.start(new AbortController().signal), /cluster "c1": module broken failed: boom/);
  assert.equal(otherStopped, true);
});

test('shared informers are used as given, not run by the agent', async () => {
  const shared = new ClusterInformers(client);
  const seen: AgentContext[] = [];
  const agent = createAgent({ ...base(), informers: shared, modules: [recorder(seen)] });
  assert.equal(agent.context.informers, shared);
  const ownerStop = new AbortController();
  const owner = shared.start(ownerStop.signal);
  const ac = new AbortController();
  const run = agent.start(ac.signal);
  while (!shared.hasSynced() || shared.size === 0) await new Promise((r) => setTimeout(r, 10));
  ac.abort();
  await run;
  assert.equal(shared.size, 1, 'still running: the owner stops it');
  ownerStop.abort();
  await owner;
});

test('the default modules include drift detection and EventSource evaluation', () => {
  assert.deepEqual(
    defaultAgentModules().map((m) => m.name),
    ['drift', 'events'],
  );
});
