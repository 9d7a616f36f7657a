import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CurrentObject,
  type DesiredObject,
  decideDeploy,
  dryRunReport,
  objectId,
} from './decide-deploy.js';
import { decideSync } from './decide-sync.js';

const owner = { kind: 'ClusterProfile', name: 'mine', tier: 100 };
const src = { kind: 'ConfigMap', namespace: 'default', name: 'src', tier: 100 };
const d = (name: string, hash = `h-${name}`, source = src): DesiredObject => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'app' } };
  return { id: objectId(obj), obj, source, hash };
};
const cur = (name: string, ann: Record<string, string>): [string, CurrentObject] => {
  const id = objectId({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'app' } });
  return [id, { id, annotations: ann }];
};
const own = (kind: string, name: string, tier?: number, hash?: string) => ({
  'projectsveltos.io/owner-kind': kind,
  'projectsveltos.io/owner-name': name,
  ...(tier === undefined ? {} : { 'projectsveltos.io/owner-tier': String(tier) }),
  ...(hash === undefined ? {} : { 'projectsveltos.io/hash': hash }),
});

test('create, update, no action, and removal of what this profile owns only', () => {
  const current = new Map([
    cur('same', own('ClusterProfile', 'mine', 100, 'h-same')),
    cur('changed', own('ClusterProfile', 'mine', 100, 'old')),
    cur('stale', own('ClusterProfile', 'mine')),
    cur('foreign-stale', own('ClusterProfile', 'other')),
    cur('unmanaged-stale', {}),
  ]);
  const plan = decideDeploy({
    owner,
    desired: [d('new'), d('same'), d('changed')],
    current,
    continueOnConflict: false,
    freezeRemovals: false,
  });
  assert.deepEqual(
    plan.actions.map((a) => [a.desired.obj.metadata, a.action, a.apply]),
    [
      [{ name: 'new', namespace: 'app' }, 'Create', true],
      [{ name: 'same', namespace: 'app' }, 'No Action', true],
      [{ name: 'changed', namespace: 'app' }, 'Update', true],
    ],
  );
  assert.deepEqual(plan.remove, ['/v1/ConfigMap/app/stale']);
  const frozen = decideDeploy({
    owner,
    desired: [],
    current,
    continueOnConflict: false,
    freezeRemovals: true,
  });
  assert.deepEqual(frozen.remove, [], 'a frozen profile removes nothing');
});

test('tiers: strictly lower steals, equal keeps the incumbent, conflict stops the rest', () => {
  const current = new Map([
    cur('a', own('ClusterProfile', 'other', 100)),
    cur('b', own('ClusterProfile', 'other', 200)),
  ]);
  const plan = decideDeploy({
    owner,
    desired: [d('a'), d('b'), d('c')],
    current,
    continueOnConflict: false,
    freezeRemovals: false,
  });
  assert.deepEqual(
    plan.actions.map((a) => [a.action, a.apply]),
    [
      ['Conflict', false],
      ['Update', false],
      ['Create', false],
    ],
  );
  assert.match(plan.actions[0]!.message!, /already managed by ClusterProfile other \(tier 100\)/);
  assert.equal(plan.conflicts, 1);
  const cont = decideDeploy({
    owner,
    desired: [d('a'), d('b'), d('c')],
    current,
    continueOnConflict: true,
    freezeRemovals: false,
  });
  assert.deepEqual(
    cont.actions.map((a) => [a.action, a.apply]),
    [
      ['Conflict', false],
      ['Update', true],
      ['Create', true],
    ],
  );
  assert.deepEqual(cont.actions[1]!.stolenFrom, { kind: 'ClusterProfile', name: 'other' });
  const low = decideDeploy({
    owner: { ...owner, tier: 50 },
    desired: [d('a')],
    current,
    continueOnConflict: false,
    freezeRemovals: false,
  });
  assert.equal(low.actions[0]!.action, 'Update');
  assert.equal(low.actions[0]!.apply, true);
});

test('within a profile, two sources of one object: lower reference tier wins, equal conflicts', () => {
  const s2 = { ...src, name: 'src2', tier: 10 };
  const plan = decideDeploy({
    owner,
    desired: [d('x'), d('x', 'h2', s2)],
    current: new Map(),
    continueOnConflict: false,
    freezeRemovals: false,
  });
  assert.equal(plan.actions.length, 1);
  assert.equal(plan.actions[0]!.desired.source.name, 'src2');
  const eq = decideDeploy({
    owner,
    desired: [d('x'), d('x', 'h2', { ...s2, tier: 100 })],
    current: new Map(),
    continueOnConflict: false,
    freezeRemovals: false,
  });
  assert.equal(eq.actions[0]!.action, 'Conflict');
  assert.match(
    eq.actions[0]!.message!,
    /produced by both ConfigMap default\/src and ConfigMap default\/src2/,
  );
});

test('dry run report lists every action including deletes', () => {
  const current = new Map([
    cur('same', own('ClusterProfile', 'mine', 100, 'h-same')),
    cur('gone', own('ClusterProfile', 'mine')),
  ]);
  const plan = decideDeploy({
    owner,
    desired: [d('same'), d('new')],
    current,
    continueOnConflict: false,
    freezeRemovals: false,
  });
  assert.deepEqual(
    dryRunReport(plan).map((r) => [r.resource.name, r.action]),
    [
      ['same', 'No Action'],
      ['new', 'Create'],
      ['gone', 'Delete'],
    ],
  );
  assert.deepEqual(dryRunReport(plan)[0]!.resource, {
    name: 'same',
    namespace: 'app',
    group: '',
    kind: 'ConfigMap',
    version: 'v1',
  });
});

test('sync gating per mode', () => {
  const prov = { featureID: 'Resources' as const, status: 'Provisioned' as const, hash: 'h1' };
  const g = (
    syncMode: Parameters<typeof decideSync>[0]['syncMode'],
    feature: typeof prov | null,
    hash = 'h1',
    driftReported = false,
  ) => decideSync({ syncMode, feature: feature ?? undefined, hash, driftReported }).type;
  assert.equal(g('OneTime', null), 'deploy');
  assert.equal(g('OneTime', prov, 'h2'), 'skip', 'OneTime never re-applies');
  assert.equal(g('Continuous', prov, 'h1'), 'skip');
  assert.equal(g('Continuous', prov, 'h2'), 'deploy');
  assert.equal(g(undefined, { ...prov, status: 'Failed' } as never, 'h1'), 'deploy');
  assert.equal(g('Continuous', { ...prov, status: 'FailedNonRetriable' } as never, 'h1'), 'skip');
  assert.equal(g('ContinuousWithDriftDetection', prov, 'h1', true), 'deploy');
  assert.equal(g('Continuous', prov, 'h1', true), 'skip', 'drift only counts with drift detection');
  assert.equal(g('DryRun', null), 'dryRun');
  assert.equal(g('DryRun', prov, 'h1'), 'skip');
});
