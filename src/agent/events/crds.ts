import { LIB_API_VERSION } from '../../api/index.js';
import { type KubeClient, sveltosCrd } from '../../kube/index.js';
import { EVENT_REPORT_KIND, EVENT_SOURCE_KIND } from './report.js';

const NEEDED: Record<string, string> = {
  'eventsources.lib.projectsveltos.io': EVENT_SOURCE_KIND,
  'eventreports.lib.projectsveltos.io': EVENT_REPORT_KIND,
};
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
  for (const [name, kind] of Object.entries(NEEDED)) {
    if (missing.includes(kind)) await client.apply(sveltosCrd(name), { fieldManager, force: true });
  }
  client.discovery.invalidate(LIB_API_VERSION);
  for (const kind of missing) await client.resource(LIB_API_VERSION, kind);
}
