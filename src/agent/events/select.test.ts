import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventSource } from '../../api/index.js';
import { LuaEngine } from '../../engine/lua/index.js';
import type { KubeObject } from '../../kube/index.js';
import { decodeResources, reportSpec, reportUpToDate } from './report.js';
import { compileEventSource, EventSourceError, evaluateEventSource } from './select.js';

const lua = new LuaEngine();

function cm(
  ns: string,
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<KubeObject> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name, labels }, ...extra };
}

function es(spec: EventSource['spec']): EventSource {
  return { apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'EventSource', metadata: { name: 'es' }, spec };
}

const objs = [
  cm('a', 'one', { env: 'prod', team: 'x' }),
  cm('a', 'two', { env: 'dev' }),
  cm('b', 'three', { team: 'y' }),
  cm(
    'b',
    'gone',
    { env: 'prod' },
    { metadata: { namespace: 'b', name: 'gone', labels: { env: 'prod' }, deletionTimestamp: 'now' } },
  ),
];

function names(spec: EventSource['spec']): string[] {
  const c = compileEventSource(es(spec), lua);
  try {
    return evaluateEventSource(c, () => objs).matches.map(
      (o) => `${o.metadata?.namespace}/${o.metadata?.name}`,
    );
  } finally {
    c.dispose();
  }
}

const sel = { group: '', version: 'v1', kind: 'ConfigMap' };

test('label filters: Equal, Different, Has, DoesNotHave; deleting objects are skipped', () => {
  assert.deepEqual(
    names({
      resourceSelectors: [{ ...sel, labelFilters: [{ key: 'env', operation: 'Equal', value: 'prod' }] }],
    }),
    ['a/one'],
  );
  assert.deepEqual(
    names({
      resourceSelectors: [{ ...sel, labelFilters: [{ key: 'env', operation: 'Different', value: 'prod' }] }],
    }),
    ['a/two', 'b/three'],
  );
  assert.deepEqual(
    names({ resourceSelectors: [{ ...sel, labelFilters: [{ key: 'team', operation: 'Has' }] }] }),
    ['a/one', 'b/three'],
  );
  assert.deepEqual(
    names({ resourceSelectors: [{ ...sel, labelFilters: [{ key: 'env', operation: 'DoesNotHave' }] }] }),
    ['b/three'],
  );
});

test('namespace, name and selector narrow; overlapping selectors count an object once', () => {
  assert.deepEqual(names({ resourceSelectors: [{ ...sel, namespace: 'b' }] }), ['b/three']);
  assert.deepEqual(names({ resourceSelectors: [{ ...sel, name: 'two' }] }), ['a/two']);
  assert.deepEqual(names({ resourceSelectors: [{ ...sel, selector: { matchLabels: { team: 'x' } } }] }), [
    'a/one',
  ]);
  assert.deepEqual(
    names({
      resourceSelectors: [
        { ...sel, namespace: 'a' },
        { ...sel, name: 'one' },
      ],
    }),
    ['a/one', 'a/two'],
  );
});

test('Lua evaluate and CEL rules (OR-ed, a broken rule is false)', () => {
  const evaluate =
    'function evaluate()\n local hs = {}\n hs.matching = obj.metadata.labels.env == "dev"\n return hs\nend';
  assert.deepEqual(names({ resourceSelectors: [{ ...sel, evaluate }] }), ['a/two']);
  const c = compileEventSource(
    es({
      resourceSelectors: [
        {
          ...sel,
          evaluateCEL: [
            { name: 'broken', rule: 'resource.nope.deeper == 1' },
            { name: 'ns-b', rule: "resource.metadata.namespace == 'b'" },
          ],
        },
      ],
    }),
    lua,
  );
  const r = evaluateEventSource(c, () => objs);
  assert.deepEqual(
    r.matches.map((o) => o.metadata?.name),
    ['three'],
  );
  assert.ok(r.warnings.some((w) => w.includes('broken')));
});

test('aggregatedSelection picks from the selected objects; bad input is an EventSourceError', () => {
  const aggregatedSelection = `function evaluate()
  local hs = {}
  hs.resources = {}
  for _, r in ipairs(resources) do
    if r.metadata.namespace == "a" then table.insert(hs.resources, r) end
  end
  return hs
end`;
  assert.deepEqual(names({ resourceSelectors: [sel], aggregatedSelection }), ['a/one', 'a/two']);
  assert.throws(
    () => compileEventSource(es({ resourceSelectors: [{ ...sel, evaluate: 'function (' }] }), lua),
    EventSourceError,
  );
});

test('report content: refs, resources only with collectResources, equality ignores cloudEvents', () => {
  const cluster = { clusterName: 'c1', clusterNamespace: 'ns', clusterType: 'Sveltos' as const };
  const matches = [objs[0]];
  const without = reportSpec('es', cluster, matches, false);
  assert.deepEqual(without.matchingResources, [
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'one' },
  ]);
  assert.equal(without.resources, undefined);
  const withRes = reportSpec('es', cluster, matches, true);
  assert.ok(
    Buffer.from(withRes.resources ?? '', 'base64')
      .toString()
      .endsWith('}\n---\n'),
  );
  assert.deepEqual(decodeResources(withRes.resources), matches);
  const stored = { metadata: { labels: {} }, spec: { ...withRes, cloudEvents: ['e30='] } };
  assert.equal(reportUpToDate(stored, withRes, {}), true);
  assert.equal(reportUpToDate(stored, without, {}), false);
});

test('verdict memo: unchanged objects reuse their verdict, changed ones are re-evaluated, gone ones pruned', () => {
  const c = compileEventSource(
    es({
      resourceSelectors: [
        { ...sel, evaluateCEL: [{ name: 'prod', rule: "resource.metadata.labels.env == 'prod'" }] },
      ],
    }),
    lua,
  );
  const v = (o: KubeObject, rv: string): KubeObject => ({
    ...o,
    metadata: { ...o.metadata, resourceVersion: rv },
  });
  const memo = new Map<string, { rv: string; match: boolean }>();
  const live = [v(objs[0], '1'), v(objs[1], '1')];
  assert.deepEqual(
    evaluateEventSource(c, () => live, memo).matches.map((o) => o.metadata?.name),
    ['one'],
  );
  assert.equal(memo.size, 2);
  // Prove reuse: a forged verdict for an unchanged resourceVersion is taken as is.
  const twoKey = [...memo.keys()].find((k) => k.endsWith('|two'));
  assert.ok(twoKey);
  memo.set(twoKey, { rv: '1', match: true });
  assert.deepEqual(
    evaluateEventSource(c, () => live, memo).matches.map((o) => o.metadata?.name),
    ['one', 'two'],
  );
  // A new resourceVersion is evaluated again; a vanished object leaves the memo.
  assert.deepEqual(evaluateEventSource(c, () => [v(objs[1], '2')], memo).matches, []);
  assert.equal(memo.size, 1);
  c.dispose();
});
