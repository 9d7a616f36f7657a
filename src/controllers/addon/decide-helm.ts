/**
 * Pure decisions of the Helm feature: which ClusterSummary manages a release claimed by several
 * profiles on one cluster, the Helm action options from a helmCharts entry (Sveltos defaults),
 * and the DryRun report action of a chart.
 */
import type { ValueChange } from '../../helm/action/index.js';
import type { HelmChart } from '../../api/index.js';
import { DEFAULT_TIER } from './decide-deploy.js';

/** A summary claiming a release (`helmChartAction: Install`) on a cluster. */
export interface ReleaseClaim {
  /** `namespace/name` of the ClusterSummary. */
  summary: string;
  /** `ClusterProfile/name` or `Profile/namespace/name`: the release owner. */
  owner: string;
  tier: number;
  /** creationTimestamp of the ClusterSummary (RFC 3339). */
  created: string;
}

export function releaseKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * The claim that manages a release: the lowest tier, then the oldest summary, then the name
 * (Sveltos: a lower tier takes over; on equal tiers the one that was there first keeps it).
 */
export function releaseManager(claims: readonly ReleaseClaim[]): ReleaseClaim | undefined {
  let best: ReleaseClaim | undefined;
  for (const c of claims) {
    if (
      best === undefined ||
      c.tier < best.tier ||
      (c.tier === best.tier &&
        (c.created < best.created || (c.created === best.created && c.summary < best.summary)))
    )
      best = c;
  }
  return best;
}

export function claimTier(tier: number | undefined): number {
  return tier ?? DEFAULT_TIER;
}

/** Options of installOrUpgrade from a helmCharts entry, with Sveltos' defaults. */
export interface MappedOptions {
  createNamespace: boolean;
  replace: boolean;
  disableHooks: boolean;
  takeOwnership: boolean;
  recoverAfterConsecutiveFailures: number;
  force: boolean;
  resetValues: boolean;
  reuseValues: boolean;
  resetThenReuseValues: boolean;
  cleanupOnFail: boolean;
  upgradeCRDs: boolean;
  subNotes: boolean;
  skipCRDs: boolean;
  skipSchemaValidation: boolean;
  maxHistory: number;
  atomic: boolean;
  runTests: boolean;
  description?: string;
  labels?: Record<string, string>;
}

/**
 * Sveltos' HelmOptions → the action options. `installOptions.disableHooks` /
 * `upgradeOptions.disableHooks` override the shared `disableHooks`; `takeOwnership` exists in
 * both install and upgrade options (either adopts); `maxHistory` defaults to 2.
 */
export function chartOptions(h: HelmChart, upgrade: boolean): MappedOptions {
  const o = h.options ?? {};
  const i = o.installOptions ?? {};
  const u = o.upgradeOptions ?? {};
  const hooks = upgrade ? u.disableHooks : i.disableHooks;
  return {
    createNamespace: i.createNamespace ?? true,
    replace: i.replace ?? true,
    disableHooks: hooks ?? o.disableHooks ?? false,
    takeOwnership: !!(i.takeOwnership || u.takeOwnership),
    recoverAfterConsecutiveFailures: i.recoverAfterConsecutiveFailures ?? 5,
    force: !!u.force,
    resetValues: !!u.resetValues,
    reuseValues: !!u.reuseValues,
    resetThenReuseValues: !!u.resetThenReuseValues,
    cleanupOnFail: !!u.cleanupOnFail,
    upgradeCRDs: !!u.upgradeCRDs,
    subNotes: !!u.subNotes,
    skipCRDs: !!o.skipCRDs,
    skipSchemaValidation: !!o.skipSchemaValidation,
    maxHistory: u.maxHistory ?? 2,
    atomic: !!o.atomic,
    runTests: !!o.runTests,
    ...(o.description ? { description: o.description } : {}),
    ...(o.labels ? { labels: o.labels } : {}),
  };
}

export type ReleaseAction = 'No Action' | 'Install' | 'Upgrade' | 'Delete' | 'Conflict' | 'Update Values';

/**
 * The DryRun action of an Install entry: no deployed release → Install; a different chart
 * version → Upgrade; same version, changed values or manifest → Update Values; else No Action.
 */
export function dryRunAction(
  deployedVersion: string | undefined,
  wantedVersion: string,
  unchanged: boolean,
): ReleaseAction {
  if (deployedVersion === undefined) return 'Install';
  if (deployedVersion !== wantedVersion) return 'Upgrade';
  return unchanged ? 'No Action' : 'Update Values';
}

/** `replicaCount: 1 -> 2; image.tag: added "v2"` (values as JSON). */
export function describeValueChanges(changes: readonly ValueChange[]): string {
  return changes
    .map((c) =>
      c.change === 'changed'
        ? `${c.path}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`
        : c.change === 'added'
          ? `${c.path}: added ${JSON.stringify(c.to)}`
          : `${c.path}: removed (was ${JSON.stringify(c.from)})`,
    )
    .join('; ');
}
