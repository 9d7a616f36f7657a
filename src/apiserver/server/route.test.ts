import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinTypes, ClusterTypes } from '../registry/types.js';
import { type Route, route } from './route.js';

const types = new ClusterTypes(new BuiltinTypes({}));

function summary(r: Route): string {
  if (r.t !== 'resource') return r.t === 'static' ? `static:${r.name}` : r.t;
  return [
    r.rt.group || 'core',
    r.rt.plural,
    r.namespace ?? '-',
    r.name ?? '-',
    r.subresource ?? '-',
    r.watchPath ? 'watch' : '',
  ]
    .join(' ')
    .trim();
}

test('routes resource paths, namespaces, subresources and legacy watch paths', () => {
  assert.equal(summary(route('/api/v1/namespaces', types)), 'core namespaces - - -');
  assert.equal(summary(route('/api/v1/namespaces/default', types)), 'core namespaces - default -');
  assert.equal(
    summary(route('/api/v1/namespaces/default/status', types)),
    'core namespaces - default status',
  );
  assert.equal(summary(route('/api/v1/namespaces/default/configmaps', types)), 'core configmaps default - -');
  assert.equal(
    summary(route('/api/v1/namespaces/default/configmaps/x', types)),
    'core configmaps default x -',
  );
  assert.equal(summary(route('/api/v1/pods', types)), 'core pods - - -');
  assert.equal(
    summary(route('/apis/apps/v1/namespaces/a/deployments/d/scale', types)),
    'apps deployments a d scale',
  );
  assert.equal(
    summary(route('/api/v1/watch/namespaces/a/configmaps/x', types)),
    'core configmaps a x - watch',
  );
  assert.equal(
    summary(route('/apis/rbac.authorization.k8s.io/v1/clusterroles/admin', types)),
    'rbac.authorization.k8s.io clusterroles - admin -',
  );
});

test('discovery and static paths; unknown things are not found', () => {
  assert.equal(summary(route('/api', types)), 'static:api');
  assert.equal(summary(route('/apis/', types)), 'static:apis');
  assert.equal(summary(route('/version', types)), 'static:version');
  assert.equal(route('/apis/apps', types).t, 'group');
  assert.equal(route('/apis/apps/v1', types).t, 'gv');
  assert.equal(route('/openapi/v3/apis/apps/v1', types).t, 'openapiv3gv');
  for (const p of [
    '/',
    '/api/v2',
    '/api/v1/nothings',
    '/api/v1/namespaces/a/configmaps/x/y/z',
    '/x',
    '/api/v1/%E0%A4%A',
  ])
    assert.equal(route(p, types).t, 'notfound', p);
});
