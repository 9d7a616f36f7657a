import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../kube/index.js';
import { Cache } from '../../runtime/index.js';
import { applyProfilePatches, resolveProfilePatches } from './patches-post-render.js';

const cluster: KubeObject = { metadata: { name: 'c1', namespace: 'fleet', labels: { region: 'west' } } };

function caches(objs: KubeObject[]) {
  const configMaps = new Cache();
  const secrets = new Cache();
  for (const o of objs) (o.kind === 'Secret' ? secrets : configMaps).upsert(o);
  return { configMaps, secrets };
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps' },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'busybox' },
        ],
      },
    },
  },
};

test('patches and patchesFrom are rendered with the management data and applied with merge keys', () => {
  const c = caches([
    {
      kind: 'ConfigMap',
      metadata: { name: 'more-patches', namespace: 'fleet' },
      data: {
        env: 'patch: |\n  spec:\n    template:\n      spec:\n        containers:\n        - name: web\n          env:\n          - name: REGION\n            value: {{ index .Cluster.metadata.labels "region" }}\ntarget:\n  kind: Deployment\n',
      },
    },
  ]);
  const r = resolveProfilePatches(
    {
      patches: [
        {
          patch: '- op: add\n  path: /metadata/labels\n  value: {cluster: "{{ .Cluster.metadata.name }}"}\n',
          target: { kind: 'Deployment', name: 'w.b' },
        },
      ],
      patchesFrom: [{ kind: 'ConfigMap', name: 'more-patches' }],
    },
    cluster,
    c,
    undefined,
    { Cluster: cluster as Record<string, unknown>, MgmtResources: {} },
  );
  assert.deepEqual(r.errors, []);
  const [out] = applyProfilePatches([deployment], r.patches) as (typeof deployment & {
    metadata: { labels: Record<string, string> };
  })[];
  assert.deepEqual(out?.metadata.labels, { cluster: 'c1' });
  assert.deepEqual(out?.spec.template.spec.containers, [
    {
      name: 'web',
      image: 'nginx:1',
      env: [
        { name: 'REGION', value: 'west' },
        { name: 'A', value: '1' },
      ],
    },
    { name: 'side', image: 'busybox' },
  ]);
  assert.equal(deployment.spec.template.spec.containers[0]?.env?.length, 1, 'input untouched');
});

test('a patch that fails to render or read is an error, not silently dropped', () => {
  const r = resolveProfilePatches(
    {
      patches: [{ patch: 'metadata:\n  labels:\n    x: "{{ .Nope.field }}"\n' }],
      patchesFrom: [{ kind: 'ConfigMap', name: 'absent', namespace: 'default' }],
    },
    cluster,
    caches([]),
    undefined,
    { Cluster: cluster as Record<string, unknown>, MgmtResources: {} },
  );
  assert.equal(r.patches.length, 0);
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0] ?? '', /^patches\[0\]: /);
  assert.match(r.errors[1] ?? '', /ConfigMap default\/absent referenced by patchesFrom not found/);
});
