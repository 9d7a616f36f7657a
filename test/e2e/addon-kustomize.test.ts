// kustomizationRefs end to end (Sveltos docs example "Kustomize with ConfigMaps",
// addons__kustomize__12.yaml): a ConfigMap holding the tar.gz of a kustomize tree (base +
// overlays/production), deployed to the matching cluster only, updated when the archive or the
// profile's post-render patches change, drift corrected, and withdrawn with the profile.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { writeTarGz } from '../../src/helm/chart/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { CP, CS, FLEET_NS, type Fleet, getOrUndefined, startFleet, until } from './addon-harness.js';

// The fixtures stay in test/fixtures (not copied to dist/): from dist/test/e2e go up one more.
const TREE = new URL(
  import.meta.url.includes('/dist/')
    ? '../../../test/fixtures/kustomize/overlays/'
    : '../fixtures/kustomize/overlays/',
  import.meta.url,
).pathname;

function archive(edit: (path: string, text: string) => string = (_p, t) => t): string {
  const entries: { name: string; data: Uint8Array }[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!e.startsWith('expected')) {
        const name = `./${relative(TREE, p)}`;
        entries.push({ name, data: new TextEncoder().encode(edit(name, readFileSync(p, 'utf8'))) });
      }
    }
  };
  walk(TREE);
  return Buffer.from(writeTarGz(entries)).toString('base64');
}

let fleet: Fleet;
const SUMMARY = 'kustomize-with-configmap-sveltos-c1';
const DEPLOY = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'production', name: 'api-prod' };
const CM = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'production' };
const RS = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'ResourceSummary',
  namespace: 'projectsveltos',
};

before(async () => {
  fleet = await startFleet(['c1', 'c2']);
  await fleet.register('c1', { env: 'fv' });
  await fleet.register('c2', { env: 'other' });
  fleet.startControllers();
});

after(async () => {
  await fleet?.close();
});

async function kustomizeFeature(
  summary = SUMMARY,
): Promise<{ status?: string; failureMessage?: string } | undefined> {
  const cs = await getOrUndefined(fleet.mgmt, { ...CS, namespace: FLEET_NS, name: summary });
  return (
    cs?.status as { featureSummaries?: { featureID: string; status?: string; failureMessage?: string }[] }
  )?.featureSummaries?.find((f) => f.featureID === 'Kustomize');
}

