import type { Patch } from '../../api/index.js';
import { type AppliedObjects, driftBaselines as baselines } from '../../engine/drift/index.js';
import { driftHash } from './hash.js';

export {
  type AppliedObjects,
  type BuildResourceSummaryInput,
  buildResourceSummary,
  driftExclusionsToPatches,
  driftResetPatch,
} from '../../engine/drift/index.js';

/**
 * Baseline hashes of what was just applied, computed exactly as the agent computes them (its
 * memoised `driftHash`), from the objects the API server returned for the apply.
 */
export function driftBaselines(
  applied: AppliedObjects,
  patches: readonly Patch[] = [],
): ReturnType<typeof baselines> {
  return baselines(applied, patches, driftHash);
}
