import type { AgentModule } from '../context.js';
import { type DriftOptions, DriftDetector } from './detector.js';

export {
  type AppliedObjects,
  type BuildResourceSummaryInput,
  buildResourceSummary,
  driftBaselines,
  driftExclusionsToPatches,
  driftResetPatch,
} from './build.js';
export { decideDrift, type DriftPlan, type LiveState, sameDriftStatus, statusPatch } from './decide.js';
export { DriftDetector, type DriftOptions, WATCHED_INDEX } from './detector.js';
export { driftHash } from './hash.js';
export { canonicalJson, driftContent, targetMatches } from '../../engine/drift/index.js';
export { objectId, resourceId, type Section, type TrackedResource, trackedResources } from './tracked.js';

/** Drift detection as an agent module. */
export function driftModule(opts: DriftOptions = {}): AgentModule {
  return { name: 'drift', create: (ctx) => new DriftDetector(ctx, opts) };
}
