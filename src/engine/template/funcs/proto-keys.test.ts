import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TemplateSet } from '../template-set.js';
import { sveltosFuncs } from './index.js';

// Keys named like Object.prototype members are ordinary map keys in Go (and valid ConfigMap keys).
function run(text: string, data: unknown = {}): string {
  return new TemplateSet({ funcs: sveltosFuncs(), numbers: 'int64' }).parse('t', text).execute('t', data);
}
const withProto = () => ({ p: JSON.parse('{"__proto__":{"a":1},"constructor":"c","x":1}') });

function assertNotPolluted(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.a, undefined, 'Object.prototype.a was set');
  assert.equal(probe.polluted, undefined, 'Object.prototype.polluted was set');
}

test('dict and set keep __proto__ and constructor as keys', () => {
  assert.equal(
    run('{{ $d := dict "__proto__" "x" "constructor" "y" }}{{ $d }} {{ keys $d | sortAlpha }}'),
    'map[__proto__:x constructor:y] [__proto__ constructor]',
  );
  assert.equal(
    run('{{ $d := dict }}{{ $_ := set $d "__proto__" "x" }}{{ $d }} {{ hasKey $d "__proto__" }}'),
    'map[__proto__:x] true',
  );
});

test('lookups of absent prototype-named keys give no value, not Object.prototype members', () => {
  const out = run(
    '{{ index .m "constructor" }}|{{ .m.toString }}|{{ hasKey .m "constructor" }}|{{ get .m "toString" }}|{{ dig "constructor" "d" .m }}',
    { m: { a: 1 } },
  );
  assert.equal(out, '<no value>|<no value>|false||d');
});

test('merge, mergeOverwrite, deepCopy, pick and omit copy a __proto__ key instead of setting the prototype', () => {
  for (const f of ['merge (dict)', 'mergeOverwrite (dict)', 'deepCopy', 'omit']) {
    const out = run(`{{ $d := ${f} .p }}{{ toJson $d }}|{{ $d.a }}`, withProto());
    assert.equal(out, '{"__proto__":{"a":1},"constructor":"c","x":1}|<no value>', f);
  }
  assert.equal(
    run('{{ toJson (pick .p "__proto__" "constructor") }}', withProto()),
    '{"__proto__":{"a":1},"constructor":"c"}',
  );
  assert.equal(
    run('{{ toJson (merge (dict "a" 1) (fromJson "{\\"__proto__\\":{\\"polluted\\":1}}")) }}'),
    '{"__proto__":{"polluted":1},"a":1}',
  );
  assertNotPolluted();
});

test('fromYaml, fromYamlArray, fromJson and fromToml keep __proto__ and constructor keys', () => {
  assert.equal(
    run('{{ toJson (fromYaml "__proto__: {a: 1}\\nconstructor: 2") }}'),
    '{"__proto__":{"a":1},"constructor":2}',
  );
  assert.equal(run('{{ toJson (fromYamlArray "- __proto__: 1") }}'), '[{"__proto__":1}]');
  assert.equal(run('{{ toJson (fromJson "{\\"constructor\\": 1}") }}'), '{"constructor":1}');
  assert.equal(
    run('{{ toJson (fromToml "[__proto__]\\na = 1\\n[constructor]\\nb = 2") }}'),
    '{"__proto__":{"a":1},"constructor":{"b":2}}',
  );
  assertNotPolluted();
});

test('setField and chainSetField through a __proto__ path set a key, never Object.prototype', () => {
  assert.equal(run('{{ setField .o "__proto__.a" (int64 2) }}', { o: {} }), '__proto__:\n  a: 2\n');
  assert.equal(
    run('{{ toJson (chainSetField .o "constructor.b" (int64 3)) }}', { o: {} }),
    '{"constructor":{"b":3}}',
  );
  assert.equal(run('{{ toJson (chainRemoveField .o "__proto__.hasOwnProperty") }}', { o: {} }), '{}');
  assert.equal(run('{{ removeField .o "constructor.name" }}', { o: {} }), '{}\n');
  assert.equal(typeof Object.prototype.hasOwnProperty, 'function');
  assert.equal(Object.name, 'Object');
  assertNotPolluted();
});

test('env of a name like constructor is empty, not Object', () => {
  const t = new TemplateSet({ funcs: sveltosFuncs() }).parse('t', '[{{ env "constructor" }}][{{ env "A" }}]');
  assert.equal(t.execute('t', {}, { injected: { env: { A: 'x' } } }), '[][x]');
});
