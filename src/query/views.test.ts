import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterConfiguration, ClusterReport, ClusterSummary, HealthCheckReport } from '../api/index.js';
import { addonRows } from './addons.js';
import { dryRunRows } from './dryrun.js';
import { parseProfileRef } from './filters.js';
import { resourceRows } from './resources.js';
import { usageRows } from './usage.js';

const cc: ClusterConfiguration = {
  metadata: { name: 'sveltos--c1', namespace: 'ns', labels: { 'projectsveltos.io/cluster-name': 'c1' } },
  status: {
    clusterProfileResources: [
      {
        clusterProfileName: 'a',
        Features: [
          {
            featureID: 'Helm',
            charts: [
              {
                repoURL: 'r',
                releaseName: 'kyverno',
                namespace: 'kyverno',
                chartVersion: '3.3.3',
                lastAppliedTime: 't1',
              },
            ],
          },
          {
            featureID: 'Resources',
            resources: [
              {
                group: '',
                version: 'v1',
                kind: 'Secret',
                namespace: 'default',
                name: 's',
                lastAppliedTime: 't2',
              },
            ],
          },
        ],
      },
      {
        clusterProfileName: 'b',
        Features: [
          {
            featureID: 'Resources',
            resources: [{ group: '', version: 'v1', kind: 'Secret', namespace: 'default', name: 's' }],
          },
        ],
      },
    ],
    profileResources: [
      {
        profileName: 'p',
        Features: [
          {
            featureID: 'Resources',
            resources: [
              {
                group: 'apps',
                version: 'v1',
                kind: 'Deployment',
                namespace: 'x',
                name: 'd',
                deploymentType: 'Local',
              },
            ],
          },
        ],
      },
    ],
  },
};

test('addons: rows per chart and resource, shared objects list every profile', () => {
  const rows = addonRows([cc]);
  assert.deepEqual(
    rows.map((r) => [
      r.cluster,
      r.resourceType,
      r.namespace,
      r.name,
      r.version,
      r.deploymentType,
      r.profiles.join(','),
    ]),
    [
      ['ns/c1', ':Secret', 'default', 's', 'N/A', 'Remote', 'ClusterProfile/a,ClusterProfile/b'],
      ['ns/c1', 'apps:Deployment', 'x', 'd', 'N/A', 'Local', 'Profile/ns/p'],
      ['ns/c1', 'helm chart', 'kyverno', 'kyverno', '3.3.3', 'Remote', 'ClusterProfile/a'],
    ],
  );
  assert.equal(addonRows([cc], { helmCharts: true }).length, 1);
  assert.equal(addonRows([cc], { profile: parseProfileRef('ClusterProfile/b') }).length, 1);
  assert.equal(addonRows([cc], { cluster: 'other' }).length, 0);
});

test('profile refs: kind/name or usage error', () => {
  assert.deepEqual(parseProfileRef('Profile/ns/x'), { kind: 'Profile', namespace: 'ns', name: 'x' });
  assert.throws(() => parseProfileRef('x'), /is not kind\/name/);
});

test('dryrun: releases and resource reports with their profile', () => {
  const r: ClusterReport = {
    metadata: { name: 'a--sveltos--c1', namespace: 'ns' },
    spec: { clusterNamespace: 'ns', clusterName: 'c1' },
    status: {
      releaseReports: [
        { chartName: 'kyverno', releaseNamespace: 'kyverno', chartVersion: '3', action: 'Install' },
      ],
      resourceReports: [
        {
          resource: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'd', name: 'm' },
          action: 'Update',
          message: 'diff',
        },
      ],
    },
  };
  assert.deepEqual(
    dryRunRows([r]).map((x) => [x.resourceType, x.name, x.action, x.profile]),
    [
      ['helm release', 'kyverno', 'Install', 'ClusterProfile/a'],
      [':ConfigMap', 'm', 'Update', 'ClusterProfile/a'],
    ],
  );
  assert.equal(dryRunRows([r], { profile: parseProfileRef('ClusterProfile/z') }).length, 0);
});

test('usage: profiles → matching clusters, ConfigMaps → clusters referencing them', () => {
  const s = {
    spec: {
      clusterNamespace: 'ns',
      clusterName: 'c1',
      clusterType: 'Sveltos',
      clusterProfileSpec: {
        policyRefs: [
          { kind: 'ConfigMap', name: 'cm' },
          { kind: 'Secret', namespace: 'x', name: 'sec' },
        ],
      },
    },
  } as ClusterSummary;
  const rows = usageRows(
    [
      {
        kind: 'ClusterProfile',
        metadata: { name: 'a' },
        status: { matchingClusters: [{ namespace: 'ns', name: 'c1' }] },
      },
    ],
    [s],
  );
  assert.deepEqual(
    rows.map((r) => [r.kind, r.namespace, r.name, r.clusters.join(',')]),
    [
      ['ClusterProfile', '', 'a', 'ns/c1'],
      ['ConfigMap', 'ns', 'cm', 'ns/c1'],
      ['Secret', 'x', 'sec', 'ns/c1'],
    ],
  );
  assert.equal(usageRows([], [s], { kind: 'Secret' }).length, 1);
});

test('resources: health statuses with GVK and message', () => {
  const h: HealthCheckReport = {
    spec: {
      clusterNamespace: 'ns',
      clusterName: 'c1',
      clusterType: 'Sveltos',
      healthCheckName: 'deps',
      resourceStatuses: [
        {
          objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'x', name: 'd' },
          healthStatus: 'Degraded',
          message: '0/1 ready',
        },
      ],
    },
  };
  const rows = resourceRows([h], []);
  assert.deepEqual(
    rows.map((r) => [r.cluster, r.gvk, r.message]),
    [['ns/c1', 'apps/v1, Kind=Deployment', 'Degraded: 0/1 ready']],
  );
  assert.equal(resourceRows([h], [], { kind: 'Pod' }).length, 0);
});
