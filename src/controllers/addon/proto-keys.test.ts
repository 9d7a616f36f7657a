import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../kube/index.js';
import { resolveTemplateRefs } from './sources.js';

// watchFields paths and ConfigMap keys named like Object.prototype members are ordinary keys.
test('templateResourceRefs watchFields copy __proto__ keys and skip absent constructor fields', async () => {
  const cm = JSON.parse(
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"fleet"},"data":{"__proto__":"p","a":"1"}}',
  ) as KubeObject;
  const lookup = {
    namespaced: async () => true,
    get: async (_av: string, _k: string, _ns: string, name: string) => (name === 'cm' ? cm : undefined),
  };
  const r = await resolveTemplateRefs(
    [
      {
        identifier: 'Cfg',
        resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm' },
        watchFields: ['data.__proto__', 'metadata.constructor', 'data.toString'],
      },
    ],
    { metadata: { name: 'c1', namespace: 'fleet' } },
    lookup,
  );
  assert.deepEqual(r.errors, []);
  assert.equal(JSON.stringify(r.resources.Cfg), '{"data":{"__proto__":"p"}}');
});
