import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldError, KubeObject, ResourceType } from '../contracts.js';
import { crdResourceTypes } from './crd-resource-types.js';
import { validator } from './index.js';
import { sveltosTypes } from './test-support.js';

const types = sveltosTypes();
const clusterProfile = types.get('config.projectsveltos.io/v1beta1/ClusterProfile')!;
const sveltosCluster = types.get('lib.projectsveltos.io/v1beta1/SveltosCluster')!;
const eventTrigger = types.get('lib.projectsveltos.io/v1beta1/EventTrigger')!;

function lines(errs: FieldError[]): string[] {
  return errs.map((e) => `${e.field}: ${e.message}`);
}

function check(rt: ResourceType, obj: KubeObject, old?: KubeObject): string[] {
  const o = structuredClone(obj);
  validator.defaultAndPrune(rt, o);
  const prev = old ? structuredClone(old) : undefined;
  if (prev) validator.defaultAndPrune(rt, prev);
  return lines(validator.validate(rt, o, prev)).filter((l) => l !== SKIPPED);
}

/** kube's note that CEL rules were skipped because of blocking errors (asserted in its own test). */
const SKIPPED =
  '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

const widgetCRD = {
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
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
                  replicas: { type: 'integer', format: 'int32', minimum: 0, maximum: 10, default: 1 },
                  ratio: { type: 'number', exclusiveMaximum: true, maximum: 1, multipleOf: 0.25 },
                  mode: { type: 'string', enum: ['A', 'B'], default: 'A' },
                  when: { type: 'string', format: 'date-time' },
                  tags: {
                    type: 'array',
                    items: { type: 'string' },
                    maxItems: 2,
                    minItems: 1,
                    'x-kubernetes-list-type': 'set',
                  },
                  ports: {
                    type: 'array',
                    'x-kubernetes-list-type': 'map',
                    'x-kubernetes-list-map-keys': ['name'],
                    items: {
                      type: 'object',
                      required: ['name'],
                      properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } },
                    },
                  },
                  labels: {
                    type: 'object',
                    additionalProperties: { type: 'string', default: 'x' },
                    maxProperties: 2,
                  },
                  free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  size: { 'x-kubernetes-int-or-string': true },
                  nullableText: { type: 'string', nullable: true },
                  template: {
                    type: 'object',
                    'x-kubernetes-embedded-resource': true,
                    properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
                  },
                  immutable: {
                    type: 'string',
                    'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }],
                  },
                  counter: {
                    type: 'integer',
                    'x-kubernetes-validations': [
                      {
                        rule: '!oldSelf.hasValue() || self >= oldSelf.value()',
                        optionalOldSelf: true,
                        message: 'may only grow',
                      },
                      {
                        rule: 'self >= oldSelf.orValue(0)',
                        optionalOldSelf: true,
                        message: 'not below zero or old',
                      },
                    ],
                  },
                  limits: {
                    type: 'object',
                    properties: { min: { type: 'integer' }, max: { type: 'integer' } },
                    'x-kubernetes-validations': [
                      {
                        rule: 'self.min <= self.max',
                        messageExpression: "'min ' + string(self.min) + ' exceeds max'",
                      },
                      {
                        rule: 'self.max < 100',
                        reason: 'FieldValueForbidden',
                        fieldPath: '.max',
                        message: 'too big',
                      },
                      { rule: 'self.min >= 0' },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};
const widget = crdResourceTypes(widgetCRD)[0];
const base = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } };

test('the test CRD is itself valid', () => {
  assert.deepEqual(validator.validateCRD(widgetCRD, undefined), []);
});

test('type errors are worded as kube-openapi', () => {
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', replicas: 'x' } }), [
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', replicas: 1.5 } }), [
    'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', size: true } }), [
    'spec.size: Invalid value: "boolean": spec.size in body must be of type integer,string: "boolean"',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', size: 3, nullableText: null } }), []);
});

test('required, enum, string, number, array and object bounds', () => {
  assert.deepEqual(check(widget, { ...base, spec: {} }), ['spec.name: Required value']);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', mode: 'x' } }), [
    'spec.mode: Unsupported value: "x": supported values: "A", "B"',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'a' } }), [
    'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'abcdef' } }), [
    'spec.name: Too long: may not be more than 5 bytes',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'A1' } }), [
    'spec.name: Invalid value: "A1": spec.name in body should match \'^[a-z]+$\'',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', replicas: 11 } }), [
    'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', replicas: -1 } }), [
    'spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', ratio: 1 } }), [
    'spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', ratio: 0.3 } }), [
    'spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.25',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', tags: [] } }), [
    'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', tags: ['a', 'b', 'c'] } }), [
    'spec.tags: Too many: 3: must have at most 2 items',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', labels: { a: 'a', b: 'b', c: 'c' } } }), [
    'spec.labels: Too many: 3: must have at most 2 items',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', when: 'yesterday' } }), [
    'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', when: '2024-01-02T03:04:05Z' } }), []);
});