test('a ConfigMap kustomize tree is deployed, updated, kept free of drift and withdrawn', async () => {
  const { mgmt } = fleet;
  const c1 = await fleet.client('c1');
  const c2 = await fleet.client('c2');
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kustomize', namespace: 'default' },
    binaryData: { 'kustomize.tar.gz': archive() },
  });
  await mgmt.create({
    ...CP,
    metadata: { name: 'kustomize-with-configmap' },
    spec: {
      clusterSelector: { matchLabels: { env: 'fv' } },
      syncMode: 'ContinuousWithDriftDetection',
      kustomizationRefs: [
        {
          namespace: 'default',
          name: 'kustomize',
          kind: 'ConfigMap',
          path: './overlays/production/',
          targetNamespace: 'production',
        },
      ],
    },
  });

  // Deployed as kustomize builds it (hash-named ConfigMap referenced by the Deployment).
  const dep = await until('Deployment api-prod in c1', () => getOrUndefined(c1, DEPLOY));
  assert.equal(dep.metadata?.labels?.['projectsveltos.io/reason'], 'Kustomize');
  assert.equal(dep.metadata?.annotations?.['projectsveltos.io/owner-name'], 'kustomize-with-configmap');
  assert.equal(dep.metadata?.annotations?.['projectsveltos.io/reference-kind'], 'ConfigMap');
  const spec = dep.spec as { replicas: number; template: { spec: { containers: KubeObject[] } } };
  assert.equal(spec.replicas, 4);
  assert.deepEqual(
    spec.template.spec.containers.map((c) => c.image),
    ['example/api:1.0', 'example/proxy:2.1'],
  );
  assert.ok(await getOrUndefined(c1, { ...CM, name: 'app-config-prod-7h5mdc95c8' }));
  await until('Kustomize Provisioned', async () => (await kustomizeFeature())?.status === 'Provisioned');
  assert.equal(await getOrUndefined(c2, DEPLOY), undefined, 'c2 does not match');
  const cc = await mgmt.get({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterConfiguration',
    namespace: FLEET_NS,
    name: 'sveltos--c1',
  });
  const features = (
    cc.status as {
      clusterProfileResources: { Features: { featureID: string; resources: { kind: string }[] }[] }[];
    }
  ).clusterProfileResources[0]?.Features;
  assert.deepEqual(
    features
      ?.find((f) => f.featureID === 'Kustomize')
      ?.resources.map((r) => r.kind)
      .sort(),
    ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Service'],
  );
  const rs = await until('ResourceSummary kustomizeResources', async () => {
    const o = await getOrUndefined(c1, { ...RS, name: SUMMARY });
    return (
      ((o?.spec as { kustomizeResources?: unknown[] } | undefined)?.kustomizeResources ?? []).length === 4 &&
      o
    );
  });
  assert.ok(rs);

  // Update: the archive changes (new generator data -> new hash name, old ConfigMap removed) and
  // a profile post-render patch is added.
  const cmObj = await mgmt.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'kustomize',
  });
  await mgmt.update({
    ...cmObj,
    binaryData: {
      'kustomize.tar.gz': archive((p, t) =>
        p.endsWith('production/kustomization.yaml') ? t.replace('MODE=production', 'MODE=canary') : t,
      ),
    },
  });
  const cp = await mgmt.get({ ...CP, name: 'kustomize-with-configmap' });
  await mgmt.update({
    ...cp,
    spec: {
      ...(cp.spec as object),
      patches: [
        {
          target: { kind: 'Deployment', name: 'api-.*' },
          patch: 'metadata:\n  labels:\n    cluster: "{{ .Cluster.metadata.name }}"\n',
        },
      ],
    },
  });
  const updated = await until('Deployment patched and pointing at the new ConfigMap', async () => {
    const d = await getOrUndefined(c1, DEPLOY);
    const env = JSON.stringify(d?.spec);
    return d?.metadata?.labels?.cluster === 'c1' && !env.includes('app-config-prod-7h5mdc95c8') && d;
  });
  const newName = /"name":"(app-config-prod-[a-z0-9]+)"/.exec(JSON.stringify(updated.spec))?.[1];
  assert.ok(newName);
  const newCm = await until('new ConfigMap', () => getOrUndefined(c1, { ...CM, name: newName }));
  assert.equal((newCm as { data?: Record<string, string> }).data?.MODE, 'canary');
  await until(
    'old ConfigMap removed',
    async () => (await getOrUndefined(c1, { ...CM, name: 'app-config-prod-7h5mdc95c8' })) === undefined,
  );

  // Drift: someone scales the Deployment; the agent reports it; the feature re-applies.
  await until(
    'Kustomize Provisioned after the update',
    async () => (await kustomizeFeature())?.status === 'Provisioned',
  );
  await c1.patch(DEPLOY, { spec: { replicas: 1 } }, 'merge');
  await c1.patch({ ...RS, name: SUMMARY }, { status: { kustomizeResourcesChanged: true } }, 'merge', {
    subresource: 'status',
  });
  await until('drift corrected', async () => {
    const d = await getOrUndefined(c1, DEPLOY);
    const o = await getOrUndefined(c1, { ...RS, name: SUMMARY });
    return (
      (d?.spec as { replicas?: number } | undefined)?.replicas === 4 &&
      (o?.status as { kustomizeResourcesChanged?: boolean } | undefined)?.kustomizeResourcesChanged === false
    );
  });

  // Withdrawal.
  await mgmt.delete({ ...CP, name: 'kustomize-with-configmap' });
  await until(
    'objects removed from c1',
    async () =>
      (await getOrUndefined(c1, DEPLOY)) === undefined &&
      (await getOrUndefined(c1, { ...CM, name: newName })) === undefined &&
      (await getOrUndefined(c1, {
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'production',
        name: 'api-prod',
      })) === undefined,
  );
});

test('a kustomization error is reported on the feature and deploys nothing', async () => {
  const { mgmt } = fleet;
  const c1 = await fleet.client('c1');
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'broken', namespace: 'default' },
    binaryData: {
      'kustomize.tar.gz': Buffer.from(
        writeTarGz([
          { name: 'kustomization.yaml', data: new TextEncoder().encode('resources: []\nnamePrefx: x-\n') },
        ]),
      ).toString('base64'),
    },
  });
  await mgmt.create({
    ...CP,
    metadata: { name: 'broken' },
    spec: {
      clusterSelector: { matchLabels: { env: 'fv' } },
      kustomizationRefs: [{ namespace: 'default', name: 'broken', kind: 'ConfigMap' }],
    },
  });
  const f = await until('Kustomize Failed', async () => {
    const k = await kustomizeFeature('broken-sveltos-c1');
    return k?.status === 'Failed' && k;
  });
  assert.match(f.failureMessage ?? '', /kustomization\.yaml: unknown field "namePrefx"/);
  const cms = await c1.list(
    { apiVersion: 'v1', kind: 'ConfigMap' },
    { labelSelector: 'projectsveltos.io/reason=Kustomize' },
  );
  assert.equal(cms.items.length, 0);
});

