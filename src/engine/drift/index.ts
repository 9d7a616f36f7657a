/**
 * What drift detection compares, pure: the normalised content of an object (exclusion patches
 * applied), its canonical text, and the ResourceSummary baselines and resets built from it. Shared
 * by the agent (which hashes live objects) and the add-on controller (which hashes what it just
 * applied), so both compute the same hashes. Callers hash `driftText` with sha256 themselves.
 */
export {
  type AppliedObjects,
  type BuildResourceSummaryInput,
  buildResourceSummary,
  carryBaselines,
  driftBaselines,
  driftExclusionsToPatches,
  driftResetPatch,
  textHasher,
} from './baselines.js';
export { applyExclusionPatch, canonicalJson, driftContent, driftText, type Json } from './normalize.js';
export { targetMatches } from './patch-target.js';
export { type DriftHasher, type DriftObject, type ResourceRef, resourceId } from './types.js';
