import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseValues } from '../chart/yaml-values.js';
import type { Chart } from '../chart/types.js';
import { TemplateSet } from '../../engine/template/index.js';
import { helmFuncs } from '../../engine/template/funcs/index.js';
import { coalesceValues, mergeTables, trimNil } from './coalesce.js';
import { filesObject } from './files.js';

// Helm values keys named like Object.prototype members are ordinary keys.
function chart(name: string, values: Record<string, unknown>, dependencies: Chart[] = []): Chart {
  return { metadata: { name }, values, dependencies } as unknown as Chart;
}

test('values.yaml keys __proto__ and constructor are kept as keys', () => {
  const v = parseValues('__proto__:\n  a: 1\nconstructor: 2\n', 'values.yaml');
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.equal(JSON.stringify(v), '{"__proto__":{"a":1},"constructor":2}');
});

test('coalescing user values with __proto__/constructor keys keeps them and never sets a prototype', () => {
  const defaults = parseValues('__proto__:\n  a: 1\n  b: 2\nkeep: 1\n', 'values.yaml');
  const user = parseValues('__proto__:\n  a: 9\nconstructor: c\n', 'user');
  const out = coalesceValues(chart('top', defaults), user);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(
    JSON.parse(JSON.stringify(out)),
    JSON.parse('{"__proto__":{"a":9,"b":2},"constructor":"c","keep":1}'),
  );
  const merged = mergeTables({}, parseValues('__proto__: {x: 1}\n', 'v'));
  assert.equal(JSON.stringify(trimNil(merged)), '{"__proto__":{"x":1}}');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('globals named constructor reach a subchart', () => {
  const sub = chart('sub', {});
  const out = coalesceValues(
    chart('top', {}, [sub]),
    parseValues('global:\n  constructor: {a: 1}\n  toString: s\n', 'u'),
  );
  assert.equal(
    JSON.stringify((out.sub as Record<string, unknown>).global),
    '{"constructor":{"a":1},"toString":"s"}',
  );
});

test('.Files.AsConfig keeps a file named __proto__', () => {
  const files = [{ name: 'files/__proto__', data: new TextEncoder().encode('x') }] as never;
  const t = new TemplateSet({ funcs: helmFuncs() }).parse('t', '{{ .Files.AsConfig }}');
  assert.equal(t.execute('t', { Files: filesObject(files) }), '__proto__: x');
});
