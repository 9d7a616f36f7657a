import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

const cli = new URL('../../src/main/cli.js', import.meta.url).href;

test('flotilla apiserver writes kubeconfigs, prints listening then ready, and serves kubectl', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-cli-'));
  const p = spawn(
    process.execPath,
    [
      ...process.execArgv,
      '--input-type=module',
      '-e',
      `import(${JSON.stringify(cli)}).then(async (m) => { process.exitCode = await m.main(["node", "flotilla", ...process.argv.slice(1)]); })`,
      '--',
      'apiserver',
      '--state',
      dir,
      '--port',
      '0',
      '--cluster',
      'one',
      '--cluster',
      'two',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const lines: string[] = [];
    for await (const line of createInterface({ input: p.stdout! })) {
      lines.push(line);
      if (line === 'ready') break;
    }
    assert.match(lines[0], /^listening https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(lines.at(-1), 'ready');
    const port = /:(\d+)$/.exec(lines[0])![1];
    const kc = readFileSync(join(dir, 'two.kubeconfig'), 'utf8');
    assert.match(kc, new RegExp(`server: https://127\\.0\\.0\\.1:${port}/clusters/two`));
    assert.match(kc, /current-context: two/);
    const out = await new Promise<string>((resolve, reject) => {
      const k = spawn(
        'kubectl',
        ['--kubeconfig', join(dir, 'two.kubeconfig'), 'get', 'ns', 'default', '-o', 'name'],
        {
          env: { ...process.env, HOME: dir },
        },
      );
      let s = '';
      k.stdout.on('data', (d) => (s += d));
      k.on('error', reject);
      k.on('close', () => resolve(s));
    });
    assert.equal(out.trim(), 'namespace/default');
  } finally {
    p.kill('SIGTERM');
    await new Promise((r) => p.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});
