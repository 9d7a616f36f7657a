import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileJsonPath, JsonPathError, printValue } from './jsonpath.js';

const obj = {
  metadata: { name: 'c1', annotations: { 'sharding.projectsveltos.io/key': 'shard-a' }, labels: { a: 'b' } },
  spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }] },
  status: {
    ready: true,
    conditions: [
      { type: 'Ready', status: 'True', n: 1 },
      { type: 'Synced', status: 'False', n: 2 },
    ],
  },
};

describe('printer-column JSONPath', () => {
  const cases: [string, unknown[]][] = [
    ['.metadata.name', ['c1']],
    ['{.metadata.name}', ['c1']],
    ['.spec.replicas', [3]],
    ['.status.ready', [true]],
    ['.spec.ports[0].port', [80]],
    ['.spec.ports[-1].port', [443]],
    ['.spec.ports[*].port', [80, 443]],
    ['.spec.ports[0:1].port', [80]],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type=='Synced')].status", ['False']],
    ['.status.conditions[?(@.n > 1)].type', ['Synced']],
    ['.status.conditions[?(@.type!="Ready")].type', ['Synced']],
    ['.status.conditions[?(@.missing)].type', []],
    [".metadata.annotations['sharding\\.projectsveltos\\.io/key']", ['shard-a']],
    ['.metadata.annotations.sharding\\.projectsveltos\\.io/key', ['shard-a']],
    ['.metadata.labels.*', ['b']],
    ['..port', [80, 443]],
    ['.status.missing', []],
    ['.spec.ports[5].port', []],
    ['.metadata.name.deeper', []],
  ];
  for (const [path, want] of cases) {
    it(`${path} selects ${JSON.stringify(want)}`, () =>
      assert.deepEqual(compileJsonPath(path).find(obj), want));
  }
  it('rejects what it cannot parse', () => {
    assert.throws(() => compileJsonPath('.a[?(x)]'), JsonPathError);
    assert.throws(() => compileJsonPath('.a[1'), JsonPathError);
  });
  it('prints values as jsonpath PrintResults does', () => {
    assert.equal(printValue('x'), 'x');
    assert.equal(printValue(3), '3');
    assert.equal(printValue(true), 'true');
    assert.equal(printValue({ b: 1, a: [1, 'x'] }), '{"a":[1,"x"],"b":1}');
  });
});
