import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../kube/index.js';
import { Cache } from '../../runtime/index.js';
import { referenceIndexValues, resolvePolicyRefs, resolveTemplateRefs } from './sources.js';

const cluster: KubeObject = { metadata: { name: 'c1', namespace: 'fleet', labels: { env: 'prod' } } };

function caches(objs: KubeObject[]) {
  const configMaps = new Cache();
  const secrets = new Cache();
  for (const o of objs) (o.kind === 'Secret' ? secrets : configMaps).upsert(o);
  return { configMaps, secrets };
}

test('policyRefs: namespace defaults to the cluster namespace, names are templated, Secret type enforced', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const c = caches([
    { kind: 'ConfigMap', metadata: { name: 'cfg-c1', namespace: 'fleet' }, data: { b: 'B', a: 'A' } },
    {
      kind: 'Secret',
      metadata: { name: 'good', namespace: 'default' },
      type: 'addons.projectsveltos.io/cluster-profile',
      data: { k: b64('secret text') },
    },
    {
      kind: 'Secret',
      metadata: { name: 'opaque', namespace: 'default' },
      type: 'Opaque',
      data: { k: b64('x') },
    },
  ]);
  const r = resolvePolicyRefs(
    [
      { kind: 'ConfigMap', name: 'cfg-{{ .Cluster.metadata.name }}' },
      { kind: 'Secret', name: 'good', namespace: 'default' },
      { kind: 'Secret', name: 'opaque', namespace: 'default' },
      { kind: 'ConfigMap', name: 'missing', namespace: 'default', optional: true },
      { kind: 'ConfigMap', name: 'absent', namespace: 'default' },
    ],
    cluster,
    c,
  );
  assert.deepEqual(
    r.sources.map((s) => [s.kind, s.namespace, s.name, s.content.data]),
    [
      [
        'ConfigMap',
        'fleet',
        'cfg-c1',
        [
          ['a', 'A'],
          ['b', 'B'],
        ],
      ],
      ['Secret', 'default', 'good', [['k', 'secret text']]],
    ],
  );
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0]!, /Secret default\/opaque: unsupported secret type "Opaque"/);
  assert.match(
    r.errors[1]!,
    /ConfigMap default\/absent referenced by policyRefs not found in the management cluster/,
  );
});

test('templateResourceRefs: lookups with defaulted namespace, optional, ignoreStatusChanges', async () => {
  const store = new Map<string, KubeObject>([
    [
      'v1|Secret|fleet|pg',
      {
        metadata: { name: 'pg', namespace: 'fleet', resourceVersion: '7' },
        data: { p: 'x' },
        status: { s: 1 },
      },
    ],
  ]);
  const lookup = {
    namespaced: async (_av: string, kind: string) => (kind === 'Nope' ? undefined : true),
    get: async (av: string, kind: string, ns: string, name: string) =>
      store.get(`${av}|${kind}|${ns}|${name}`),
  };
  const r = await resolveTemplateRefs(
    [
      {
        identifier: 'Creds',
        resource: { apiVersion: 'v1', kind: 'Secret', name: 'pg' },
        ignoreStatusChanges: true,
      },
      { identifier: 'Opt', resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'none' }, optional: true },
      { identifier: 'Req', resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'none' } },
      { identifier: 'Kind', resource: { apiVersion: 'x/v1', kind: 'Nope', name: 'n' } },
    ],
    cluster,
    lookup,
  );
  assert.deepEqual(r.resources, {
    Creds: { metadata: { name: 'pg', namespace: 'fleet' }, data: { p: 'x' } },
  });
  assert.equal(r.errors.length, 2);
  assert.match(r.errors[0]!, /templateResourceRefs Req: ConfigMap fleet\/none not found/);
  assert.match(r.errors[1]!, /kind x\/v1 Nope is not served/);
});

test('reference index values: concrete keys, "*" for templated names', () => {
  assert.deepEqual(
    referenceIndexValues(
      {
        policyRefs: [
          { kind: 'ConfigMap', name: 'a' },
          { kind: 'Secret', name: 'b-{{ .ClusterName }}', namespace: 'x' },
        ],
        templateResourceRefs: [
          { identifier: 'i', resource: { kind: 'ConfigMap', name: 'lb', namespace: 'y' } },
        ],
      },
      'fleet',
    ).sort(),
    ['*', 'ConfigMap/fleet/a', 'ConfigMap/y/lb'],
  );
});

test('a Profile may only reference objects of its own namespace', () => {
  const c = caches([{ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'other' }, data: {} }]);
  const r = resolvePolicyRefs([{ kind: 'ConfigMap', name: 'x', namespace: 'other' }], cluster, c, 'fleet');
  assert.equal(r.sources.length, 0);
  assert.match(
    r.errors[0]!,
    /a Profile can only reference objects of its own namespace fleet: leave the reference namespace empty/,
  );
});
