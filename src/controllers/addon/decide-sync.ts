/** Pure sync-mode gating: whether a ClusterSummary feature is (re)deployed now. */
import type { FeatureSummary, SyncMode } from './types.js';

export type SyncGate =
  | { type: 'skip'; reason: string }
  | { type: 'deploy'; reason: string }
  | { type: 'dryRun'; reason: string };

/**
 * OneTime: deploy until the first success, never again. Continuous: deploy when the hash of
 * (spec, referenced content, templateResourceRefs data, cluster data) changed or the feature is not
 * Provisioned. ContinuousWithDriftDetection: also when the drift agent reported a change. DryRun:
 * report instead of deploying, whenever the hash changed. FailedNonRetriable waits for a new hash.
 */
export function decideSync(input: {
  syncMode: SyncMode | undefined;
  feature: FeatureSummary | undefined;
  hash: string;
  driftReported: boolean;
}): SyncGate {
  const { feature, hash } = input;
  const mode = input.syncMode ?? 'Continuous';
  const same = feature?.hash === hash;
  switch (mode) {
    case 'DryRun':
      return same && feature?.status === 'Provisioned'
        ? { type: 'skip', reason: 'dry run already reported for this content' }
        : { type: 'dryRun', reason: same ? 'report not complete' : 'content changed' };
    case 'OneTime':
      if (feature?.status === 'Provisioned') return { type: 'skip', reason: 'OneTime: deployed once' };
      if (feature?.status === 'FailedNonRetriable' && same)
        return { type: 'skip', reason: 'failed too many times; waiting for a change' };
      return { type: 'deploy', reason: 'OneTime: not deployed yet' };
    case 'Continuous':
    case 'ContinuousWithDriftDetection': {
      if (mode === 'ContinuousWithDriftDetection' && input.driftReported)
        return { type: 'deploy', reason: 'drift reported by the agent' };
      if (feature?.status === 'FailedNonRetriable' && same)
        return { type: 'skip', reason: 'failed too many times; waiting for a change' };
      if (same && feature?.status === 'Provisioned') return { type: 'skip', reason: 'up to date' };
      return { type: 'deploy', reason: same ? `status ${feature?.status ?? 'unknown'}` : 'content changed' };
    }
    default: {
      const never: never = mode;
      return { type: 'deploy', reason: `unknown syncMode ${String(never)}` };
    }
  }
}
