import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FlotillaError } from '../../lib/errors.js';
import { isFresh, lockState, readUpRecord, runningPid, statePaths, writeUpRecord } from './state.js';

const root = mkdtempSync(join(tmpdir(), 'flotilla-state-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('paths: default ./.flotilla, kubeconfig per cluster', () => {
  assert.equal(statePaths(undefined).dir, join(process.cwd(), '.flotilla'));
  const p = statePaths(join(root, 's'));
  assert.equal(p.kubeconfig('mgmt'), join(root, 's', 'mgmt.kubeconfig'));
  assert.equal(p.database, join(root, 's', 'apiserver.db'));
});

test('the lock admits one live process; a stale pid file is taken over', () => {
  const p = statePaths(join(root, 'lock'));
  const release = lockState(p);
  assert.equal(runningPid(p), process.pid);
  // Taking it again from this same process is allowed (a resumed start in one process).
  lockState(p);
  release();
  assert.equal(existsSync(p.pidFile), false);
  // A dead process's pid file does not block.
  const dead = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.pid))',
  ]).stdout.toString();
  writeFileSync(p.pidFile, `${dead}\n`);
  assert.equal(runningPid(p), undefined);
  lockState(p)();
  // A live other process's does.
  writeFileSync(p.pidFile, `${process.ppid}\n`);
  assert.throws(
    () => lockState(p),
    (e: unknown) => e instanceof FlotillaError && /already runs on .* \(pid \d+\): stop it/.test(e.message),
  );
});

test('the up record survives garbage; freshness is the database', () => {
  const p = statePaths(join(root, 'rec'));
  lockState(p)();
  assert.deepEqual(readUpRecord(p), {});
  writeUpRecord(p, { port: 1234, crds: 'x' });
  assert.deepEqual(readUpRecord(p), { port: 1234, crds: 'x' });
  writeFileSync(p.upJson, '{not json');
  assert.deepEqual(readUpRecord(p), {});
  assert.equal(isFresh(p), true);
  writeFileSync(p.database, '');
  assert.equal(isFresh(p), false);
});
