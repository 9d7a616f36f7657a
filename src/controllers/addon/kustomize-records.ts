/**
 * The Kustomize feature's part of the drift handshake: `spec.kustomizeResources` of the summary's
 * ResourceSummary (its own field manager, beside the Resources and Helm sections), then the
 * reset of the kustomize flag with the baselines of what this deploy applied.
 */
import type { KubeClient, KubeObject } from '../../kube/index.js';
import {
  appliedBaselines,
  applyResourceSummary,
  type DriftExclusions,
  KUSTOMIZE_FIELD_MANAGER,
  resourceRefs,
} from './summary-records.js';
import type { DeployedResource } from './types.js';

/** Returns false when a drift the caller did not see is pending (the flag stays, look again). */
export async function writeKustomizeResources(
  client: KubeClient,
  summary: { namespace: string; name: string },
  resources: readonly DeployedResource[],
  driftSeen: boolean,
  /** The managed cluster's objects as this deploy's applies returned them. */
  applied: readonly KubeObject[] = [],
  /** The profile's driftExclusions (the ResourceSummary's `spec.patches`). */
  driftExclusions: DriftExclusions = [],
): Promise<boolean> {
  const kustomizeResources = resourceRefs(resources);
  return applyResourceSummary(
    client,
    summary,
    { kustomizeResources },
    {
      fieldManager: KUSTOMIZE_FIELD_MANAGER,
      section: 'kustomizeResources',
      fresh: appliedBaselines(
        applied.map((object) => ({ object })),
        driftExclusions,
      ),
      listed: kustomizeResources,
      driftSeen,
    },
  );
}
