// Shared setup of the `flotilla show|register|explain` e2e tests: an embedded API server with the
// Sveltos CRDs, and the built CLI (`bin/flotilla.js`, after `npx tsc -p .`) run as a subprocess.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { ensureNamespace, installSveltosCrds } from './cluster-helpers.js';

export interface Fleet {
  server: ApiServer;
  mgmt: KubeClient;
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Creates an object then writes its status (the status subresource ignores it on create). */
  put(obj: KubeObject & { status?: unknown }): Promise<void>;
  stop(): Promise<void>;
}

export async function startCliFleet(clusters: string[] = ['mgmt', 'c1']): Promise<Fleet> {
  const server = await startApiServer({ memory: true, port: 0, clusters });
  const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  await installSveltosCrds(mgmt);
  const bin = join(process.cwd(), 'bin/flotilla.js');
  const env = { ...process.env, KUBECONFIG: server.kubeconfigPath('mgmt') };
  return {
    server,
    mgmt,
    run: (args) =>
      new Promise((resolve) => {
        // Asynchronous: the API server runs in this process and must keep serving.
        execFile(process.execPath, [bin, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        });
      }),
    async put(obj) {
      if (obj.metadata?.namespace) await ensureNamespace(mgmt, obj.metadata.namespace);
      const { status, ...rest } = obj;
      const created = await mgmt.create<KubeObject>(rest);
      if (status !== undefined) await mgmt.updateStatus({ ...created, status });
    },
    async stop() {
      mgmt.close();
      await server.stop();
    },
  };
}
