// Bad input to every command and subcommand (unknown flag, missing argument, bad value,
// unreadable file): exit status 2, one line saying what is wrong and what to do, and nothing done
// (no state directory created, nothing on stdout).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { flotilla, requireBuild } from './cli-up-helpers.js';

const work = mkdtempSync(join(tmpdir(), 'flotilla-cli-usage-'));
const state = join(work, 'state');
const nope = join(work, 'nope');
// A file that is neither a directory, nor a kubeconfig, nor a CloudEvent.
const file = join(work, 'a-file.txt');
writeFileSync(file, 'not a kubeconfig\n');
const event = join(work, 'event.json');
writeFileSync(event, JSON.stringify({ specversion: '1.0', id: '1', source: 'test', type: 't' }));
const nats = ['--server', 'nats://127.0.0.1:4222', '--subject', 'user-operation'];

before(() => requireBuild());
after(() => rmSync(work, { recursive: true, force: true }));

const cases: [string[], RegExp][] = [
  [['up', '--state', state, '--port', 'abc'], /--port must be an integer between 0 and 65535, got "abc"/],
  [['up', '--state', state, '--port', '70000'], /--port must be an integer/],
  [['up', '--state', state, '--cluster', 'Bad_Name'], /--cluster "Bad_Name": invalid cluster name/],
  [['up', '--state', state, '--cluster', 'c1,env'], /"env" is not key=value/],
  [['up', '--state', state, '--cluster', 'mgmt'], /"mgmt" is the management cluster's name/],
  [['up', '--state', state, '--cluster', 'c1', '--cluster', 'c1,x=y'], /--cluster c1 is given twice/],
  [['up', '--state', state, '--log-level', 'loud'], /--log-level must be one of/],
  [['up', '--state', state, '--bogus'], /unknown option '--bogus'/],
  [['cluster', 'create', 'Edge', '--state', state], /invalid cluster name "Edge"/],
  [['cluster', 'create', 'edge', '--labels', 'env', '--state', state], /--labels: "env" is not key=value/],
  [['cluster', 'create', 'edge', '--timeout', '0', '--state', state], /--timeout must be a whole number/],
  [
    ['cluster', 'create', 'edge', '--state', state],
    /no fleet there \(no mgmt.kubeconfig\): start one with `flotilla up/,
  ],
  [['cluster', 'delete', 'edge', '--state', state], /no fleet there/],
  [['cluster', 'create'], /missing required argument 'name'/],
  [['cluster', 'frobnicate'], /unknown command 'frobnicate'/],
  [['controller', '--kubeconfig', join(state, 'nope')], /--kubeconfig .*nope: no such file/],
  [
    ['controller', '--kubeconfig', join(state, 'nope'), '--metrics-port', 'x'],
    /--metrics-port must be an integer/,
  ],
  [['controller', '--log-level', 'loud'], /--log-level must be one of/],
  [['controller', '--leader-election-namespace', 'Bad_NS'], /is not a namespace name/],
  [['controller', '--kubeconfig', file], /cannot use the kubeconfig .*a-file\.txt: .*check the file/],
  [['controller', 'extra'], /too many arguments for 'controller'/],
  [['up', '--state', file], /--state .*a-file\.txt: .* is a file, not a directory; pick a directory/],
  [['up', '--state', state, '--event-removal-grace', 'soon'], /--event-removal-grace must be a duration/],
  [['bogus'], /unknown command 'bogus'/],
  // apiserver
  [['apiserver'], /--state DIR is required \(or pass --memory\)/],
  [['apiserver', '--state', state, '--port', 'x'], /--port must be an integer/],
  [['apiserver', '--memory', '--cluster', 'Bad_X'], /--cluster "Bad_X": invalid cluster name/],
  [['apiserver', '--memory', '--cluster', 'a', '--cluster', 'a'], /--cluster a is given twice/],
  [['apiserver', '--state', join(file, 'sub')], /is a file, not a directory/],
  // template
  [['template'], /flotilla template needs a command: flotilla template render/],
  [['template', 'render'], /missing required argument 'file'/],
  [['template', 'render', nope], /cannot read template file .*nope/],
  [['template', 'render', file, '--data', nope], /cannot read data file .*nope/],
  [['template', 'render', file, '--missingkey', 'x'], /--missingkey must be one of/],
  [['template', 'render', file, '--numbers', 'x'], /--numbers must be int64 or float64/],
  // sveltosctl-compatible commands
  [['register'], /flotilla register needs a command: flotilla register cluster/],
  [['register', 'cluster'], /--namespace is required: pass --namespace NAME/],
  [['register', 'cluster', '--namespace', 'ns'], /--cluster is required: pass --cluster NAME/],
  [
    ['register', 'cluster', '--namespace', 'ns', '--cluster', 'c'],
    /pass exactly one of --kubeconfig FILE or --fleet-cluster-context/,
  ],
  [
    ['register', 'cluster', '--namespace', 'Bad_', '--cluster', 'c', '--kubeconfig', file],
    /--namespace "Bad_" is not a valid name/,
  ],
  [
    ['register', 'cluster', '--namespace', 'ns', '--cluster', 'c', '--kubeconfig', nope],
    /--kubeconfig .*nope cannot be read/,
  ],
  [
    ['register', 'cluster', '--namespace', 'ns', '--cluster', 'c', '--kubeconfig', file, '--labels', 'x'],
    /"x" is not key=value/,
  ],
  [['deregister', 'cluster', '--cluster', 'c'], /--namespace is required/],
  [
    ['deregister', 'cluster', '--namespace', 'a', '--cluster', 'b', '--kubeconfig', nope],
    /--kubeconfig .*nope does not exist/,
  ],
  [['show'], /flotilla show needs a command: flotilla show addons, /],
  [['show', 'addons', '--bogus'], /unknown option '--bogus'/],
  [['show', 'addons', '-o', 'xml'], /-o "xml" is not an output format: use -o json, -o yaml/],
  [['show', 'addons', '--kubeconfig', nope], /--kubeconfig .*nope does not exist/],
  [['show', 'resources', 'extra'], /too many arguments for 'resources'/],
  [['show', 'dryrun', '--profile', 'x'], /--profile "x" is not kind\/name/],
  [['show', 'usage', '--kind', 'Bogus'], /--kind "Bogus" is not reported on/],
  [['redeploy'], /flotilla redeploy needs a command: flotilla redeploy cluster/],
  [['redeploy', 'cluster', '--namespace', 'a'], /--cluster is required/],
  [
    ['redeploy', 'cluster', '--namespace', 'a', '--cluster', 'b', '--cluster-type', 'x'],
    /--cluster-type "x" is not Capi or Sveltos: pass/,
  ],
  [['version', '--kubeconfig', nope], /--kubeconfig .*nope does not exist/],
  [['explain'], /flotilla explain needs a command: flotilla explain profile/],
  [['explain', 'profile'], /missing required argument 'name'/],
  [['explain', 'profile', 'p', '--kind', 'y'], /--kind "y" is not ClusterProfile or Profile: pass/],
  [['explain', 'profile', 'p', '--kind', 'Profile'], /--kind Profile needs --namespace NS/],
  [['explain', 'profile', 'p', '--cluster', 'bad'], /--cluster "bad" is not namespace\/name/],
  [['explain', 'profile', 'p', '-o', 'xml'], /-o "xml" is not an output format/],
  // cloudevent publish
  [['cloudevent'], /flotilla cloudevent needs a command: flotilla cloudevent publish/],
  [['cloudevent', 'publish', '--subject', 's'], /missing required argument 'file'/],
  [['cloudevent', 'publish', event, '--subject', 's'], /--server URL is required/],
  [['cloudevent', 'publish', event, '--server', 'nats://127.0.0.1:4222'], /--subject S is required/],
  [
    ['cloudevent', 'publish', event, '--server', 'http://x', '--subject', 's'],
    /--server "http:\/\/x" is not a NATS URL/,
  ],
  [['cloudevent', 'publish', event, ...nats, '--user', 'u'], /--user and --password go together/],
  [
    ['cloudevent', 'publish', event, '--server', 'nats://127.0.0.1:4222', '--subject', 'a.>'],
    /is not a publish subject/,
  ],
  [
    ['cloudevent', 'publish', event, ...nats, '--timeout', '0'],
    /--timeout must be a whole number of seconds/,
  ],
  [['cloudevent', 'publish', nope, ...nats], /cannot read the CloudEvent from .*nope/],
  [['cloudevent', 'publish', file, ...nats], /a-file\.txt: body is not JSON .*fix the event/],
  // repo serve
  [['repo'], /flotilla repo needs a command: flotilla repo serve/],
  [['repo', 'serve'], /missing required argument 'dir'/],
  [['repo', 'serve', nope], /cannot read the chart folder .*nope: .*give a folder of chart \.tgz files/],
  [['repo', 'serve', work], /holds no chart: put chart \.tgz files/],
  [['repo', 'serve', work, '--port', 'x'], /--port must be an integer/],
];

for (const [args, re] of cases) {
  test(`flotilla ${args.join(' ')} exits 2`, async () => {
    const r = await flotilla(args, work);
    assert.equal(r.code, 2, `${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '');
    const first = r.stderr.split('\n')[0];
    assert.match(first, re);
    assert.match(first, /^(flotilla: |error: )/);
    assert.equal(existsSync(state), false, 'nothing created');
    assert.equal(existsSync(join(work, '.flotilla')), false, 'nothing created in the current directory');
  });
}

test('up on a taken --port fails in one line, exit 1, and leaves the state fresh', async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const dir = join(work, 'taken');
    const r = await flotilla(['up', '--state', dir, '--port', String(port)], work);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^flotilla: port ${port} is in use: pick another with --port, or omit --port$`, 'm'),
    );
    assert.equal(existsSync(join(dir, 'apiserver.db')), false);
    assert.equal(existsSync(join(dir, 'up.pid')), false);
  } finally {
    blocker.close();
  }
});
