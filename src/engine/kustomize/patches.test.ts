import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PatchSchemaProvider } from '../patch/index.js';
import { applyPatchesToObjects, KustomizeError } from './index.js';

/** Patch metadata of a Deployment's containers, as the Kubernetes swagger has it (tests). */
const swaggerLike: PatchSchemaProvider = {
  forKind: (group, _version, kind) => {
    if (group !== 'apps' || kind !== 'Deployment') return undefined;
    const container = { properties: {} };
    return {
      properties: {
        spec: {
          properties: {
            template: {
              properties: {
                spec: {
                  properties: {
                    containers: { items: container, patchStrategy: 'merge', patchMergeKey: 'name' },
                  },
                },
              },
            },
          },
        },
      },
    };
  },
};

const deploy = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ns', labels },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'a:1' },
          { name: 'side', image: 's:1' },
        ],
      },
    },
  },
});

test('post-render SMP with a target merges containers by name on every selected object', () => {
  const out = applyPatchesToObjects(
    [
      deploy('web', { tier: 'front' }),
      deploy('db'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } },
    ],
    [
      {
        text: 'spec:\n  template:\n    spec:\n      containers:\n      - name: side\n        image: s:2\n',
        target: { kind: 'Deployment', labelSelector: 'tier=front' },
        where: 'patches[0]',
      },
    ],
    swaggerLike,
  );
  const containers = (o: Record<string, unknown>) =>
    (
      o as { spec: { template: { spec: { containers: { image: string }[] } } } }
    ).spec.template.spec.containers.map((c) => c.image);
  assert.deepEqual(containers(out[0] as Record<string, unknown>), ['a:1', 's:2']);
  assert.deepEqual(containers(out[1] as Record<string, unknown>), ['a:1', 's:1']);
});

test('post-render JSON6902 patch with a name regular expression; SMP identified by its own name', () => {
  const out = applyPatchesToObjects(
    [deploy('web-1'), deploy('web-2'), deploy('api')],
    [
      {
        text: '- op: add\n  path: /metadata/labels/patched\n  value: "yes"\n',
        target: { name: 'web-.*' },
        where: 'p0',
      },
      {
        text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  annotations:\n    a: b\n',
        where: 'p1',
      },
    ],
    swaggerLike,
  );
  assert.deepEqual(
    out.map((o) => (o.metadata as { labels: Record<string, string> }).labels.patched ?? '-'),
    ['yes', 'yes', '-'],
  );
  assert.deepEqual((out[2] as { metadata: { annotations?: unknown } }).metadata.annotations, { a: 'b' });
});

test('a JSON6902 patch that cannot apply names the patch and the object', () => {
  assert.throws(
    () =>
      applyPatchesToObjects(
        [deploy('web')],
        [
          {
            text: '- op: replace\n  path: /spec/nothing/here\n  value: 1\n',
            target: { kind: 'Deployment' },
            where: 'patchesFrom ConfigMap ns/p key x',
          },
        ],
        swaggerLike,
      ),
    (e: unknown) =>
      e instanceof KustomizeError &&
      /patchesFrom ConfigMap ns\/p key x: JSON6902 patch of Deployment ns\/web failed/.test(e.message),
  );
});
