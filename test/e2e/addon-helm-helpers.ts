// Helpers of the helmCharts end-to-end tests: release records as Helm stores them, the Helm
// feature of a ClusterSummary, charts served by the local repository.
import { gunzipSync } from 'node:zlib';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import { CS, FLEET_NS, getOrUndefined } from './addon-harness.js';

export const CNPG_CHARTS = ['cloudnative-pg/0.22.1', 'cloudnative-pg/0.27.1'];

/** The release Secrets of a release, sorted by version. */
export async function releaseSecrets(client: KubeClient, ns: string, name: string): Promise<KubeObject[]> {
  const list = await client.list(
    { apiVersion: 'v1', kind: 'Secret', namespace: ns },
    { labelSelector: `owner=helm,name=${name}` },
  );
  return list.items.sort(
    (a, b) => Number(a.metadata?.labels?.version ?? 0) - Number(b.metadata?.labels?.version ?? 0),
  );
}

/** Helm 3's Secret driver: data.release = base64(base64(gzip(JSON))) once more by the API. */
export function decodeReleaseSecret(s: KubeObject): Record<string, unknown> {
  const raw = (s as { data?: Record<string, string> }).data?.release ?? '';
  const inner = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
  return JSON.parse(gunzipSync(inner).toString('utf8')) as Record<string, unknown>;
}

export interface HelmStatus {
  feature?: { status?: string; failureMessage?: string; failureReason?: string };
  releases: { releaseName: string; releaseNamespace: string; status: string; conflictMessage?: string }[];
}

export async function helmStatus(mgmt: KubeClient, summary: string): Promise<HelmStatus> {
  const cs = await getOrUndefined(mgmt, { ...CS, namespace: FLEET_NS, name: summary });
  const st = (cs?.status ?? {}) as {
    featureSummaries?: { featureID: string; status?: string; failureMessage?: string }[];
    helmReleaseSummaries?: HelmStatus['releases'];
  };
  return {
    feature: st.featureSummaries?.find((f) => f.featureID === 'Helm'),
    releases: st.helmReleaseSummaries ?? [],
  };
}

export function helmProfile(
  name: string,
  spec: Record<string, unknown>,
): KubeObject & { spec: Record<string, unknown> } {
  return { apiVersion: 'config.projectsveltos.io/v1beta1', kind: 'ClusterProfile', metadata: { name }, spec };
}