test('list-type set and map duplicates', () => {
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', tags: ['a', 'a'] } }), [
    'spec.tags[1]: Duplicate value: "a"',
  ]);
  assert.deepEqual(
    check(widget, { ...base, spec: { name: 'ab', ports: [{ name: 'p' }, { name: 'p', port: 1 }] } }),
    ['spec.ports[1]: Duplicate value: map[string]interface {}{"name":"p"}'],
  );
});

test('metadata name rules', () => {
  assert.deepEqual(check(widget, { ...base, metadata: { name: 'Bad_Name' }, spec: { name: 'ab' } }), [
    "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(check(widget, { ...base, metadata: {}, spec: { name: 'ab' } }), [
    'metadata.name: Required value: name or generateName is required',
  ]);
  assert.deepEqual(check(widget, { ...base, metadata: { generateName: 'w-' }, spec: { name: 'ab' } }), []);
});

test('pruning, embedded resources, preserve-unknown-fields and defaults', () => {
  const o: KubeObject = {
    ...base,
    metadata: { name: 'w', bogus: 1 },
    extra: true,
    spec: {
      name: 'ab',
      unknown: 1,
      ports: [{ name: 'p', junk: 2 }],
      labels: { a: null },
      free: { anything: { goes: 1 } },
      template: {
        apiVersion: 'v1',
        kind: 'X',
        metadata: { name: 'n', zz: 1 },
        spec: { a: 'x', b: 'y' },
        other: 1,
      },
      replicas: null,
    },
  };
  const unknown = validator.defaultAndPrune(widget, o);
  assert.deepEqual(unknown.sort(), [
    'extra',
    'metadata.bogus',
    'spec.ports[0].junk',
    'spec.template.metadata.zz',
    'spec.template.other',
    'spec.template.spec.b',
    'spec.unknown',
  ]);
  assert.deepEqual(o.spec, {
    name: 'ab',
    ports: [{ name: 'p', port: 80 }],
    labels: { a: 'x' },
    free: { anything: { goes: 1 } },
    template: { apiVersion: 'v1', kind: 'X', metadata: { name: 'n' }, spec: { a: 'x' } },
    replicas: 1,
    mode: 'A',
  });
  assert.deepEqual(o.metadata, { name: 'w' });
});

test('CEL rules: messageExpression, reason, fieldPath, default message, transition rules', () => {
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', limits: { min: 5, max: 200 } } }), [
    'spec.limits.max: Forbidden: too big',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', limits: { min: 5, max: 3 } } }), [
    'spec.limits: Invalid value: "object": min 5 exceeds max',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', limits: { min: -1, max: 3 } } }), [
    'spec.limits: Invalid value: "object": failed rule: self.min >= 0',
  ]);
  assert.deepEqual(check(widget, { ...base, spec: { name: 'ab', limits: { max: 3 } } }), [
    'spec.limits: Invalid value: "object": no such key: min evaluating rule: self.min <= self.max',
    'spec.limits: Invalid value: "object": no such key: min evaluating rule: self.min >= 0',
  ]);
  const v1 = { ...base, spec: { name: 'ab', immutable: 'one' } };
  const v2 = { ...base, spec: { name: 'ab', immutable: 'two' } };
  assert.deepEqual(check(widget, v2), []);
  assert.deepEqual(check(widget, v2, v1), ['spec.immutable: Invalid value: "string": Value is immutable']);
  assert.deepEqual(check(widget, v1, v1), []);
});

test('CEL rules: optionalOldSelf runs on create with oldSelf = optional.none()', () => {
  const c = (n: number) => ({ ...base, spec: { name: 'ab', counter: n } });
  assert.deepEqual(check(widget, c(1)), []);
  assert.deepEqual(check(widget, c(-1)), ['spec.counter: Invalid value: "integer": not below zero or old']);
  assert.deepEqual(check(widget, c(5), c(3)), []);
  assert.deepEqual(check(widget, c(2), c(3)), [
    'spec.counter: Invalid value: "integer": may only grow',
    'spec.counter: Invalid value: "integer": not below zero or old',
  ]);
});

test('Sveltos CEL: helmCharts need a chartName for http and oci repositories', () => {
  const chart = {
    repositoryURL: 'https://charts.example.com',
    repositoryName: 'x',
    releaseName: 'r',
    releaseNamespace: 'n',
  };
  const cp = (c: object) => ({
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterProfile',
    metadata: { name: 'p' },
    spec: { helmCharts: [c] },
  });
  assert.deepEqual(check(clusterProfile, cp({ ...chart, chartName: 'c', chartVersion: '1.0.0' })), []);
  assert.deepEqual(check(clusterProfile, cp({ ...chart, chartName: '', chartVersion: '1.0.0' })), [
    'spec.helmCharts[0]: Invalid value: "object": ChartName must be defined',
  ]);
  assert.deepEqual(
    check(clusterProfile, cp({ ...chart, repositoryURL: 'oci://r', chartName: 'c', chartVersion: '1' })),
    [],
  );
  assert.deepEqual(
    check(clusterProfile, cp({ ...chart, repositoryURL: 'oci://r', chartName: '', chartVersion: '1' })),
    ['spec.helmCharts[0]: Invalid value: "object": ChartName must be defined'],
  );
});

