import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeClient } from '../kube/index.js';
import { UsageError } from '../lib/errors.js';

/**
 * The management cluster's kubeconfig file: `--kubeconfig`, else the first existing file of
 * `KUBECONFIG`, else `~/.kube/config` (as sveltosctl and kubectl).
 */
export function managementKubeconfigPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) {
    if (!existsSync(flag))
      throw new UsageError(
        `--kubeconfig ${flag} does not exist: pass the management cluster's kubeconfig file`,
      );
    return flag;
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  for (const f of fromEnv) if (existsSync(f)) return f;
  if (fromEnv.length > 0)
    throw new UsageError(
      `KUBECONFIG names no existing file (${fromEnv.join(delimiter)}): point it at the management cluster's kubeconfig`,
    );
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return home;
  throw new UsageError(
    'no management cluster: pass --kubeconfig FILE or set KUBECONFIG (no ~/.kube/config either)',
  );
}

/** A client of the management cluster (close it when done). */
export async function connectManagement(
  opts: { kubeconfig?: string; context?: string } = {},
): Promise<KubeClient> {
  const file = managementKubeconfigPath(opts.kubeconfig);
  return KubeClient.fromKubeconfig(
    { file, ...(opts.context ? { context: opts.context } : {}) },
    { name: 'management' },
  );
}
