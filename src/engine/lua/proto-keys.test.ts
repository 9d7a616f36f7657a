import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from './convert.js';
import { LuaEngine } from './engine.js';
import { evaluateSelector } from './protocols.js';

// Lua string keys named like Object.prototype members are ordinary keys in the JSON result.
const engine = new LuaEngine();

test('a Lua table with __proto__ and constructor keys converts to own keys', () => {
  const s = engine.compile(
    'function evaluate()\nlocal t = {}\nt["__proto__"] = {matching = true}\nt["constructor"] = "c"\nreturn {obj = t, data = obj.data}\nend',
    { name: 'probe' },
  );
  const obj = JSON.parse('{"data":{"__proto__":"p","toString":"t"}}') as JsonObject;
  const r = s.evaluate({ kind: 'object', obj }) as JsonObject;
  assert.equal(JSON.stringify(r.obj), '{"__proto__":{"matching":true},"constructor":"c"}');
  assert.equal(Object.getPrototypeOf(r.obj), Object.prototype);
  assert.deepEqual(Object.keys(r.data as JsonObject).sort(), ['__proto__', 'toString']);
});

test('a result whose __proto__ key holds matching=true does not match', () => {
  const s = engine.compile(
    'function evaluate()\nlocal t = {}\nt["__proto__"] = {matching = true, message = "m"}\nreturn t\nend',
    {
      name: 'probe',
    },
  );
  assert.deepEqual(evaluateSelector(s, {}), { matching: false, message: '' });
});
