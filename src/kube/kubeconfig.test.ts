import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../lib/errors.js';
import { loadKubeconfig } from './kubeconfig.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(user: string, cluster = `certificate-authority-data: ${b64('CA PEM')}`): string {
  return `apiVersion: v1
kind: Config
current-context: ctx
contexts:
- name: ctx
  context: {cluster: c, user: u, namespace: team-a}
- name: other
  context: {cluster: c2, user: u}
clusters:
- name: c
  cluster:
    server: https://10.0.0.1:6443/clusters/x/
    ${cluster}
- name: c2
  cluster:
    server: https://10.0.0.2:6443
    insecure-skip-tls-verify: true
users:
- name: u
  user:
${user}
`;
}

test('bearer token, CA data, context namespace and path prefix', async () => {
  const conn = await loadKubeconfig({ yaml: kubeconfig('    token: abc') });
  assert.equal(conn.name, 'c');
  assert.equal(conn.server, 'https://10.0.0.1:6443/clusters/x');
  assert.equal(conn.namespace, 'team-a');
  assert.equal(conn.authorization, 'Bearer abc');
  assert.equal(conn.tls.ca?.toString(), 'CA PEM');
  assert.equal(conn.tls.rejectUnauthorized, true);
});

test('client certificates from files resolve relative to the kubeconfig', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  try {
    writeFileSync(join(dir, 'client.crt'), 'CERT');
    writeFileSync(join(dir, 'client.key'), 'KEY');
    writeFileSync(join(dir, 'ca.crt'), 'CA');
    const file = join(dir, 'config');
    writeFileSync(
      file,
      kubeconfig(
        '    client-certificate: client.crt\n    client-key: client.key',
        'certificate-authority: ca.crt',
      ),
    );
    const conn = await loadKubeconfig({ file }, { name: 'mine' });
    assert.equal(conn.name, 'mine');
    assert.equal(conn.tls.cert?.toString(), 'CERT');
    assert.equal(conn.tls.key?.toString(), 'KEY');
    assert.equal(conn.tls.ca?.toString(), 'CA');
    assert.equal(conn.authorization, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('insecure-skip-tls-verify through another context', async () => {
  const conn = await loadKubeconfig({ yaml: kubeconfig('    token: t'), context: 'other' });
  assert.equal(conn.tls.rejectUnauthorized, false);
  assert.equal(conn.namespace, 'default');
});

const execUser = `    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: sh
      args: ["-c", "echo '{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"from-exec\\"}}'"]
      interactiveMode: Never`;

test('exec plugins are refused unless explicitly allowed', async () => {
  await assert.rejects(loadKubeconfig({ yaml: kubeconfig(execUser) }), (err: unknown) => {
    assert.ok(err instanceof UsageError);
    assert.match(err.message, /exec plugin \(command "sh"\), which is disabled/);
    return true;
  });
  const conn = await loadKubeconfig({ yaml: kubeconfig(execUser) }, { allowExec: true });
  assert.equal(typeof conn.authorization, 'function');
  assert.equal(await (conn.authorization as () => Promise<string>)(), 'Bearer from-exec');
});

test('broken kubeconfigs are usage errors that say where', async () => {
  await assert.rejects(
    loadKubeconfig({ file: '/nonexistent/kubeconfig' }),
    /cannot load kubeconfig \/nonexistent/,
  );
  await assert.rejects(loadKubeconfig({ yaml: kubeconfig('    token: t'), context: 'missing' }), UsageError);
});

test('in-cluster config outside a pod says so', async () => {
  const saved = process.env.KUBERNETES_SERVICE_HOST;
  delete process.env.KUBERNETES_SERVICE_HOST;
  try {
    await assert.rejects(loadKubeconfig({ inCluster: true }), /not running in a pod/);
  } finally {
    if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
  }
});
