import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { LIB_API_VERSION } from '../../api/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import { EVENT_REPORT_KIND, EVENT_SOURCE_KIND } from './report.js';

const NEEDED: Record<string, string> = {
  'eventsources.lib.projectsveltos.io': EVENT_SOURCE_KIND,
  'eventreports.lib.projectsveltos.io': EVENT_REPORT_KIND,
};
let crds: KubeObject[] | undefined;

function loadCrds(): KubeObject[] {
  if (crds) return crds;
  const candidates = [
    new URL('../../../assets/sveltos/crds.yaml', import.meta.url),
    new URL('../../../../assets/sveltos/crds.yaml', import.meta.url),
  ];
  const file = candidates.find((u) => existsSync(u));
  if (!file)
    throw new Error('assets/sveltos/crds.yaml not found: reinstall flotilla (the package ships assets/)');
  const found: KubeObject[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const o = doc.toJS() as KubeObject | null;
    const name = o?.metadata?.name;
    if (o && name && NEEDED[name])
      found.push({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name }, spec: o.spec });
  }
  if (found.length !== Object.keys(NEEDED).length) {
    throw new Error('assets/sveltos/crds.yaml lacks the EventSource or EventReport CRD: reinstall flotilla');
  }
  crds = found;
  return crds;
}

/**
 * Push placement: installs the EventSource and EventReport CRDs in the managed cluster when they
 * are not served yet (Sveltos ships them with its agent). Idempotent.
 */
export async function ensureEventCrds(client: KubeClient, fieldManager: string): Promise<void> {
  const missing: string[] = [];
  for (const kind of [EVENT_SOURCE_KIND, EVENT_REPORT_KIND]) {
    try {
      await client.resource(LIB_API_VERSION, kind);
    } catch {
      missing.push(kind);
    }
  }
  if (missing.length === 0) return;
  for (const crd of loadCrds()) {
    if (missing.includes(NEEDED[crd.metadata?.name ?? ''] ?? ''))
      await client.apply(crd, { fieldManager, force: true });
  }
  client.discovery.invalidate(LIB_API_VERSION);
  for (const kind of missing) await client.resource(LIB_API_VERSION, kind);
}