test('Sveltos CEL: SveltosCluster workloadIdentity rules and immutable pullMode', () => {
  const sc = (spec: object) => ({
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'SveltosCluster',
    metadata: { name: 'c', namespace: 'ns' },
    spec,
  });
  assert.deepEqual(check(sveltosCluster, sc({ kubeconfigName: 'k' })), []);
  const wi = { endpoint: 'https://x', provider: 'AWS', aws: { clusterName: 'c', region: 'eu-west-1' } };
  const errs = check(
    sveltosCluster,
    sc({ kubeconfigName: 'k', workloadIdentity: { ...wi, aws: undefined } }),
  );
  assert.ok(
    errs.includes('spec: Invalid value: "object": workloadIdentity, kubeconfigName: conflict'),
    errs.join('\n'),
  );
  assert.ok(
    errs.includes(
      'spec.workloadIdentity: Invalid value: "object": aws must be set if and only if provider is AWS',
    ),
    errs.join('\n'),
  );
  assert.deepEqual(check(sveltosCluster, sc({ pullMode: true }), sc({ pullMode: true })), []);
  assert.deepEqual(check(sveltosCluster, sc({ pullMode: true }), sc({})), [
    'spec.pullMode: Invalid value: "boolean": Value is immutable',
  ]);
});

test('Sveltos: EventTrigger required fields, ClusterProfile enum and defaults', () => {
  const et = {
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'EventTrigger',
    metadata: { name: 'e' },
    spec: {},
  };
  const errs = check(eventTrigger, et);
  assert.ok(errs.includes('spec.eventSourceName: Required value'), errs.join('\n'));
  const cp: KubeObject = {
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterProfile',
    metadata: { name: 'p' },
    spec: { syncMode: 'Sometimes' },
  };
  assert.deepEqual(check(clusterProfile, cp), [
    'spec.syncMode: Unsupported value: "Sometimes": supported values: "OneTime", "Continuous", "ContinuousWithDriftDetection", "DryRun"',
  ]);
  const ok: KubeObject = { ...cp, spec: {} };
  validator.defaultAndPrune(clusterProfile, ok);
  assert.equal((ok.spec as any).syncMode, 'Continuous');
});

test('embedded resources need apiVersion and kind', () => {
  assert.deepEqual(
    check(widget, { ...base, spec: { name: 'ab', template: { metadata: { name: 'Bad!' } } } }),
    [
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
      "spec.template.metadata.name: Invalid value: \"Bad!\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  );
});

test('ratcheting: unchanged invalid values do not block an update, changed ones do', () => {
  const stored = { ...base, spec: { name: 'ab', replicas: 11, limits: { min: 5, max: 3 } } };
  assert.equal(check(widget, stored).length, 2);
  assert.deepEqual(check(widget, { ...stored, spec: { ...stored.spec, name: 'abc' } }, stored), []);
  assert.deepEqual(check(widget, { ...stored, spec: { ...stored.spec, replicas: 12 } }, stored), [
    'spec.replicas: Invalid value: 12: spec.replicas in body should be less than or equal to 10',
  ]);
});

test('CEL runtime cost bound: a quadratic rule over a big list is cut off', () => {
  const crd = structuredClone(widgetCRD) as any;
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.l = {
    type: 'array',
    items: { type: 'string' },
    'x-kubernetes-validations': [{ rule: 'self.all(x, self.all(y, x == y))' }],
  };
  const rt = crdResourceTypes(crd)[0];
  assert.deepEqual(check(rt, { ...base, spec: { name: 'ab', l: ['a', 'a'] } }), []);
  assert.deepEqual(check(rt, { ...base, spec: { name: 'ab', l: Array.from({ length: 1001 }, () => 'a') } }), [
    'spec.l: Invalid value: "array": \'operation cancelled: actual cost limit exceeded\': no further validation rules will be run due to call cost exceeds limit for rule: self.all(x, self.all(y, x == y))',
  ]);
});

test('root-level CEL rules report at <nil>, as kube does', () => {
  const crd = structuredClone(widgetCRD) as any;
  crd.spec.versions[0].schema.openAPIV3Schema['x-kubernetes-validations'] = [
    { rule: "self.metadata.name.startsWith('w')", message: 'name must start with w' },
  ];
  const rt = crdResourceTypes(crd)[0];
  assert.deepEqual(check(rt, { ...base, spec: { name: 'ab' } }), []);
  assert.deepEqual(check(rt, { ...base, metadata: { name: 'x' }, spec: { name: 'ab' } }), [
    '<nil>: Invalid value: "object": name must start with w',
  ]);
});

test('CEL rules are skipped, with a note, when the object has blocking errors', () => {
  const o = { ...base, spec: { replicas: 'x', limits: { min: 5, max: 3 } } } as KubeObject;
  validator.defaultAndPrune(widget, o);
  assert.deepEqual(lines(validator.validate(widget, o, undefined)), [
    'spec.name: Required value',
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    SKIPPED,
  ]);
});
