import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from './convert.js';
import { LuaEngine } from './engine.js';
import { evaluateAggregatedSelection, evaluateSelector } from './protocols.js';
import examples from './testdata/sveltos-examples.json' with { type: 'json' };

interface Example {
  file: string;
  eventSource: string;
  hook: 'evaluate' | 'aggregatedSelection';
  script: string;
}

const scripts = (examples as { scripts: Example[] }).scripts;
const engine = new LuaEngine();

function script(file: string) {
  const ex = scripts.find((s) => s.file === file);
  assert.ok(ex, file);
  return engine.compile(ex.script, { name: `EventSource ${ex.eventSource}` });
}

const service = (labels: Record<string, string>, ports: number[], extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'eng', labels },
  spec: { ports: ports.map((port) => ({ name: `p${port}`, port, protocol: 'TCP' })), ...extra },
});

describe('Sveltos documentation EventSource scripts', () => {
  it('every example compiles and evaluates on an empty-ish object', () => {
    assert.equal(scripts.length, 11);
    for (const ex of scripts) {
      const s = engine.compile(ex.script, { name: ex.file });
      if (ex.hook === 'aggregatedSelection') evaluateAggregatedSelection(s, []);
      else
        evaluateSelector(s, { metadata: { name: 'x', labels: {} }, spec: {}, status: { loadBalancer: {} } });
    }
  });

  it('https-service matches services exposing 443 or 8443', () => {
    const s = script('events__examples__service_event_trigger__01.yaml');
    assert.equal(evaluateSelector(s, service({}, [8443])).matching, true);
    assert.equal(evaluateSelector(s, service({}, [80, 443])).matching, true);
    assert.equal(evaluateSelector(s, service({}, [80])).matching, false);
    assert.equal(evaluateSelector(s, { metadata: { name: 'x' }, spec: {} }).matching, false);
  });

  it('sveltos-service matches the label sveltos=fv', () => {
    const s = script('events__addon_event_deployment__02.yaml');
    assert.deepEqual(evaluateSelector(s, service({ sveltos: 'fv' }, [80])), { matching: true, message: '' });
    assert.deepEqual(evaluateSelector(s, service({ sveltos: 'other' }, [80])), {
      matching: false,
      message: '',
    });
  });

  it('load-balancer-service matches services with an ingress', () => {
    const s = script('events__examples__cross_cluster_configuration__03.yaml');
    const lb = service({}, [80], {});
    lb.status = { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } };
    assert.equal(evaluateSelector(s, lb).matching, true);
    lb.status = { loadBalancer: {} };
    assert.equal(evaluateSelector(s, lb).matching, false);
  });

  it('loadbalancer-class-handler matches the class label', () => {
    const s = script('events__examples__loadbalancer__06.yaml');
    assert.equal(evaluateSelector(s, service({ 'lb.buttah.cloud/class': 'gold' }, [80])).matching, true);
    assert.equal(evaluateSelector(s, service({ app: 'x' }, [80])).matching, false);
  });

  it('namespace-watcher excludes exempt and listed namespaces', () => {
    const s = script('events__examples__otel__01.yaml');
    const ns = (labels: Record<string, string>): JsonObject => ({
      kind: 'Namespace',
      metadata: { name: 'n', labels },
    });
    assert.equal(evaluateSelector(s, ns({ 'kubernetes.io/metadata.name': 'apps' })).matching, true);
    assert.equal(evaluateSelector(s, ns({ 'kubernetes.io/metadata.name': 'kube-system' })).matching, false);
    assert.equal(evaluateSelector(s, ns({ 'otel-exempt': 'true' })).matching, false);
  });

  it('aggregated selection returns the autoscalers without a deployment', () => {
    const s = script('events__aggregated_selection__01.yaml');
    const hpa = (name: string, target: string): JsonObject => ({
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: 'default' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: target } },
    });
    const r = evaluateAggregatedSelection(s, [
      { kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } },
      hpa('web-hpa', 'web'),
      hpa('orphan-hpa', 'gone'),
    ]);
    assert.deepEqual(
      r.resources.map((x) => (x.metadata as JsonObject).name),
      ['orphan-hpa'],
    );
    assert.deepEqual(
      evaluateAggregatedSelection(s, [
        hpa('web-hpa', 'web'),
        { kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } },
      ]).resources,
      [],
    );
  });

  it('mcs-service-deriver labels the services that have a ServiceExport', () => {
    const s = script('events__examples__mcs_api__01.yaml');
    const r = evaluateAggregatedSelection(s, [
      {
        apiVersion: 'multicluster.x-k8s.io/v1alpha1',
        kind: 'ServiceExport',
        metadata: { name: 'web', namespace: 'eng' },
      },
      service({}, [80]),
      { ...service({}, [80]), metadata: { name: 'other', namespace: 'eng' } },
    ]);
    assert.equal(r.resources.length, 1);
    assert.deepEqual((r.resources[0].metadata as JsonObject).labels, {
      'service-export-name': 'web',
      'service-export-namespace': 'eng',
      'multicluster.kubernetes.io/service-name': 'web',
    });
    assert.equal(r.message, 'Found Service for ServiceExport: web\n');
    // integer port numbers survive inside objects (only integers directly inside arrays are dropped)
    assert.deepEqual((r.resources[0].spec as JsonObject).ports, [{ name: 'p80', port: 80, protocol: 'TCP' }]);
  });
});
