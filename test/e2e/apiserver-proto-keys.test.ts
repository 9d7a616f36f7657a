import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startHarness } from './apiserver-helpers.js';

// ConfigMap keys and label values may be named like Object.prototype members; they must round-trip.
// Bodies are written as JSON text: a JS object literal `{ __proto__: x }` would set a prototype.
const CM = '/api/v1/namespaces/default/configmaps';
const JSON_CT = { 'content-type': 'application/json' };

function ownData(body: string): Record<string, unknown> {
  const o = JSON.parse(body) as { data?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(o.data ?? {}));
}

test('ConfigMap data keys __proto__, constructor, toString round-trip through create, patches, apply and restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-proto-'));
  let h = await startHarness(['p1'], { stateDir: dir, memory: false });
  try {
    const create = await h.http(
      'POST',
      CM,
      '{"metadata":{"name":"pp","labels":{"constructor":"x","toString":"y"},"annotations":{"constructor":"y"}},"data":{"__proto__":"p","constructor":"c","toString":"t"}}',
      JSON_CT,
    );
    assert.equal(create.status, 201, create.body);
    assert.deepEqual(ownData(create.body), JSON.parse('{"__proto__":"p","constructor":"c","toString":"t"}'));
    let get = await h.http('GET', `${CM}/pp`);
    const md = JSON.parse(get.body).metadata;
    assert.deepEqual(Object.keys(md.labels), ['constructor', 'toString'], get.body);
    assert.deepEqual(Object.keys(md.annotations), ['constructor'], get.body);

    const steps: [string, string, string][] = [
      [
        'application/merge-patch+json',
        '{"data":{"__proto__":"p2","hasOwnProperty":"h"}}',
        '"__proto__":"p2"',
      ],
      [
        'application/strategic-merge-patch+json',
        '{"data":{"constructor":"c2","valueOf":"v"}}',
        '"valueOf":"v"',
      ],
      [
        'application/json-patch+json',
        '[{"op":"add","path":"/data/isPrototypeOf","value":"i"},{"op":"replace","path":"/data/__proto__","value":"p3"}]',
        '"isPrototypeOf":"i"',
      ],
    ];
    for (const [ct, body, want] of steps) {
      const r = await h.http('PATCH', `${CM}/pp`, body, { 'content-type': ct });
      assert.equal(r.status, 200, r.body);
      assert.ok(JSON.stringify(ownData(r.body)).includes(want), `${ct}: ${r.body}`);
    }
    const apply = await h.http(
      'PATCH',
      `${CM}/pp?fieldManager=me&force=true`,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"pp"},"data":{"__proto__":"p4","propertyIsEnumerable":"e"}}',
      { 'content-type': 'application/apply-patch+yaml' },
    );
    assert.equal(apply.status, 200, apply.body);
    const want =
      '{"__proto__":"p4","constructor":"c2","toString":"t","hasOwnProperty":"h","valueOf":"v","isPrototypeOf":"i","propertyIsEnumerable":"e"}';
    assert.equal(JSON.stringify(ownData(apply.body)), want);
    const kc = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kc","namespace":"default"},"data":';
    let k = await h.kubectl(['apply', '-f', h.file('a.json', `${kc}{"__proto__":"1","constructor":"2"}}`)]);
    assert.equal(k.code, 0, k.stderr);
    k = await h.kubectl(['apply', '-f', h.file('b.json', `${kc}{"__proto__":"3","toString":"4"}}`)]);
    assert.equal(k.code, 0, k.stderr);
    await h.close();
    h = await startHarness(['p1'], { stateDir: dir, memory: false });
    get = await h.http('GET', `${CM}/pp`);
    assert.equal(JSON.stringify(ownData(get.body)), want);
    get = await h.http('GET', `${CM}/kc`);
    assert.equal(JSON.stringify(ownData(get.body)), '{"__proto__":"3","toString":"4"}');
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('patches add new __proto__/constructor keys; Secret stringData keys of that name reach data', async () => {
  const h = await startHarness(['p2']);
  try {
    const c = await h.http('POST', CM, '{"metadata":{"name":"n"},"data":{"a":"1"}}', JSON_CT);
    assert.equal(c.status, 201, c.body);
    const steps: [string, string, string][] = [
      ['application/merge-patch+json', '{"data":{"__proto__":"m"}}', '{"a":"1","__proto__":"m"}'],
      ['application/merge-patch+json', '{"data":{"__proto__":null}}', '{"a":"1"}'],
      ['application/strategic-merge-patch+json', '{"data":{"__proto__":"s"}}', '{"a":"1","__proto__":"s"}'],
      ['application/json-patch+json', '[{"op":"remove","path":"/data/__proto__"}]', '{"a":"1"}'],
      [
        'application/json-patch+json',
        '[{"op":"add","path":"/data/__proto__","value":"j"}]',
        '{"a":"1","__proto__":"j"}',
      ],
    ];
    for (const [ct, body, want] of steps) {
      const r = await h.http('PATCH', `${CM}/n`, body, { 'content-type': ct });
      assert.equal(r.status, 200, `${ct} ${body}: ${r.body}`);
      assert.equal(JSON.stringify(ownData(r.body)), want, `${ct} ${body}`);
    }
    const s = await h.http(
      'POST',
      '/api/v1/namespaces/default/secrets',
      '{"metadata":{"name":"s"},"stringData":{"__proto__":"x","constructor":"y"}}',
      JSON_CT,
    );
    assert.equal(s.status, 201, s.body);
    assert.equal(JSON.stringify(ownData(s.body)), '{"__proto__":"eA==","constructor":"eQ=="}');
    const b = await h.http(
      'POST',
      CM,
      '{"metadata":{"name":"bin"},"data":{"constructor":"c","toString":"t"},"binaryData":{"x":"eA=="}}',
      JSON_CT,
    );
    assert.equal(b.status, 201, b.body);
    const t = await h.http(
      'POST',
      '/api/v1/namespaces/default/secrets',
      '{"metadata":{"name":"t"},"type":"constructor"}',
      JSON_CT,
    );
    assert.equal(t.status, 201, t.body);
  } finally {
    await h.close();
  }
});

test('custom resources: unknown constructor/toString fields are pruned, map values named so are typed and kept', async () => {
  const h = await startHarness(['p3']);
  try {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      size: { type: 'integer' },
                      objs: {
                        type: 'object',
                        additionalProperties: {
                          type: 'object',
                          properties: { a: { type: 'string', default: 'd' } },
                        },
                      },
                      strs: { type: 'object', additionalProperties: { type: 'string' } },
                    },
                  },
                },
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
    const path = '/apis/example.com/v1/namespaces/default/gadgets';
    const body = (name: string, spec: string) =>
      `{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"${name}"},"spec":${spec}}`;
    let r = { status: 0, body: '' };
    for (let i = 0; i < 100 && r.status !== 201; i++) {
      r = await h.http(
        'POST',
        path,
        body('g1', '{"size":1,"constructor":5,"objs":{"constructor":{"a":"x","b":1},"toString":{}}}'),
        JSON_CT,
      );
      if (r.status === 404) await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(r.status, 201, r.body);
    assert.equal(
      JSON.stringify(JSON.parse(r.body).spec),
      '{"size":1,"objs":{"constructor":{"a":"x"},"toString":{"a":"d"}}}',
    );
    r = await h.http('POST', path, body('g2', '{"strs":{"constructor":5}}'), JSON_CT);
    assert.equal(r.status, 422, r.body);
  } finally {
    await h.close();
  }
});
