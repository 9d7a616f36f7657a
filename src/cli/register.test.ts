import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { ClusterSummary } from '../api/index.js';
import { dependencyOrder } from './redeploy.js';
import { checkName, extractContext, parseLabelList } from './register.js';

test('labels: k=v,k2=v2; a part without = is a usage error', () => {
  assert.deepEqual(parseLabelList('env=prod, team=a=b'), { env: 'prod', team: 'a=b' });
  assert.deepEqual(parseLabelList(undefined), {});
  assert.throws(() => parseLabelList('env'), /"env" is not key=value/);
});

test('names: required and DNS-1123', () => {
  assert.equal(checkName('c-1', '--cluster'), 'c-1');
  assert.throws(() => checkName(undefined, '--cluster'), /--cluster is required/);
  assert.throws(() => checkName('C_1', '--namespace'), /not a valid name/);
});

test('fleet-cluster-context: keeps only that context, its cluster and user', () => {
  const text = `apiVersion: v1
kind: Config
clusters: [{name: a, cluster: {server: https://a}}, {name: b, cluster: {server: https://b}}]
users: [{name: ua, user: {token: x}}, {name: ub, user: {token: y}}]
contexts: [{name: ca, context: {cluster: a, user: ua}}, {name: cb, context: {cluster: b, user: ub}}]
current-context: ca
`;
  const out = parse(extractContext(text, 'cb', 'kc'));
  assert.equal(out['current-context'], 'cb');
  assert.deepEqual(out.clusters, [{ name: 'b', cluster: { server: 'https://b' } }]);
  assert.deepEqual(out.users, [{ name: 'ub', user: { token: 'y' } }]);
  assert.throws(() => extractContext(text, 'zz', 'kc'), /kc has no such context \(it has ca, cb\)/);
});

test('redeploy order: prerequisites first, cycles cut', () => {
  const s = (name: string, dependsOn: string[] = []) =>
    ({
      metadata: { name: `${name}-sveltos-c1`, labels: { 'projectsveltos.io/cluster-profile-name': name } },
      spec: {
        clusterNamespace: 'ns',
        clusterName: 'c1',
        clusterType: 'Sveltos',
        clusterProfileSpec: { dependsOn },
      },
    }) as ClusterSummary;
  const order = dependencyOrder([
    s('app', ['db']),
    s('db', ['crds']),
    s('crds'),
    s('x', ['y']),
    s('y', ['x']),
  ]);
  assert.deepEqual(
    order.map((o) => o.metadata?.labels?.['projectsveltos.io/cluster-profile-name']),
    ['crds', 'db', 'app', 'y', 'x'],
  );
});
