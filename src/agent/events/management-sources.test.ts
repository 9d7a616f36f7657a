import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventTrigger, SveltosCluster } from '../../api/index.js';
import { triggerSelectsCluster } from './management-sources.js';

const cluster = (labels: Record<string, string>, deleting = false): SveltosCluster => ({
  metadata: { name: 'c', namespace: 'ns', labels, ...(deleting ? { deletionTimestamp: 'now' } : {}) },
});
const trigger = (
  sel: EventTrigger['spec'] extends infer S
    ? S extends { sourceClusterSelector: infer L }
      ? L
      : never
    : never,
) =>
  ({ metadata: { name: 't' }, spec: { eventSourceName: 'es', sourceClusterSelector: sel } }) as EventTrigger;

test('sourceClusterSelector: labels select, an empty selector selects nothing, deleting clusters never match', () => {
  assert.equal(
    triggerSelectsCluster(trigger({ matchLabels: { type: 'mgmt' } }), cluster({ type: 'mgmt' })),
    true,
  );
  assert.equal(
    triggerSelectsCluster(trigger({ matchLabels: { type: 'mgmt' } }), cluster({ type: 'services' })),
    false,
  );
  assert.equal(triggerSelectsCluster(trigger({}), cluster({ type: 'mgmt' })), false);
  assert.equal(
    triggerSelectsCluster(
      trigger({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] }),
      cluster({ env: 'staging' }),
    ),
    true,
  );
  assert.equal(
    triggerSelectsCluster(trigger({ matchLabels: { type: 'mgmt' } }), cluster({ type: 'mgmt' }, true)),
    false,
  );
});
