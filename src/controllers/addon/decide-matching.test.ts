import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type ClusterCandidate,
  clusterKey,
  matchingClusters,
  planSummaries,
  targetsOf,
  withPrerequisites,
} from './decide-matching.js';
import type { ClusterSummaryObject, ProfileObject } from './types.js';

const c = (
  name: string,
  labels: Record<string, string>,
  extra: Partial<ClusterCandidate> = {},
): ClusterCandidate => ({
  namespace: extra.namespace ?? 'ns1',
  name,
  type: 'Sveltos',
  labels,
  ready: true,
  deleting: false,
  ...extra,
});

const clusters = [
  c('a', { env: 'prod', zone: 'eu' }),
  c('b', { env: 'dev' }),
  c('c', { env: 'prod' }, { ready: false }),
  c('d', { env: 'prod' }, { deleting: true }),
  c('e', { env: 'prod' }, { namespace: 'ns2' }),
];

const cp = (
  spec: ProfileObject['spec'],
  kind: 'ClusterProfile' | 'Profile' = 'ClusterProfile',
): ProfileObject => ({
  kind,
  metadata: { name: 'p', uid: 'u1', ...(kind === 'Profile' ? { namespace: 'ns1' } : {}) },
  spec,
});

const names = (l: ClusterCandidate[]) => l.map((x) => `${x.namespace}/${x.name}`);

test('matchLabels select ready, non-deleting clusters only', () => {
  assert.deepEqual(
    names(matchingClusters(cp({ clusterSelector: { matchLabels: { env: 'prod' } } }), clusters)),
    ['ns1/a', 'ns2/e'],
  );
});

test('an empty selector matches nothing; clusterRefs are added', () => {
  assert.deepEqual(matchingClusters(cp({ clusterSelector: {} }), clusters), []);
  assert.deepEqual(matchingClusters(cp({}), clusters), []);
  const refs = cp({ clusterRefs: [{ kind: 'SveltosCluster', namespace: 'ns1', name: 'b' }] });
  assert.deepEqual(names(matchingClusters(refs, clusters)), ['ns1/b']);
});

test('matchExpressions work and are ANDed with matchLabels', () => {
  const p = cp({
    clusterSelector: {
      matchLabels: { env: 'prod' },
      matchExpressions: [{ key: 'zone', operator: 'In', values: ['eu'] }],
    },
  });
  assert.deepEqual(names(matchingClusters(p, clusters)), ['ns1/a']);
  const notIn = cp({
    clusterSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
  });
  assert.deepEqual(names(matchingClusters(notIn, clusters)), ['ns1/b']);
});

test('a Profile only matches clusters of its namespace', () => {
  const p = cp({ clusterSelector: { matchLabels: { env: 'prod' } } }, 'Profile');
  assert.deepEqual(names(matchingClusters(p, clusters)), ['ns1/a']);
});

test('prerequisites are deployed to their dependents clusters, recursively, cycles cut', () => {
  const fleet = ['c1', 'c2', 'c3', 'c4', 'c5'].map((n) => c(n, { name: n }));
  const prof = (name: string, dependsOn: string[], on: string[]): ProfileObject => ({
    kind: 'ClusterProfile',
    metadata: { name },
    spec: { dependsOn, clusterRefs: on.map((n) => ({ kind: 'SveltosCluster', namespace: 'ns1', name: n })) },
  });
  const scope = [
    prof('app', ['db'], ['c1', 'c2']),
    prof('db', ['base'], ['c3']),
    prof('base', [], []),
    prof('x', ['y'], ['c4']),
    prof('y', ['x'], ['c5']),
  ];
  const t = (name: string) => targetsOf(name, scope, fleet).map((x) => x.name);
  assert.deepEqual(t('base'), ['c1', 'c2', 'c3']);
  assert.deepEqual(t('db'), ['c1', 'c2', 'c3']);
  assert.deepEqual(t('app'), ['c1', 'c2']);
  assert.deepEqual(t('x'), ['c4', 'c5']);
  assert.deepEqual(t('missing'), []);
  // A change of a profile moves its own targets and those of its prerequisites only.
  const deps = new Map(scope.map((q) => [q.metadata?.name ?? '', q.spec?.dependsOn ?? []]));
  assert.deepEqual(withPrerequisites('app', (n) => deps.get(n)).sort(), ['app', 'base', 'db']);
  assert.deepEqual(
    withPrerequisites('base', (n) => deps.get(n)),
    ['base'],
  );
  assert.deepEqual(withPrerequisites('x', (n) => deps.get(n)).sort(), ['x', 'y']);
  assert.deepEqual(
    withPrerequisites('new', () => undefined),
    ['new'],
  );
});

test('summaries: create new, update drifted spec, delete unmatched, keep equal ones', () => {
  const p = cp({
    clusterSelector: { matchLabels: { env: 'prod' } },
    policyRefs: [{ kind: 'ConfigMap', name: 'x' }],
  });
  const first = planSummaries(p, [clusters[0]!, clusters[1]!], []);
  assert.equal(first.create.length, 2);
  const s = first.create[0]!;
  assert.equal(s.metadata?.name, 'p-sveltos-a');
  assert.equal(s.metadata?.namespace, 'ns1');
  assert.equal(s.metadata?.labels?.['projectsveltos.io/cluster-profile-name'], 'p');
  assert.equal(s.metadata?.ownerReferences?.[0]?.kind, 'ClusterProfile');
  assert.deepEqual(s.metadata?.finalizers, ['clustersummaryfinalizer.projectsveltos.io']);
  assert.deepEqual(s.spec?.clusterProfileSpec, p.spec);
  const existing: ClusterSummaryObject[] = [
    first.create[0]!,
    { ...first.create[1]!, spec: { ...first.create[1]!.spec!, clusterProfileSpec: {} } },
  ];
  const gone: ClusterSummaryObject = {
    ...first.create[0]!,
    metadata: { ...first.create[0]!.metadata, name: 'p-sveltos-zz' },
  };
  const plan = planSummaries(p, [clusters[0]!, clusters[1]!], [...existing, gone]);
  assert.equal(plan.create.length, 0);
  assert.deepEqual(
    plan.update.map((u) => u.metadata?.name),
    ['p-sveltos-b'],
  );
  assert.deepEqual(plan.remove, [{ namespace: 'ns1', name: 'p-sveltos-zz' }]);
  const prof = planSummaries(cp({}, 'Profile'), [clusters[0]!], []);
  assert.equal(prof.create[0]?.metadata?.name, 'p--p-sveltos-a');
  assert.equal(prof.create[0]?.metadata?.labels?.['projectsveltos.io/profile-name'], 'p');
  assert.equal(clusterKey(clusters[0]!), 'Sveltos:ns1/a');
});
