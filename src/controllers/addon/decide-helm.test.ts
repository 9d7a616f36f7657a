import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartOptions, describeValueChanges, dryRunAction, releaseManager } from './decide-helm.js';
import { helmValues, mergeOver } from './helm-values.js';
import { RenderError, type SourceContent } from './render.js';

const claim = (summary: string, tier: number, created: string) => ({
  summary,
  owner: `ClusterProfile/${summary}`,
  tier,
  created,
});

test('releaseManager: lowest tier, then oldest summary, then name', () => {
  assert.equal(releaseManager([]), undefined);
  const a = claim('a', 100, '2026-01-02T00:00:00Z');
  const b = claim('b', 100, '2026-01-01T00:00:00Z');
  const c = claim('c', 50, '2026-01-03T00:00:00Z');
  assert.equal(releaseManager([a, b])?.summary, 'b');
  assert.equal(releaseManager([a, b, c])?.summary, 'c');
  assert.equal(releaseManager([claim('y', 1, 't'), claim('x', 1, 't')])?.summary, 'x');
});

test('chartOptions: Sveltos defaults and the per-action hook switches', () => {
  const base = { repositoryURL: 'https://x', releaseName: 'r', releaseNamespace: 'n' };
  const d = chartOptions(base, false);
  assert.equal(d.createNamespace, true);
  assert.equal(d.replace, true);
  assert.equal(d.maxHistory, 2);
  assert.equal(d.recoverAfterConsecutiveFailures, 5);
  assert.equal(d.takeOwnership, false);
  const o = chartOptions(
    {
      ...base,
      options: {
        disableHooks: true,
        installOptions: { disableHooks: false, createNamespace: false },
        upgradeOptions: { takeOwnership: true, maxHistory: 5 },
      },
    },
    false,
  );
  assert.equal(o.disableHooks, false, 'installOptions.disableHooks overrides on install');
  assert.equal(o.createNamespace, false);
  assert.equal(o.takeOwnership, true);
  assert.equal(o.maxHistory, 5);
  assert.equal(chartOptions({ ...base, options: { disableHooks: true } }, true).disableHooks, true);
});

test('dryRunAction and value change text', () => {
  assert.equal(dryRunAction(undefined, '1.0.0', false), 'Install');
  assert.equal(dryRunAction('1.0.0', '1.1.0', false), 'Upgrade');
  assert.equal(dryRunAction('1.0.0', '1.0.0', false), 'Update Values');
  assert.equal(dryRunAction('1.0.0', '1.0.0', true), 'No Action');
  assert.equal(
    describeValueChanges([
      { path: 'a', change: 'changed', from: 1, to: 2 },
      { path: 'b.c', change: 'added', to: 'x' },
      { path: 'd', change: 'removed', from: true },
    ]),
    'a: 1 -> 2; b.c: added "x"; d: removed (was true)',
  );
});

const src = (name: string, data: Record<string, string>, template = false): SourceContent => ({
  kind: 'ConfigMap',
  namespace: 'default',
  name,
  annotations: template ? { 'projectsveltos.io/template': 'ok' } : {},
  data: Object.entries(data).sort(),
});

test('helmValues: values < plain valuesFrom < templated valuesFrom, lists replaced', () => {
  const data = { Cluster: { metadata: { name: 'c1', labels: { env: 'prod' } } }, MgmtResources: {} };
  const v = helmValues(
    'a: {{ .Cluster.metadata.name }}\nlist: [1, 2]\nm: {x: 1, y: 1}\n',
    [
      src('t', { v: 'a: from-template-{{ .Cluster.metadata.labels.env }}' }, true),
      src('p', { v: 'a: from-plain\nlist: [3]\nm: {y: 2}' }),
    ],
    data,
    'helmCharts[0] (release n/r)',
  );
  assert.deepEqual(v, { a: 'from-template-prod', list: [3], m: { x: 1, y: 2 } });
  // Plain valuesFrom content is not a template.
  assert.deepEqual(helmValues(undefined, [src('p', { v: 'a: "{{ x }}"' })], data, 'w'), { a: '{{ x }}' });
});

test('helmValues: template errors name the entry and line; non-map values are refused', () => {
  const data = { Cluster: { metadata: {} }, MgmtResources: {} };
  assert.throws(
    () => helmValues('a: 1\nb: {{ .Cluster.nope.deeper }}', [], data, 'helmCharts[2] (release n/r)'),
    (e: unknown) => e instanceof RenderError && /helmCharts\[2\]\.values:2:/.test(e.message),
  );
  assert.throws(() => helmValues('- 1\n- 2', [], data, 'w'), /must be a YAML map/);
  assert.deepEqual(mergeOver({ a: { b: 1 } }, { a: { c: 2 } }), { a: { b: 1, c: 2 } });
});
