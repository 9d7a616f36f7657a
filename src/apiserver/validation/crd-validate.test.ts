import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../contracts.js';
import { validateCRD } from './crd-validate.js';

function crd(schema: Record<string, unknown>, patch: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
      ...patch,
    },
  };
}

function lines(o: KubeObject, old?: KubeObject): string[] {
  return validateCRD(o, old).map((e) => `${e.field}: ${e.message}`);
}

const P = 'spec.versions[0].schema.openAPIV3Schema';

test('structural schema: types are required at every level', () => {
  assert.deepEqual(
    lines(crd({ type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } })),
    [`${P}.properties[spec].type: Required value: must not be empty for specified object fields`],
  );
  assert.deepEqual(lines(crd({ type: 'object', properties: { l: { type: 'array', items: {} } } })), [
    `${P}.properties[l].items.type: Required value: must not be empty for specified array items`,
  ]);
  assert.deepEqual(lines(crd({ properties: {} })), [
    `${P}.type: Required value: must not be empty at the root`,
  ]);
  assert.deepEqual(lines(crd({ type: 'string' })), [
    `${P}.type: Invalid value: "string": must be object at the root`,
  ]);
  assert.deepEqual(
    lines(
      crd({
        type: 'object',
        properties: {
          v: { 'x-kubernetes-preserve-unknown-fields': true },
          n: { 'x-kubernetes-int-or-string': true },
        },
      }),
    ),
    [],
  );
});

test('structural schema: additionalProperties with properties, metadata, list types', () => {
  assert.deepEqual(
    lines(
      crd({
        type: 'object',
        properties: {
          s: {
            type: 'object',
            properties: { a: { type: 'string' } },
            additionalProperties: { type: 'string' },
          },
        },
      }),
    ),
    [
      `${P}.properties[s].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ],
  );
  assert.deepEqual(
    lines(
      crd({
        type: 'object',
        properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
      }),
    ),
    [
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ],
  );
  assert.deepEqual(
    lines(
      crd({
        type: 'object',
        properties: {
          l: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            items: { type: 'object', properties: { k: { type: 'string' } } },
          },
        },
      }),
    ),
    [
      `${P}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
    ],
  );
});

test('defaults must validate', () => {
  assert.deepEqual(
    lines(
      crd({
        type: 'object',
        properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', default: 'x' } } } },
      }),
    ),
    [
      `${P}.properties[spec].properties[replicas].default: Invalid value: "string": spec.replicas in body must be of type integer: "string"`,
    ],
  );
});

test('CEL rules must compile', () => {
  const errs = lines(
    crd({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'object', properties: { c: { type: 'string' } } } },
      'x-kubernetes-validations': [
        { rule: 'self.a ==' },
        { rule: 'foo(self)' },
        { rule: 'has(self.a) && self.metadata.name != "" && self.b.c != ""' },
        { rule: 'self.b.d == "x"' },
      ],
    }),
  );
  assert.equal(errs.length, 3);
  assert.match(
    errs[2],
    /x-kubernetes-validations\[3\]\.rule: Invalid value: .*compilation failed: ERROR: <input>:1:7: undefined field 'd'$/,
  );
  assert.match(
    errs[0],
    /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.x-kubernetes-validations\[0\]\.rule: Invalid value: apiextensions\.ValidationRule\{Rule:"self\.a ==".*compilation failed: ERROR: <input>:1:/,
  );
  assert.match(errs[1], /undeclared reference to 'foo'/);
});

test('names, group, scope and versions', () => {
  const o = crd({ type: 'object' });
  (o.spec as any).group = 'example';
  assert.deepEqual(lines(o), [
    'metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group',
    'spec.group: Invalid value: "example": should be a domain with at least one dot',
  ]);
  const k = crd({ type: 'object' });
  (k.spec as any).names.kind = 'wid_get';
  (k.spec as any).scope = 'Global';
  assert.deepEqual(lines(k), [
    'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    "spec.names.kind: Invalid value: \"wid_get\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  const v = crd({ type: 'object' });
  (v.spec as any).versions[0].storage = false;
  assert.deepEqual(lines(v), [
    'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", Served:true, Storage:false, ...}}: must have exactly one version marked as storage version',
  ]);
});

test('update: scope and group are immutable', () => {
  const a = crd({ type: 'object' });
  const b = crd({ type: 'object' });
  (b.spec as any).scope = 'Cluster';
  assert.deepEqual(lines(b, a), ['spec.scope: Invalid value: "Cluster": field is immutable']);
});

test('defaults must survive pruning; list-map keys must be item properties', () => {
  const errs = lines(
    crd({
      type: 'object',
      properties: {
        s: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } },
        l: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { id: { type: 'string' } } },
        },
      },
    }),
  );
  assert.deepEqual(errs, [
    `${P}.properties[l].x-kubernetes-list-map-keys: Invalid value: []string{"name"}: entries must all be names of item properties`,
  ]);
  const d = lines(
    crd({
      type: 'object',
      properties: {
        s: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } },
      },
    }),
  );
  assert.equal(d.length, 1);
  assert.match(
    d[0],
    /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[s\]\.default: Invalid value: .*must not have unknown fields, got: s\.b$/,
  );
});

test('CEL cost: nested comprehensions over unbounded lists exceed the budget, bounded ones do not', () => {
  const list = (maxItems?: number) => ({
    type: 'object',
    properties: {
      l: {
        type: 'array',
        items: { type: 'string' },
        ...(maxItems ? { maxItems } : {}),
        'x-kubernetes-validations': [{ rule: 'self.all(x, self.all(y, x == y))' }],
      },
    },
  });
  const errs = lines(crd(list()));
  assert.equal(errs.length, 1);
  assert.match(
    errs[0],
    /x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of/,
  );
  assert.deepEqual(lines(crd(list(100))), []);
});

test('transition rules are not allowed under uncorrelatable list items', () => {
  const items = {
    type: 'object',
    properties: { k: { type: 'string' } },
    required: ['k'],
    'x-kubernetes-validations': [{ rule: 'self == oldSelf' }],
  };
  const atomic = lines(crd({ type: 'object', properties: { l: { type: 'array', items } } }));
  assert.equal(atomic.length, 1);
  assert.match(
    atomic[0],
    /x-kubernetes-validations\[0\]\.rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[l\]\.items$/,
  );
  const map = { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items };
  assert.deepEqual(lines(crd({ type: 'object', properties: { l: map } })), []);
});
