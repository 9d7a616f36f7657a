import type { ClusterSummary, FeatureSummary } from '../api/index.js';
import type {
  ClusterExplanation,
  ClusterFacts,
  DependencyExplanation,
  ExplainInput,
  FailureLocation,
  FeatureExplanation,
  ProfileExplanation,
  ProfileFacts,
  Verdict,
} from './explain-types.js';
import { explainSelector } from './selector-explain.js';

const OBJECT_RE = /\b(ConfigMap|Secret|GitRepository|OCIRepository|Bucket)\s+([\w.-]+\/[\w.-]+)/;
const KEY_RE = /\bkey\s+([\w.-]+)/;
const TEMPLATE_RE = /template: [^\s:]+:(\d+)(?::(\d+))?:/;
const LINE_RE = /\bline (\d+)(?:,? col(?:umn)? (\d+))?/;
const OWNER_RE = /managed by (ClusterProfile|Profile) ([\w./-]+) \(tier (\d+)\)/;

/** Where a feature failure points: object, data key, line and column (Go template errors carry them). */
export function failureLocation(message: string): FailureLocation | undefined {
  const loc: FailureLocation = {};
  const obj = OBJECT_RE.exec(message);
  if (obj) loc.object = `${obj[1]} ${obj[2]}`;
  const key = KEY_RE.exec(message);
  if (key) loc.key = key[1];
  const pos = TEMPLATE_RE.exec(message) ?? LINE_RE.exec(message);
  if (pos) {
    loc.line = Number(pos[1]);
    if (pos[2]) loc.column = Number(pos[2]);
  }
  return Object.keys(loc).length > 0 ? loc : undefined;
}

function featureExplanation(f: FeatureSummary): FeatureExplanation {
  const out: FeatureExplanation = {
    featureID: f.featureID,
    status: f.status ?? 'Unknown',
    consecutiveFailures: f.consecutiveFailures ?? 0,
  };
  if (f.failureReason) out.failureReason = f.failureReason;
  if (f.failureMessage) {
    out.failureMessage = f.failureMessage;
    const loc = failureLocation(f.failureMessage);
    if (loc) out.location = loc;
    const owner = OWNER_RE.exec(f.failureMessage);
    if (owner) out.owner = { kind: owner[1], name: owner[2], tier: Number(owner[3]) };
  }
  return out;
}

function summaryFor(summaries: readonly ClusterSummary[], c: ClusterFacts): ClusterSummary | undefined {
  return summaries.find(
    (s) =>
      s.spec?.clusterNamespace === c.namespace &&
      s.spec?.clusterName === c.name &&
      (s.spec?.clusterType ?? 'Sveltos') === c.type,
  );
}

function dependencies(input: ExplainInput, c: ClusterFacts): DependencyExplanation[] {
  return input.profile.dependsOn.map((dep) => {
    if (input.missingDependencies.includes(dep))
      return { profile: dep, status: 'missing', provisioned: false };
    const s = summaryFor(input.dependencySummaries[dep] ?? [], c);
    if (!s) return { profile: dep, status: 'not-deployed', provisioned: false };
    const fs = s.status?.featureSummaries ?? [];
    const bad = fs.find((f) => f.status !== 'Provisioned');
    if (fs.length > 0 && !bad) return { profile: dep, status: 'Provisioned', provisioned: true };
    return { profile: dep, status: bad?.status ?? 'Provisioning', provisioned: false };
  });
}

function byClusterRef(p: ProfileFacts, c: ClusterFacts): boolean {
  return p.clusterRefs.some(
    (r) =>
      r.name === c.name &&
      (r.namespace || p.namespace || '') === c.namespace &&
      (r.kind === 'SveltosCluster' ? 'Sveltos' : 'Capi') === c.type,
  );
}

