import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterTypeLabelValues, EventLabels } from './labels.js';
import { keyOfGenerated } from './report-controller.js';

describe('generated objects → report key', () => {
  const labels = (type: string) => ({
    metadata: {
      name: 'sveltos-x',
      labels: {
        [EventLabels.eventSourceName]: 'detect-cluster-requiring-postgres',
        [EventLabels.clusterNamespace]: 'mgmt',
        [EventLabels.clusterName]: 'mgmt',
        [EventLabels.clusterType]: type,
      },
    },
  });

  it('reads the upstream cluster type (Sveltos, Capi) and the lower-case one flotilla wrote before', () => {
    const sveltos = 'mgmt/sveltos--detect-cluster-requiring-postgres--mgmt';
    assert.deepEqual(keyOfGenerated(labels('Sveltos')), [sveltos]);
    assert.deepEqual(keyOfGenerated(labels('sveltos')), [sveltos]);
    assert.deepEqual(keyOfGenerated(labels('Capi')), ['mgmt/capi--detect-cluster-requiring-postgres--mgmt']);
    assert.deepEqual(keyOfGenerated(labels('capi')), ['mgmt/capi--detect-cluster-requiring-postgres--mgmt']);
  });

  it('looks generated objects up by both label values', () => {
    assert.deepEqual(clusterTypeLabelValues('Sveltos'), ['Sveltos', 'sveltos']);
  });
});
