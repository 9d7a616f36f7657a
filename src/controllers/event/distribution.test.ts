import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventSource, EventTrigger, SveltosCluster } from '../../api/index.js';
import {
  DEPLOYED_BY_SVELTOS,
  desiredEventSources,
  OWNER_TRIGGERS_ANNOTATION,
  triggerWatchesCluster,
} from './distribution.js';
import { decideTriggerStatus } from './trigger-controller.js';

const cluster = (name: string, labels: Record<string, string>, ready = true): SveltosCluster => ({
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'SveltosCluster',
  metadata: { name, namespace: 'fleet', labels },
  spec: {},
  status: { ready },
});
const trigger = (name: string, spec: Partial<NonNullable<EventTrigger['spec']>>): EventTrigger => ({
  metadata: { name },
  spec: { sourceClusterSelector: {}, eventSourceName: 'es', ...spec },
});
const sources = new Map<string, EventSource>([
  [
    'es',
    {
      metadata: { name: 'es', labels: { 'projectsveltos.io/serviceaccount-name': 'sa' } },
      spec: { collectResources: true },
    },
  ],
  ['es-prod', { metadata: { name: 'es-prod' }, spec: {} }],
]);

describe('EventSource distribution (pure)', () => {
  it('empty selector matches nothing; sets and selectors match; not-ready clusters never', () => {
    const c = cluster('prod', { env: 'production' });
    assert.equal(triggerWatchesCluster(trigger('t', {}), c), false);
    assert.equal(
      triggerWatchesCluster(
        trigger('t', { sourceClusterSelector: { matchLabels: { env: 'production' } } }),
        c,
      ),
      true,
    );
    assert.equal(
      triggerWatchesCluster(trigger('t', { clusterSetRefs: ['s'] }), c, new Map([['s', ['fleet/prod']]])),
      true,
    );
    assert.equal(
      triggerWatchesCluster(
        trigger('t', { sourceClusterSelector: { matchLabels: { env: 'production' } } }),
        cluster('prod', { env: 'production' }, false),
      ),
      false,
    );
  });

  it('copies each named EventSource once, templated name, owner triggers and deployed-by annotation', () => {
    const c = cluster('prod', { env: 'production' });
    const sel = { matchLabels: { env: 'production' } };
    const want = desiredEventSources(
      c,
      [
        trigger('b', { sourceClusterSelector: sel }),
        trigger('a', { sourceClusterSelector: sel }),
        trigger('c', { sourceClusterSelector: sel, eventSourceName: 'es-{{ .Cluster.metadata.name }}' }),
        trigger('d', { sourceClusterSelector: { matchLabels: { env: 'dev' } }, eventSourceName: 'es' }),
        trigger('e', { sourceClusterSelector: sel, eventSourceName: 'missing' }),
      ],
      (n) => sources.get(n),
    );
    assert.deepEqual(
      want.map((e) => [
        e.metadata?.name,
        e.metadata?.annotations?.[OWNER_TRIGGERS_ANNOTATION],
        e.metadata?.annotations?.[DEPLOYED_BY_SVELTOS],
      ]),
      [
        ['es', 'a,b', 'ok'],
        ['es-prod', 'c', 'ok'],
      ],
    );
    assert.deepEqual(want[0].spec, { collectResources: true });
    assert.equal(want[0].metadata?.labels?.['projectsveltos.io/serviceaccount-name'], 'sa');
  });

  it('trigger status: source and destination matches, sorted, ready only', () => {
    const plan = decideTriggerStatus(
      trigger('t', {
        sourceClusterSelector: { matchLabels: { env: 'production' } },
        destinationClusterSelector: { matchLabels: { dep: 'eng' } },
      }),
      [
        cluster('z', { env: 'production' }),
        cluster('a', { env: 'production', dep: 'eng' }),
        cluster('n', { dep: 'eng' }, false),
      ],
    );
    assert.deepEqual(
      plan.matchingClusters.map((r) => r.name),
      ['a', 'z'],
    );
    assert.deepEqual(
      plan.destinationMatchingClusterRefs.map((r) => r.name),
      ['a'],
    );
  });
});
