// examples/database-as-a-service (seed 002) as its README runs it: `flotilla up`, then run.sh
// (`flotilla cluster create` + `flotilla register cluster`, the cnpg chart from `flotilla repo
// serve`, the seed's EventSources/EventTriggers, the operator and cloud played by the script,
// the Job profile), checked again here with kubectl. Also `flotilla repo serve` on its own.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { BIN, kubectlJson, ROOT, requireBuild, startUp, stopUp, type Up, until } from './cli-up-helpers.js';
import { runExample } from './examples-helpers.js';

const state = mkdtempSync(join(tmpdir(), 'flotilla-example-dbaas-'));
let up: Up | undefined;

before(async () => {
  requireBuild();
  up = await startUp(['--state', state, '--port', '0']);
});
after(async () => {
  if (up) await stopUp(up);
  rmSync(state, { recursive: true, force: true });
});

test('examples/database-as-a-service/run.sh: Postgres in the service cluster, its data back, the Job in the app cluster', async () => {
  const r = await runExample('database-as-a-service', state);
  assert.equal(r.code, 0, `run.sh failed:\n${r.stdout}\n${r.stderr}`);
  for (const line of [
    'ok: SveltosCluster service-cluster/service-cluster ready',
    'ok: CRD clusters.postgresql.cnpg.io installed in service-cluster by the cnpg chart',
    'ok: CNPG Cluster workload-cluster/cluster-workload-cluster in service-cluster',
    'ok: Secret workload-cluster/pg-credentials in the management cluster',
    'ok: Job todo/todo-table in workload-cluster, connecting to 203.0.113.10:5432',
    'ok: one generated ClusterProfile for EventTrigger deploy-postgres-cluster',
    'ok: one generated ClusterProfile for EventTrigger credentials-secret',
    'ok: one generated ClusterProfile for EventTrigger cnpg-loadbalancer-data',
    'database-as-a-service: done',
  ])
    assert.ok(r.stdout.includes(line), `missing "${line}" in:\n${r.stdout}`);
  assert.match(
    r.stdout,
    /\| service-cluster\/service-cluster +\| helm chart +\| cnpg-system +\| cnpg +\| 0\.22\.1 /,
  );

  const mgmt = join(state, 'mgmt.kubeconfig');
  const sc = await kubectlJson<{ metadata: { labels: Record<string, string> } }>(mgmt, [
    'get',
    'sveltoscluster',
    '-n',
    'workload-cluster',
    'workload-cluster',
  ]);
  assert.equal(sc.metadata.labels.postgres, 'required');
  assert.equal(sc.metadata.labels.type, 'app');
  const creds = await kubectlJson<{ data: Record<string, string> }>(mgmt, [
    'get',
    'secret',
    '-n',
    'workload-cluster',
    'pg-credentials',
  ]);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assert.deepEqual(creds.data, { user: b64('app'), password: b64('example-password') });

  const job = await kubectlJson<{
    spec: {
      template: { spec: { containers: { env: { name: string; value: string }[]; args: string[] }[] } };
    };
  }>(join(state, 'workload-cluster.kubeconfig'), ['-n', 'todo', 'get', 'job', 'todo-table']);
  const c = job.spec.template.spec.containers[0];
  assert.ok(c);
  assert.deepEqual(c.env, [{ name: 'PGPASSWORD', value: 'example-password' }]);
  assert.deepEqual(c.args.slice(0, 4), [
    '--host=203.0.113.10',
    '--port=5432',
    '--username=app',
    '--no-password',
  ]);
  const helmSecrets = await kubectlJson<{ items: { metadata: { name: string } }[] }>(
    join(state, 'service-cluster.kubeconfig'),
    ['-n', 'cnpg-system', 'get', 'secrets', '-l', 'owner=helm,name=cnpg'],
  );
  assert.deepEqual(
    helmSecrets.items.map((s) => s.metadata.name),
    ['sh.helm.release.v1.cnpg.v1'],
  );
});

test('flotilla repo serve: index.yaml and the archives of a chart folder, until Ctrl-C', async () => {
  const dir = join(ROOT, 'test/fixtures/charts/cloudnative-pg');
  const p: ChildProcess = spawn(process.execPath, [BIN, 'repo', 'serve', dir], { cwd: ROOT });
  let out = '';
  p.stdout?.on('data', (d) => (out += d));
  const closed = new Promise<number | null>((resolve) => p.on('close', (code) => resolve(code)));
  try {
    const url = await until('repo serve to print ready', async () => {
      assert.equal(p.exitCode, null, out);
      return out.split('\n').includes('ready') ? /^repository (\S+)$/m.exec(out)?.[1] : undefined;
    });
    const index = parse(await (await fetch(`${url}/index.yaml`)).text()) as {
      entries: Record<string, { version: string; urls: string[]; digest: string }[]>;
    };
    assert.deepEqual(
      index.entries['cloudnative-pg']?.map((e) => [e.version, e.urls]),
      [
        ['0.22.1', ['cloudnative-pg-0.22.1.tgz']],
        ['0.27.1', ['cloudnative-pg-0.27.1.tgz']],
      ],
    );
    const tgz = await fetch(`${url}/cloudnative-pg-0.22.1.tgz`);
    assert.equal(tgz.status, 200);
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256')
      .update(new Uint8Array(await tgz.arrayBuffer()))
      .digest('hex');
    assert.equal(digest, index.entries['cloudnative-pg']?.[0]?.digest);
    assert.equal((await fetch(`${url}/nope.tgz`)).status, 404);
  } finally {
    p.kill('SIGINT');
  }
  assert.equal(await closed, 0);
});
