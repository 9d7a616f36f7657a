import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHarness } from './apiserver-helpers.js';

const JSON_CT = { 'content-type': 'application/json' };

test('a restart with a state directory keeps objects, CRDs, tokens and the CA', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-state-'));
  try {
    let h = await startHarness(['p1', 'p2'], { stateDir: dir, memory: false });
    const kubeconfig = readFileSync(h.server.kubeconfigPath('p1'), 'utf8');
    const r = await h.http(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: 'kept' }, data: { a: '1' } }),
      JSON_CT,
    );
    assert.equal(r.status, 201);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    };
    const c = await h.http(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      JSON.stringify(crd),
      JSON_CT,
    );
    assert.equal(c.status, 201, c.body);
    const w = await h.http(
      'POST',
      '/apis/example.com/v1/namespaces/default/widgets',
      JSON.stringify({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 3 },
      }),
      JSON_CT,
    );
    assert.equal(w.status, 201, w.body);
    const rvBefore = Number(JSON.parse(w.body).metadata.resourceVersion);
    await h.close();

    h = await startHarness(['p1', 'p2'], { stateDir: dir, memory: false });
    assert.equal(
      readFileSync(h.server.kubeconfigPath('p1'), 'utf8').replace(/:\d+\/clusters/, ''),
      kubeconfig.replace(/:\d+\/clusters/, ''),
    );
    const got = await h.http('GET', '/api/v1/namespaces/default/configmaps/kept');
    assert.equal(got.status, 200);
    assert.equal(JSON.parse(got.body).data.a, '1');
    const widget = await h.http('GET', '/apis/example.com/v1/namespaces/default/widgets/w');
    assert.equal(widget.status, 200, widget.body);
    assert.equal(JSON.parse(widget.body).spec.size, 3);
    const next = await h.http(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      JSON.stringify({ metadata: { name: 'after' } }),
      JSON_CT,
    );
    assert.ok(
      Number(JSON.parse(next.body).metadata.resourceVersion) > rvBefore,
      'resourceVersions keep increasing',
    );
    const k = await h.kubectl(['get', 'cm', 'kept', '-o', 'name']);
    assert.equal(k.stdout.trim(), 'configmap/kept', k.stderr);
    await h.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('clusters can be added and removed at runtime', async () => {
  const h = await startHarness(['base']);
  try {
    await h.server.addCluster('extra');
    assert.ok(h.server.clusters().includes('extra'));
    assert.match(h.server.kubeconfig('extra'), new RegExp(`token: ${h.server.token('extra')}`));
    assert.match(h.server.caPem, /^-----BEGIN CERTIFICATE-----/);
    assert.match(
      readFileSync(h.server.kubeconfigPath('extra'), 'utf8'),
      /server: https:\/\/127\.0\.0\.1:\d+\/clusters\/extra/,
    );
    await h.server.removeCluster('extra');
    assert.ok(!h.server.clusters().includes('extra'));
    await assert.rejects(h.server.addCluster('Bad_Name'), /invalid cluster name/);
  } finally {
    await h.close();
  }
});

test('removing a cluster ends its watches and its paths answer 404', async () => {
  const h = await startHarness(['gone', 'stays']);
  try {
    const watch = h.http('GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0');
    await new Promise((r) => setTimeout(r, 100));
    await h.server.removeCluster('gone');
    const r = await watch;
    assert.equal(r.status, 200);
    const after = await h.http('GET', '/api/v1/namespaces');
    assert.equal(after.status, 404);
    assert.match(JSON.parse(after.body).message, /cluster "gone" not found/);
  } finally {
    await h.close();
  }
});

test('deletions pending at shutdown finish after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-state-'));
  try {
    let h = await startHarness(['r'], { stateDir: dir, memory: false });
    await h.http('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'ending' } }), JSON_CT);
    await h.http(
      'POST',
      '/api/v1/namespaces/ending/configmaps',
      JSON.stringify({ metadata: { name: 'held', finalizers: ['example.com/x'] } }),
      JSON_CT,
    );
    await h.http('DELETE', '/api/v1/namespaces/ending');
    await new Promise((r) => setTimeout(r, 50));
    await h.close();
    h = await startHarness(['r'], { stateDir: dir, memory: false });
    const ns = JSON.parse((await h.http('GET', '/api/v1/namespaces/ending')).body);
    assert.equal(ns.status.phase, 'Terminating');
    await h.http(
      'PATCH',
      '/api/v1/namespaces/ending/configmaps/held',
      JSON.stringify({ metadata: { finalizers: null } }),
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    for (let i = 0; i < 100 && (await h.http('GET', '/api/v1/namespaces/ending')).status !== 404; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal((await h.http('GET', '/api/v1/namespaces/ending')).status, 404);
    await h.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
