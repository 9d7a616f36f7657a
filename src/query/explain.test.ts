import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterSummary } from '../api/index.js';
import { explainProfile, failureLocation } from './explain.js';
import { formatExplanation } from './explain-format.js';
import type { ClusterFacts, ExplainInput, ProfileFacts } from './explain-types.js';

const profile = (over: Partial<ProfileFacts> = {}): ProfileFacts => ({
  kind: 'ClusterProfile',
  name: 'web',
  clusterSelector: { matchLabels: { env: 'prod' } },
  clusterRefs: [],
  setRefs: [],
  setClusters: {},
  dependsOn: [],
  syncMode: 'Continuous',
  tier: 100,
  paused: false,
  matchingClusters: [],
  ...over,
});

const cluster = (over: Partial<ClusterFacts> = {}): ClusterFacts => ({
  namespace: 'ns',
  name: 'c1',
  type: 'Sveltos',
  labels: { env: 'prod' },
  ready: true,
  paused: false,
  deleting: false,
  ...over,
});

const summary = (
  profileName: string,
  features: {
    featureID: 'Resources' | 'Helm';
    status: string;
    failureMessage?: string;
    failureReason?: string;
  }[],
): ClusterSummary =>
  ({
    metadata: { name: `${profileName}-sveltos-c1`, namespace: 'ns' },
    spec: { clusterNamespace: 'ns', clusterName: 'c1', clusterType: 'Sveltos' },
    status: { featureSummaries: features },
  }) as ClusterSummary;

const input = (over: Partial<ExplainInput> = {}): ExplainInput => ({
  profile: profile(),
  clusters: [cluster()],
  summaries: [],
  dependencySummaries: {},
  missingDependencies: [],
  ...over,
});

test('deployed when selected and every feature is Provisioned', () => {
  const e = explainProfile(
    input({ summaries: [summary('web', [{ featureID: 'Resources', status: 'Provisioned' }])] }),
  );
  assert.equal(e.clusters[0].verdict, 'deployed');
  assert.match(e.clusters[0].reason, /clusterSelector matches; every feature is Provisioned/);
});

test('not selected: names the label that did not match', () => {
  const e = explainProfile(input({ clusters: [cluster({ labels: { env: 'dev' } })] }));
  assert.equal(e.clusters[0].verdict, 'not-selected');
  assert.equal(e.clusters[0].reason, 'clusterSelector does not match: env=prod (label env is "dev")');
  assert.match(formatExplanation(e), /selector env=prod: does not match \(label env is "dev"\)/);
});

test('clusterRefs select regardless of labels; Profiles only see their namespace', () => {
  const refs = [{ kind: 'SveltosCluster', namespace: 'ns', name: 'c1' }];
  const e = explainProfile(
    input({ profile: profile({ clusterRefs: refs }), clusters: [cluster({ labels: {} })] }),
  );
  assert.equal(e.clusters[0].selection.byClusterRef, true);
  assert.equal(e.clusters[0].verdict, 'pending');
  const p = explainProfile(input({ profile: profile({ kind: 'Profile', namespace: 'other' }) }));
  assert.equal(p.clusters[0].verdict, 'not-selected');
  assert.match(p.clusters[0].reason, /only selects clusters of namespace other/);
});

test('cluster not ready, paused, profile paused', () => {
  const notReady = explainProfile(
    input({
      clusters: [cluster({ ready: false, connectionStatus: 'Down', failureMessage: 'dial tcp: refused' })],
    }),
  );
  assert.equal(notReady.clusters[0].verdict, 'cluster-not-ready');
  assert.match(notReady.clusters[0].reason, /dial tcp: refused.*connection Down/);
  assert.equal(
    explainProfile(input({ clusters: [cluster({ paused: true })] })).clusters[0].verdict,
    'cluster-paused',
  );
  assert.equal(
    explainProfile(input({ profile: profile({ paused: true }) })).clusters[0].verdict,
    'profile-paused',
  );
});

test('waiting on dependsOn: says which prerequisite is not Provisioned', () => {
  const e = explainProfile(
    input({
      profile: profile({ dependsOn: ['base', 'crds', 'gone'] }),
      dependencySummaries: {
        base: [summary('base', [{ featureID: 'Helm', status: 'Provisioning' }])],
        crds: [summary('crds', [{ featureID: 'Resources', status: 'Provisioned' }])],
      },
      missingDependencies: ['gone'],
    }),
  );
  assert.equal(e.clusters[0].verdict, 'waiting-for-dependencies');
  assert.match(e.clusters[0].reason, /waiting for dependsOn: base is Provisioning, gone is missing$/);
});

test('a template error names the object, key, line and column', () => {
  const msg =
    'ConfigMap default/tpl key deploy.yaml: template: default/tpl/deploy.yaml:3:14: executing "default/tpl/deploy.yaml" at <.Cluster.nope>: map has no entry for key "nope"';
  assert.deepEqual(failureLocation(msg), {
    object: 'ConfigMap default/tpl',
    key: 'deploy.yaml',
    line: 3,
    column: 14,
  });
  const e = explainProfile(
    input({
      summaries: [summary('web', [{ featureID: 'Resources', status: 'Failed', failureMessage: msg }])],
    }),
  );
  assert.equal(e.clusters[0].verdict, 'failed');
  assert.match(
    e.clusters[0].reason,
    /Resources Failed at ConfigMap default\/tpl, key deploy.yaml, line 3 column 14: /,
  );
});

test('conflict: names the owner and the tiers', () => {
  const msg =
    'apps/v1 Deployment default/nginx is already managed by ClusterProfile other (tier 50); ClusterProfile web has tier 100: only a strictly lower tier takes it over';
  const e = explainProfile(
    input({
      summaries: [
        summary('web', [
          { featureID: 'Resources', status: 'Failed', failureReason: 'Conflict', failureMessage: msg },
        ]),
      ],
    }),
  );
  assert.equal(e.clusters[0].verdict, 'conflict');
  assert.deepEqual(e.clusters[0].features[0].owner, { kind: 'ClusterProfile', name: 'other', tier: 50 });
  assert.match(
    e.clusters[0].reason,
    /ClusterProfile other \(tier 50\) owns the object; this profile has tier 100/,
  );
});

test('DryRun and missing cluster', () => {
  const e = explainProfile(
    input({
      profile: profile({ syncMode: 'DryRun' }),
      summaries: [summary('web', [{ featureID: 'Resources', status: 'Provisioned' }])],
    }),
  );
  assert.equal(e.clusters[0].verdict, 'dry-run');
  const m = explainProfile(input({ clusters: [], missingCluster: 'ns/ghost' }));
  assert.equal(m.clusters[0].verdict, 'cluster-not-found');
});

test('setRefs: a cluster selected by a ClusterSet is selected', () => {
  const p = profile({ clusterSelector: {}, setRefs: ['prod-set'], setClusters: { 'prod-set': ['ns/c1'] } });
  const e = explainProfile(input({ profile: p }));
  assert.equal(e.clusters[0].selection.bySet, 'prod-set');
  assert.match(e.clusters[0].reason, /^selected by set prod-set \(setRefs\); no ClusterSummary yet/);
  const other = explainProfile(input({ profile: { ...p, setClusters: { 'prod-set': [] } } }));
  assert.match(other.clusters[0].reason, /no set of setRefs \(prod-set\) selected it/);
});
