import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { LIB_API_VERSION } from '../../api/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';

const CRD_NAME = 'resourcesummaries.lib.projectsveltos.io';
let crd: KubeObject | undefined;

function loadCrd(): KubeObject {
  if (crd) return crd;
  const candidates = [
    new URL('../../../assets/sveltos/crds.yaml', import.meta.url),
    new URL('../../../../assets/sveltos/crds.yaml', import.meta.url),
  ];
  const file = candidates.find((u) => existsSync(u));
  if (!file)
    throw new Error('assets/sveltos/crds.yaml not found: reinstall flotilla (the package ships assets/)');
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const o = doc.toJS() as KubeObject | null;
    if (o?.metadata?.name === CRD_NAME) {
      crd = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: CRD_NAME }, spec: o.spec };
      return crd;
    }
  }
  throw new Error(`assets/sveltos/crds.yaml has no ${CRD_NAME} CRD: reinstall flotilla`);
}

/**
 * Installs the ResourceSummary CRD in the managed cluster when it is not served yet, so the
 * agent can watch before the first profile with drift detection arrives (Sveltos ships it with
 * the drift-detection-manager). Idempotent; the management plane may do the same.
 */
export async function ensureResourceSummaryCrd(client: KubeClient, fieldManager: string): Promise<void> {
  try {
    await client.resource(LIB_API_VERSION, 'ResourceSummary');
    return;
  } catch {
    // Not served: install below.
  }
  await client.apply(loadCrd(), { fieldManager, force: true });
  client.discovery.invalidate(LIB_API_VERSION);
  await client.resource(LIB_API_VERSION, 'ResourceSummary');
}
