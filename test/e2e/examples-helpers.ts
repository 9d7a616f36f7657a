// Runs an example's run.sh the way its README tells a person to, against a `flotilla up` started
// by the test (the built CLI, `node bin/flotilla.js`, in place of `npx flotilla`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT, type Run } from './cli-up-helpers.js';

/** `sh examples/NAME/run.sh` with STATE and FLOTILLA set (and any extra env), to completion. */
export function runExample(name: string, state: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  const env = {
    ...process.env,
    STATE: state,
    FLOTILLA: `${process.execPath} ${BIN}`,
    TRIES: '90',
    ...extraEnv,
  };
  const p = spawn('sh', [join(ROOT, 'examples', name, 'run.sh')], { cwd: ROOT, env });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