/** Serves tar.gz archives over HTTP on a free port (a remote URL / a Flux artifact server). */
async function serveArchives(
  files: Record<string, Uint8Array>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    if (req.url?.startsWith('/private') && req.headers.authorization !== 'Bearer s3cret') {
      res.writeHead(401).end();
      return;
    }
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip' }).end(Buffer.from(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const plainTree = (name: string) =>
  writeTarGz([
    {
      name: 'app/cm.yaml',
      data: new TextEncoder().encode(
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`,
      ),
    },
  ]);

test('remoteURL (with a token secretRef) and Flux GitRepository artifacts are fetched; a missing Flux source is "source not ready"', async () => {
  const { mgmt } = fleet;
  const c1 = await fleet.client('c1');
  const http = await serveArchives({
    '/private.tar.gz': plainTree('from-private'),
    '/remote.tar.gz': plainTree('from-remote'),
    '/flux.tar.gz': plainTree('from-flux'),
  });
  try {
    // A Flux GitRepository as source-controller leaves it (the CRD stands in for Flux here).
    await mgmt.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gitrepositories.source.toolkit.fluxcd.io' },
      spec: {
        group: 'source.toolkit.fluxcd.io',
        names: {
          kind: 'GitRepository',
          plural: 'gitrepositories',
          singular: 'gitrepository',
          listKind: 'GitRepositoryList',
        },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    const gr = await until('GitRepository kind served', async () => {
      try {
        return await mgmt.create({
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'flux2', namespace: 'default' },
          spec: { url: 'https://github.com/gianlucam76/kustomize', interval: '1m' },
        });
      } catch {
        return undefined;
      }
    });
    await mgmt.updateStatus({
      ...gr,
      status: {
        artifact: { url: `${http.url}/flux.tar.gz`, revision: 'main@sha1:abc', digest: 'sha256:abc' },
      },
    });
    await mgmt.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'repo-token', namespace: 'default' },
      data: { token: Buffer.from('s3cret').toString('base64') },
    });
    await mgmt.create({
      ...CP,
      metadata: { name: 'remote-sources' },
      spec: {
        clusterSelector: { matchLabels: { env: 'fv' } },
        kustomizationRefs: [
          { remoteURL: { url: `${http.url}/remote.tar.gz` }, path: 'app', targetNamespace: 'remote' },
          {
            kind: 'GitRepository',
            namespace: 'default',
            name: 'flux2',
            path: './app/',
            targetNamespace: 'flux',
          },
          {
            remoteURL: {
              url: `${http.url}/private.tar.gz`,
              secretRef: { namespace: 'default', name: 'repo-token' },
            },
            path: 'app',
            targetNamespace: 'private',
          },
        ],
      },
    });
    await until('remoteURL content deployed', () =>
      getOrUndefined(c1, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'remote', name: 'from-remote' }),
    );
    const flux = await until('Flux artifact content deployed', () =>
      getOrUndefined(c1, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'flux', name: 'from-flux' }),
    );
    assert.equal(flux.metadata?.annotations?.['projectsveltos.io/reference-kind'], 'GitRepository');
    await until('content behind a token deployed', () =>
      getOrUndefined(c1, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'private', name: 'from-private' }),
    );

    await mgmt.create({
      ...CP,
      metadata: { name: 'no-flux-source' },
      spec: {
        clusterSelector: { matchLabels: { env: 'fv' } },
        kustomizationRefs: [{ kind: 'OCIRepository', namespace: 'default', name: 'absent' }],
      },
    });
    const f = await until('Kustomize Failed: source not ready', async () => {
      const k = await kustomizeFeature('no-flux-source-sveltos-c1');
      return k?.status === 'Failed' && k;
    });
    assert.match(f.failureMessage ?? '', /OCIRepository default\/absent: source not ready/);
  } finally {
    await http.close();
  }
});

test('DryRun lists what the kustomization would do in kustomizeResourceReports and deploys nothing', async () => {
  const { mgmt } = fleet;
  const c1 = await fleet.client('c1');
  await mgmt.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'dry', namespace: 'default' },
    binaryData: {
      'kustomize.tar.gz': Buffer.from(
        writeTarGz([
          {
            name: 'cm.yaml',
            data: new TextEncoder().encode(
              'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: would-be\n  namespace: dry\n',
            ),
          },
        ]),
      ).toString('base64'),
    },
  });
  await mgmt.create({
    ...CP,
    metadata: { name: 'dry' },
    spec: {
      clusterSelector: { matchLabels: { env: 'fv' } },
      syncMode: 'DryRun',
      kustomizationRefs: [{ namespace: 'default', name: 'dry', kind: 'ConfigMap' }],
    },
  });
  const report = await until('ClusterReport kustomizeResourceReports', async () => {
    const r = await getOrUndefined(mgmt, {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterReport',
      namespace: FLEET_NS,
      name: 'dry--sveltos--c1',
    });
    const k = (r?.status as { kustomizeResourceReports?: unknown[] } | undefined)?.kustomizeResourceReports;
    return k && k.length > 0 && k;
  });
  assert.deepEqual(report, [
    {
      resource: {
        name: 'would-be',
        namespace: 'dry',
        group: '',
        kind: 'ConfigMap',
        version: 'v1',
        ignoreForConfigurationDrift: false,
      },
      action: 'Create',
    },
  ]);
  assert.equal(
    await getOrUndefined(c1, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'dry', name: 'would-be' }),
    undefined,
  );
});
