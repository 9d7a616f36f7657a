import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceSummary } from '../../api/index.js';
import { decideDrift, type LiveState, sameDriftStatus, statusPatch } from './decide.js';
import { trackedResources } from './tracked.js';

const cm = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'demo', name: 'a' };
const svc = { group: '', version: 'v1', kind: 'Service', namespace: 'demo', name: 's' };
const chart = { chartName: 'redis', releaseName: 'r', releaseNamespace: 'db' };

function summary(status: ResourceSummary['status'] = {}): ResourceSummary {
  return {
    spec: {
      resources: [cm, { ...svc, name: 'ignored', ignoreForConfigurationDrift: true }],
      chartResources: [{ ...chart, group: [{ ...svc, ignoreForConfigurationDrift: false }] }],
    },
    status,
  };
}

const present = (hash: string, ignored = false): LiveState => ({ type: 'present', hash, ignored });
const absent: LiveState = { type: 'absent' };
const live = (m: Record<string, LiveState>) => (t: { name: string }) => m[t.name] ?? absent;

test('ignoreForConfigurationDrift entries are not tracked', () => {
  assert.deepEqual(
    trackedResources(summary().spec).map((t) => `${t.section}:${t.name}`),
    ['resources:a', 'helm:s'],
  );
});

test('no baseline and flags false: a baseline is taken from the live objects', () => {
  const plan = decideDrift(summary(), live({ a: present('h1'), s: present('h2') }));
  assert.equal(plan.drifted.length, 0);
  assert.equal(plan.decisive.length, 2);
  assert.deepEqual(plan.status.resourceHashes, [{ ...cm, hash: 'h1' }]);
  assert.deepEqual(plan.status.helmResourceHashes, [{ ...svc, hash: 'h2', helmChartRef: chart }]);
  assert.equal(plan.status.resourcesChanged, false);
  assert.equal(plan.status.helmResourcesChanged, false);
});

test('unchanged objects: nothing decisive, same status', () => {
  const s = decideDrift(summary(), live({ a: present('h1'), s: present('h2') })).status;
  const plan = decideDrift(summary(s), live({ a: present('h1'), s: present('h2') }));
  assert.equal(plan.decisive.length, 0);
  assert.equal(sameDriftStatus(s, plan.status), true);
});

test('a changed object sets its section flag and loses its baseline; helm names the chart', () => {
  const s = decideDrift(summary(), live({ a: present('h1'), s: present('h2') })).status;
  const plan = decideDrift(summary(s), live({ a: present('h1'), s: present('changed') }));
  assert.deepEqual(
    plan.drifted.map((t) => t.name),
    ['s'],
  );
  assert.equal(plan.status.resourcesChanged, false);
  assert.equal(plan.status.helmResourcesChanged, true);
  assert.equal(plan.status.helmResourceHashes, undefined);
  assert.deepEqual(plan.status.driftedHelmCharts, [chart]);
});

test('a deleted object is drift; an ignored (annotated) one is not', () => {
  const s = decideDrift(summary(), live({ a: present('h1'), s: present('h2') })).status;
  const gone = decideDrift(summary(s), live({ s: present('h2') }));
  assert.equal(gone.status.resourcesChanged, true);
  const ignored = decideDrift(summary(s), live({ a: present('other', true), s: present('h2') }));
  assert.equal(ignored.status.resourcesChanged, false);
  assert.equal(ignored.drifted.length, 0);
});

test('while a flag is true no baseline is taken; after the reset one is', () => {
  const flagged = { resourcesChanged: true };
  const waiting = decideDrift(summary(flagged), live({ a: present('new'), s: present('h2') }));
  assert.equal(waiting.status.resourcesChanged, true);
  assert.equal(waiting.status.resourceHashes, undefined);
  const after = decideDrift(
    summary({ resourcesChanged: false }),
    live({ a: present('new'), s: present('h2') }),
  );
  assert.deepEqual(after.status.resourceHashes, [{ ...cm, hash: 'new' }]);
});

test('an object missing when the baseline is taken is drift', () => {
  const plan = decideDrift(summary(), live({ s: present('h2') }));
  assert.equal(plan.status.resourcesChanged, true);
  assert.deepEqual(
    plan.drifted.map((t) => t.name),
    ['a'],
  );
});

test('baselines of objects no longer listed are dropped', () => {
  const s = {
    resourceHashes: [
      { ...cm, hash: 'h1' },
      { ...cm, name: 'old', hash: 'h0' },
    ],
  };
  const plan = decideDrift(summary(s), live({ a: present('h1'), s: present('h2') }));
  assert.deepEqual(plan.status.resourceHashes, [{ ...cm, hash: 'h1' }]);
});

test('statusPatch states every field, deleting empty ones', () => {
  assert.deepEqual(statusPatch({ resourcesChanged: true }), {
    resourcesChanged: true,
    kustomizeResourcesChanged: false,
    helmResourcesChanged: false,
    resourceHashes: null,
    kustomizeResourceHashes: null,
    helmResourceHashes: null,
    driftedHelmCharts: null,
  });
});
