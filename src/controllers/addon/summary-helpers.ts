/** Identity and change helpers of ClusterSummaries (pure). */
import { deepEqual } from './object-hash.js';
import type { ProfileKind } from './names.js';
import type { ObjectId } from './decide-deploy.js';
import type { ClusterRef } from './summary-records.js';
import type { ClusterSummaryObject, FeatureSummary, ProfileSpec } from './types.js';

export function profileOf(cs: ClusterSummaryObject): { kind: ProfileKind; name: string } {
  const o = cs.metadata?.ownerReferences?.find((r) => r.kind === 'ClusterProfile' || r.kind === 'Profile');
  if (o) return { kind: o.kind as ProfileKind, name: o.name };
  const l = cs.metadata?.labels ?? {};
  if (l['projectsveltos.io/profile-name'])
    return { kind: 'Profile', name: l['projectsveltos.io/profile-name'] };
  return { kind: 'ClusterProfile', name: l['projectsveltos.io/cluster-profile-name'] ?? '' };
}

export function clusterOf(cs: ClusterSummaryObject): ClusterRef {
  return {
    namespace: cs.spec?.clusterNamespace ?? cs.metadata?.namespace ?? '',
    name: cs.spec?.clusterName ?? '',
    type: cs.spec?.clusterType ?? 'Sveltos',
  };
}

/** Spec fields that decide what the Resources feature deploys (selectors do not). */
export function deploySpec(p: ProfileSpec): Record<string, unknown> {
  return {
    policyRefs: p.policyRefs,
    templateResourceRefs: p.templateResourceRefs,
    tier: p.tier,
    syncMode: p.syncMode,
    continueOnConflict: p.continueOnConflict,
    continueOnError: p.continueOnError,
    extraLabels: p.extraLabels,
    extraAnnotations: p.extraAnnotations,
    // What the drift agent ignores is part of the deployment (the ResourceSummary's patches).
    driftExclusions: p.driftExclusions,
  };
}

/** Spec, labels, annotations or deletion changed (not status; not finalizers: our own patch must
 * not trigger a second, cache-lagging reconcile). */
export function metaChanged(a: ClusterSummaryObject, b: ClusterSummaryObject): boolean {
  const x = a.metadata ?? {};
  const y = b.metadata ?? {};
  return (
    x.deletionTimestamp !== y.deletionTimestamp ||
    !deepEqual(a.spec, b.spec) ||
    !deepEqual(x.labels ?? {}, y.labels ?? {}) ||
    !deepEqual(x.annotations ?? {}, y.annotations ?? {})
  );
}

export function dedupe(l: { id: ObjectId; local: boolean }[]): { id: ObjectId; local: boolean }[] {
  const m = new Map<string, { id: ObjectId; local: boolean }>();
  for (const x of l) m.set(`${x.local}|${x.id}`, x);
  return [...m.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A feature's summary after a deploy: Provisioned, or Failed (FailedNonRetriable once
 * `maxConsecutiveFailures` is reached) with the failures joined and `Conflict` as the reason
 * when a conflict was among them.
 */
export function featureResult(
  featureID: FeatureSummary['featureID'],
  o: {
    hash: string;
    failures: readonly string[];
    conflicts: number;
    previous: FeatureSummary | undefined;
    maxConsecutiveFailures: number | undefined;
    /** RFC 3339 seconds. */
    now: string;
  },
): FeatureSummary {
  const failed = o.failures.length > 0;
  const consecutive = failed ? (o.previous?.consecutiveFailures ?? 0) + 1 : 0;
  const max = o.maxConsecutiveFailures;
  const status: FeatureSummary['status'] = !failed
    ? 'Provisioned'
    : max !== undefined && consecutive >= max
      ? 'FailedNonRetriable'
      : 'Failed';
  return {
    featureID,
    hash: o.hash,
    status,
    consecutiveFailures: consecutive,
    ...(failed
      ? { failureReason: o.conflicts > 0 ? 'Conflict' : 'Error', failureMessage: o.failures.join('; ') }
      : { lastAppliedTime: o.now }),
  };
}
