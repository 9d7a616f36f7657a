// Shared setup of the cluster e2e tests: an embedded API server with the Sveltos CRDs installed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { encodeSecretValue, LIB_API_VERSION, type SveltosCluster } from '../../src/api/index.js';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
import { isAlreadyExists, isNotFound, KubeClient, type KubeObject } from '../../src/kube/index.js';

export async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Installs the CRDs of `kinds` from assets/sveltos/crds.yaml (all when omitted). */
export async function installSveltosCrds(client: KubeClient, kinds?: string[]): Promise<void> {
  const text = readFileSync(join(process.cwd(), 'assets/sveltos/crds.yaml'), 'utf8');
  for (const doc of parseAllDocuments(text)) {
    const crd = doc.toJS() as KubeObject & { spec: { names: { kind: string } } };
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    if (kinds && !kinds.includes(crd.spec.names.kind)) continue;
    try {
      await client.create(crd);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

export async function startFleet(clusters: string[]): Promise<{ server: ApiServer; mgmt: KubeClient }> {
  const server = await startApiServer({ memory: true, port: 0, clusters });
  const mgmt = await KubeClient.fromKubeconfig({ yaml: server.kubeconfig('mgmt') }, { name: 'mgmt' });
  await installSveltosCrds(mgmt, ['SveltosCluster', 'ClusterProfile', 'ClusterSummary']);
  return { server, mgmt };
}

export async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** Writes the kubeconfig Secret `<name>-sveltos-kubeconfig` (creating or replacing it). */
export async function writeKubeconfigSecret(
  mgmt: KubeClient,
  namespace: string,
  name: string,
  kubeconfig: string,
): Promise<void> {
  await mgmt.apply(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-sveltos-kubeconfig`, namespace },
      data: { kubeconfig: encodeSecretValue(kubeconfig) },
    },
    { fieldManager: 'e2e', force: true },
  );
}

/** Registers a SveltosCluster with its kubeconfig Secret. */
export async function registerCluster(
  mgmt: KubeClient,
  namespace: string,
  name: string,
  kubeconfig: string,
  spec: Record<string, unknown> = {},
): Promise<void> {
  await ensureNamespace(mgmt, namespace);
  await writeKubeconfigSecret(mgmt, namespace, name, kubeconfig);
  await mgmt.create({
    apiVersion: LIB_API_VERSION,
    kind: 'SveltosCluster',
    metadata: { name, namespace },
    spec,
  });
}

export async function getCluster(
  mgmt: KubeClient,
  namespace: string,
  name: string,
): Promise<(SveltosCluster & KubeObject) | undefined> {
  try {
    return await mgmt.get<SveltosCluster & KubeObject>({
      apiVersion: LIB_API_VERSION,
      kind: 'SveltosCluster',
      namespace,
      name,
    });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
