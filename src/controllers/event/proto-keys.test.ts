import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderDeep } from './render.js';

// Keys of templated specs named like Object.prototype members are ordinary keys.
test('renderDeep keeps a __proto__ key as a key', () => {
  const v = JSON.parse('{"values":{"__proto__":{"a":"{{ .x }}"},"constructor":"c"}}');
  const out = renderDeep('EventTrigger t', 'spec', v, { x: 'rendered' });
  assert.equal(JSON.stringify(out), '{"values":{"__proto__":{"a":"rendered"},"constructor":"c"}}');
});
