// Fleet harness for add-on e2e tests: an embedded API server with a management cluster and
// managed clusters registered as SveltosClusters (kubeconfig Secrets), the Sveltos CRDs installed,
// and the add-on controllers running in-process.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { type ClusterAccess, createStandaloneAddon } from '../../src/controllers/addon/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { createLogger } from '../../src/runtime/index.js';

export const FLEET_NS = 'fleet';
// From test/e2e (tsx) or dist/test/e2e (compiled).
const CRDS = new URL(
  import.meta.url.includes('/dist/') ? '../../../assets/sveltos/crds.yaml' : '../../assets/sveltos/crds.yaml',
  import.meta.url,
);

export interface Fleet {
  server: ApiServer;
  mgmt: KubeClient;
  client(cluster: string): Promise<KubeClient>;
  register(cluster: string, labels: Record<string, string>): Promise<void>;
  setLabels(cluster: string, labels: Record<string, string>): Promise<void>;
  /** Starts the add-on controllers (again after `stopControllers`). */
  startControllers(): void;
  stopControllers(): Promise<void>;
  close(): Promise<void>;
}

let crdDocs: KubeObject[] | undefined;

export async function installCrds(client: KubeClient): Promise<void> {
  crdDocs ??= parseAllDocuments(readFileSync(CRDS, 'utf8'))
    .map((d) => d.toJS() as KubeObject)
    .filter((o) => o?.kind === 'CustomResourceDefinition');
  for (const crd of crdDocs) {
    await client.create({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: { name: crd.metadata?.name },
      spec: crd.spec,
    });
  }
}

export async function startFleet(
  managed: string[],
  opts: { workers?: number; conflictRetryMs?: number } = {},
): Promise<Fleet> {
  const server = await startApiServer({ memory: true, port: 0, clusters: ['mgmt', ...managed] });
  const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  await installCrds(mgmt);
  await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: FLEET_NS } });
  const clients = new Map<string, KubeClient>();
  let run: { ac: AbortController; runs: Promise<void>[]; access: ClusterAccess } | undefined;
  const fleet: Fleet = {
    server,
    mgmt,
    async client(cluster) {
      let c = clients.get(cluster);
      if (!c) {
        c = await KubeClient.fromKubeconfig(
          { yaml: server.kubeconfig(cluster) },
          { name: `test-${cluster}` },
        );
        clients.set(cluster, c);
      }
      return c;
    },
    async register(cluster, labels) {
      if (!server.clusters().includes(cluster)) await server.addCluster(cluster);
      await mgmt.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `${cluster}-sveltos-kubeconfig`, namespace: FLEET_NS },
        data: { kubeconfig: Buffer.from(server.kubeconfig(cluster)).toString('base64') },
      });
      const sc = await mgmt.create<KubeObject>({
        apiVersion: 'lib.projectsveltos.io/v1beta1',
        kind: 'SveltosCluster',
        metadata: { name: cluster, namespace: FLEET_NS, labels },
        spec: {},
      });
      // The SveltosCluster controller's job (another part): mark it ready.
      await mgmt.updateStatus({ ...sc, status: { ready: true } });
    },
    async setLabels(cluster, labels) {
      const sc = await mgmt.get({
        apiVersion: 'lib.projectsveltos.io/v1beta1',
        kind: 'SveltosCluster',
        namespace: FLEET_NS,
        name: cluster,
      });
      await mgmt.update({ ...sc, metadata: { ...sc.metadata, labels } });
    },
    startControllers() {
      const ac = new AbortController();
      const plane = createStandaloneAddon({
        mgmt,
        informerOptions: { informer: { backoffBaseMs: 20 } },
        needLeaderElection: false,
        // FLOTILLA_TEST_LOG=debug|info|warn prints the controllers' log to stderr.
        ...(process.env.FLOTILLA_TEST_LOG
          ? {
              logger: createLogger({
                level: process.env.FLOTILLA_TEST_LOG as 'warn',
                destination: process.stderr as never,
              }),
            }
          : {}),
        ...(opts.workers ? { workers: opts.workers } : {}),
        ...(opts.conflictRetryMs ? { conflictRetryMs: opts.conflictRetryMs } : {}),
      });
      run = { ac, runs: plane.runnables.map((r) => r.start(ac.signal)), access: plane.access };
    },
    async stopControllers() {
      if (!run) return;
      run.ac.abort();
      await Promise.all(run.runs);
      run.access.close();
      run = undefined;
    },
    async close() {
      await fleet.stopControllers();
      for (const c of clients.values()) c.close();
      mgmt.close();
      await server.stop();
    },
  };
  return fleet;
}

/** Polls `cond` (an observation through the API, never a clock assertion) until it holds. */
export async function until<T>(
  what: string,
  cond: () => Promise<T | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function getOrUndefined(
  client: KubeClient,
  ref: Parameters<KubeClient['get']>[0],
): Promise<KubeObject | undefined> {
  try {
    return await client.get(ref);
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFound' || /NotFound/.test(String(err))) return undefined;
    throw err;
  }
}

export const CP = { apiVersion: 'config.projectsveltos.io/v1beta1', kind: 'ClusterProfile' };
export const CS = { apiVersion: 'config.projectsveltos.io/v1beta1', kind: 'ClusterSummary' };

export function configMapSource(
  name: string,
  docs: string,
  annotations: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', annotations },
    data: { 'content.yaml': docs },
  };
}

export async function featureStatus(
  mgmt: KubeClient,
  summary: string,
): Promise<{ status?: string; failureMessage?: string } | undefined> {
  const cs = await getOrUndefined(mgmt, { ...CS, namespace: FLEET_NS, name: summary });
  const fs = (
    cs?.status as
      | { featureSummaries?: { featureID: string; status?: string; failureMessage?: string }[] }
      | undefined
  )?.featureSummaries;
  return fs?.find((f) => f.featureID === 'Resources');
}
