import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineDecoder } from './watch-decoder.js';

const enc = new TextEncoder();

test('decodes documents split across chunks, including inside a multi-byte character', () => {
  const d = new LineDecoder();
  const text = '{"type":"ADDED","object":{"v":"é"}}\n{"type":"DELETED","object":{}}\n';
  const bytes = enc.encode(text);
  const out: unknown[] = [];
  // é is two bytes; split every byte to cover every boundary.
  for (let i = 0; i < bytes.length; i++) out.push(...d.push(bytes.subarray(i, i + 1)));
  out.push(...d.end());
  assert.deepEqual(out, [
    { type: 'ADDED', object: { v: 'é' } },
    { type: 'DELETED', object: {} },
  ]);
});

test('keeps an unterminated document until end()', () => {
  const d = new LineDecoder();
  assert.deepEqual(d.push(enc.encode('{"a":1}\n\n{"b"')), [{ a: 1 }]);
  assert.deepEqual(d.push(enc.encode(':2}')), []);
  assert.deepEqual(d.end(), [{ b: 2 }]);
});
