import { LIB_API_VERSION } from '../../api/index.js';
import { type KubeClient, sveltosCrd } from '../../kube/index.js';

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
  await client.apply(sveltosCrd('resourcesummaries.lib.projectsveltos.io'), { fieldManager, force: true });
  client.discovery.invalidate(LIB_API_VERSION);
  await client.resource(LIB_API_VERSION, 'ResourceSummary');
}