function describeFailure(f: FeatureExplanation): string {
  const where = f.location
    ? [
        f.location.object,
        f.location.key ? `key ${f.location.key}` : undefined,
        f.location.line !== undefined
          ? `line ${f.location.line}${f.location.column !== undefined ? ` column ${f.location.column}` : ''}`
          : undefined,
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  return `${f.featureID} ${f.status}${where ? ` at ${where}` : ''}: ${f.failureMessage ?? f.failureReason ?? 'no message'}`;
}

function decideCluster(input: ExplainInput, c: ClusterFacts): ClusterExplanation {
  const p = input.profile;
  const selector = explainSelector(p.clusterSelector, c.labels);
  const ref = byClusterRef(p, c);
  const outside = p.kind === 'Profile' && p.namespace !== c.namespace;
  const id = `${c.namespace}/${c.name}`;
  const bySet = p.setRefs.find((s) => (p.setClusters[s] ?? []).includes(id));
  const selected = !outside && (ref || bySet !== undefined || selector.matched);
  const summary = summaryFor(input.summaries, c);
  const features = (summary?.status?.featureSummaries ?? []).map(featureExplanation);
  const helmConflicts = (summary?.status?.helmReleaseSummaries ?? [])
    .filter((h) => h.status === 'Conflict')
    .map((h) => ({ release: `${h.releaseNamespace}/${h.releaseName}`, message: h.conflictMessage ?? '' }));
  const deps = dependencies(input, c);
  const out: ClusterExplanation = {
    cluster: `${c.namespace}/${c.name}`,
    clusterType: c.type,
    verdict: 'pending',
    reason: '',
    selection: {
      selected,
      byClusterRef: ref,
      ...(bySet ? { bySet } : {}),
      selector,
      ...(outside ? { outsideNamespace: true } : {}),
    },
    clusterStatus: {
      ready: c.ready,
      paused: c.paused,
      ...(c.connectionStatus ? { connectionStatus: c.connectionStatus } : {}),
      ...(c.failureMessage ? { failureMessage: c.failureMessage } : {}),
    },
    dependencies: deps,
    features,
    helmConflicts,
  };
  if (summary?.metadata?.name) out.clusterSummary = `${summary.metadata.namespace}/${summary.metadata.name}`;
  if (summary?.status?.failureMessage) out.summaryFailure = summary.status.failureMessage;
  const [verdict, reason] = verdictOf(p, c, out, summary);
  out.verdict = verdict;
  out.reason = reason;
  return out;
}

function selectionReason(p: ProfileFacts, out: ClusterExplanation): string {
  if (out.selection.outsideNamespace)
    return `Profile ${p.namespace}/${p.name} only selects clusters of namespace ${p.namespace}`;
  const sel = out.selection.selector;
  const sets = p.setRefs.length > 0 ? ` and no set of setRefs (${p.setRefs.join(', ')}) selected it` : '';
  if (sel.empty) return `the profile has no clusterSelector, no clusterRef names this cluster${sets}`;
  const failed = sel.terms.filter((t) => !t.matched).map((t) => `${t.term} (${t.reason})`);
  return `clusterSelector does not match: ${failed.join('; ')}${sets}`;
}

function verdictOf(
  p: ProfileFacts,
  c: ClusterFacts,
  out: ClusterExplanation,
  summary: ClusterSummary | undefined,
): [Verdict, string] {
  const how = out.selection.byClusterRef
    ? 'named in clusterRefs'
    : out.selection.bySet
      ? `selected by set ${out.selection.bySet} (setRefs)`
      : 'clusterSelector matches';
  if (!out.selection.selected) {
    if (summary) return ['removing', `${selectionReason(p, out)}; its ClusterSummary is being removed`];
    return ['not-selected', selectionReason(p, out)];
  }
  if (c.deleting) return ['cluster-not-ready', `${how}, but the cluster is being deleted`];
  if (!c.ready)
    return [
      'cluster-not-ready',
      `${how}, but the cluster is not ready${c.failureMessage ? ` (${c.failureMessage})` : ''}${c.connectionStatus ? `, connection ${c.connectionStatus}` : ''}`,
    ];
  if (c.paused)
    return ['cluster-paused', `${how}, but the cluster is paused (spec.paused): nothing is deployed to it`];
  if (p.paused)
    return [
      'profile-paused',
      `${how}, but the profile is paused (annotation profile.projectsveltos.io/paused)`,
    ];
  const waiting = out.dependencies.filter((d) => !d.provisioned);
  if (waiting.length > 0)
    return [
      'waiting-for-dependencies',
      `${how}; waiting for dependsOn: ${waiting.map((d) => `${d.profile} is ${d.status}`).join(', ')}`,
    ];
  if (!summary) return ['pending', `${how}; no ClusterSummary yet (the controller has not processed it)`];
  if (summary.status?.reconciliationSuspended)
    return [
      'failed',
      `${how}; reconciliation suspended: ${summary.status.suspensionReason ?? 'no reason given'}`,
    ];
  const conflict = out.features.find((f) => f.failureReason === 'Conflict' || f.owner);
  if (conflict || out.helmConflicts.length > 0) {
    const owner = conflict?.owner
      ? `${conflict.owner.kind} ${conflict.owner.name} (tier ${conflict.owner.tier}) owns the object; this profile has tier ${p.tier}, only a strictly lower tier takes over`
      : (out.helmConflicts[0]?.message ?? conflict?.failureMessage ?? 'conflict');
    return ['conflict', `${how}; conflict: ${owner}`];
  }
  const failed = out.features.find((f) => f.status === 'Failed' || f.status === 'FailedNonRetriable');
  if (failed) return ['failed', `${how}; ${describeFailure(failed)}`];
  if (out.summaryFailure) return ['failed', `${how}; ${out.summaryFailure}`];
  if (out.features.length > 0 && out.features.every((f) => f.status === 'Provisioned'))
    return p.syncMode === 'DryRun'
      ? ['dry-run', `${how}; syncMode DryRun: nothing is changed, see flotilla show dryrun`]
      : [
          'deployed',
          `${how}; every feature is Provisioned (${out.features.map((f) => f.featureID).join(', ')})`,
        ];
  const removing = out.features.find((f) => f.status === 'Removing' || f.status === 'Removed');
  if (removing) return ['removing', `${how}; ${removing.featureID} is ${removing.status}`];
  return [
    'provisioning',
    `${how}; ${out.features.length === 0 ? 'no feature deployed yet' : out.features.map((f) => `${f.featureID} ${f.status}`).join(', ')}`,
  ];
}

/**
 * Why a profile is, or is not, deployed on each cluster: selection (term by term), cluster
 * readiness and pause, profile pause, dependsOn, conflicts (owner and tiers), feature failures
 * with object/line/column, sync mode. Pure: the fetching is in explain-fetch.ts.
 */
export function explainProfile(input: ExplainInput): ProfileExplanation {
  const p = input.profile;
  const clusters = input.clusters.map((c) => decideCluster(input, c));
  if (input.missingCluster)
    clusters.push({
      cluster: input.missingCluster,
      clusterType: 'Sveltos',
      verdict: 'cluster-not-found',
      reason: `no SveltosCluster or CAPI Cluster ${input.missingCluster}: register it with flotilla register cluster`,
      selection: { selected: false, byClusterRef: false, selector: explainSelector(p.clusterSelector, {}) },
      dependencies: [],
      features: [],
      helmConflicts: [],
    });
  return {
    kind: p.kind,
    name: p.name,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    syncMode: p.syncMode,
    tier: p.tier,
    paused: p.paused,
    dependsOn: p.dependsOn,
    clusters,
  };
}
