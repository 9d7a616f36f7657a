// examples/nats-namespaces (seed 003, steps 4-7) as its README runs it: `flotilla up --nats`, then
// run.sh (a real nats-server -js it starts, the sveltos-nats Secret profile, the EventSource and
// EventTrigger, `flotilla cloudevent publish` of the login and logout CloudEvents). Also
// `flotilla cloudevent publish --jetstream` against a real JetStream stream.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type NatsServer, startNatsServer } from '../../src/agent/nats/testing/nats-server.js';
import {
  flotilla,
  kubectl,
  kubectlJson,
  ROOT,
  requireBuild,
  startUp,
  stopUp,
  type Up,
} from './cli-up-helpers.js';
import { runExample } from './examples-helpers.js';

const state = mkdtempSync(join(tmpdir(), 'flotilla-example-nats-'));
let up: Up | undefined;

before(async () => {
  requireBuild();
  up = await startUp(['--state', state, '--port', '0', '--nats']);
});
after(async () => {
  if (up) await stopUp(up);
  rmSync(state, { recursive: true, force: true });
});

test('examples/nats-namespaces/run.sh: login creates the namespace, logout deletes it', async () => {
  const r = await runExample('nats-namespaces', state);
  assert.equal(r.code, 0, `run.sh failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /ok: Secret projectsveltos\/sveltos-nats deployed in cluster-a/);
  assert.match(r.stdout, /ok: namespace mgianluc created in cluster-a/);
  assert.match(r.stdout, /\| default\/cluster-a \| :Namespace +\| +\| mgianluc +\|/);
  assert.match(r.stdout, /ok: namespace mgianluc deleted in cluster-a/);
  assert.match(r.stdout, /nats-namespaces: done/);

  const a = join(state, 'cluster-a.kubeconfig');
  const gone = await kubectl(a, ['get', 'namespace', 'mgianluc']);
  assert.notEqual(gone.code, 0, 'namespace mgianluc is deleted');
  const secret = await kubectlJson<{ data: Record<string, string> }>(a, [
    '-n',
    'projectsveltos',
    'get',
    'secret',
    'sveltos-nats',
  ]);
  const config = JSON.parse(Buffer.from(secret.data['sveltos-nats'] ?? '', 'base64').toString('utf8'));
  assert.match(config.nats.configuration.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(config.nats.configuration.subjects, ['user-operation']);
  // The staging cluster is not selected: no NATS configuration, no namespace.
  const b = await kubectl(join(state, 'cluster-b.kubeconfig'), [
    '-n',
    'projectsveltos',
    'get',
    'secret',
    'sveltos-nats',
  ]);
  assert.notEqual(b.code, 0);
});

test('flotilla cloudevent publish --jetstream: the stream stores the event; invalid events exit 2', async () => {
  const nats: NatsServer = await startNatsServer({ jetstream: true });
  try {
    const nc = await connect({ servers: nats.url });
    try {
      await (await jetstreamManager(nc)).streams.add({ name: 'USERS', subjects: ['user-operation'] });
      const login = join(ROOT, 'examples/nats-namespaces/login.json');
      const ok = await flotilla([
        'cloudevent',
        'publish',
        '--server',
        nats.url,
        '--subject',
        'user-operation',
        '--jetstream',
        login,
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(
        ok.stdout,
        /^published CloudEvent 10001 \(type auth\.example\.com\.login\) to stream USERS sequence 1$/m,
      );
      const msg = await (await jetstreamManager(nc)).streams.getMessage('USERS', { seq: 1 });
      assert.ok(msg);
      assert.deepEqual(
        JSON.parse(new TextDecoder().decode(msg.data)),
        JSON.parse(readFileSync(login, 'utf8')),
      );

      const noStream = await flotilla([
        'cloudevent',
        'publish',
        '--server',
        nats.url,
        '--subject',
        'other',
        '--jetstream',
        login,
      ]);
      assert.equal(noStream.code, 1);
      assert.match(
        noStream.stderr,
        /^flotilla: JetStream did not acknowledge subject other: .*is there a stream/m,
      );

      const bad = await flotilla([
        'cloudevent',
        'publish',
        '--server',
        nats.url,
        '--subject',
        'user-operation',
        join(ROOT, 'package.json'),
      ]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^flotilla: .*package\.json: CloudEvent attribute "specversion" is missing/);
      const info = await (await jetstreamManager(nc)).streams.info('USERS');
      assert.equal(info.state.messages, 1, 'nothing else published');
    } finally {
      await nc.close();
    }
  } finally {
    await nats.close();
  }
});
