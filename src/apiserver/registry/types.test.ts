import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, ResourceType } from '../contracts.js';
import { BuiltinTypes, ClusterTypes } from './types.js';

const builtins = new BuiltinTypes({});

function crd(kind: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: `${kind.toLowerCase()}s.example.com` },
    spec: { group: 'example.com', names: { kind, plural: `${kind.toLowerCase()}s` }, ...extra },
  };
}

let made = 0;
function make(c: KubeObject): ResourceType[] {
  made++;
  const spec = c.spec as { group: string; names: { kind: string; plural: string } };
  return [
    {
      ...builtins.all[0],
      group: spec.group,
      kind: spec.names.kind,
      plural: spec.names.plural,
      builtin: false,
    },
  ];
}

test('identical CRDs in different clusters share one set of ResourceTypes', () => {
  const a = new ClusterTypes(builtins);
  const b = new ClusterTypes(builtins);
  const before = made;
  const ta = a.setCrd(crd('Widget'), make);
  const tb = b.setCrd(crd('Widget'), make);
  assert.equal(made - before, 1, 'derived once');
  assert.equal(ta[0], tb[0], 'the very same object');
  assert.equal(a.lookup('example.com', ta[0].version, 'widgets'), ta[0]);
  const changed = b.setCrd(crd('Widget', { scope: 'Cluster' }), make);
  assert.notEqual(changed[0], ta[0], 'a different spec derives new types');
  a.removeCrd('widgets.example.com');
  assert.equal(a.lookup('example.com', ta[0].version, 'widgets'), undefined);
  assert.equal(a.all(), builtins.all, 'no CRDs: the shared built-in list itself');
});
