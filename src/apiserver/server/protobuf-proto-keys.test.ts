import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtobuf } from './protobuf.js';

// A protobuf map entry keyed `__proto__` (a valid ConfigMap key) is a key, not a prototype.
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
const field = (num: number, bytes: number[]) => [
  ...varint((num << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const str = (s: string) => [...Buffer.from(s)];

test('decodes ConfigMap data keys __proto__ and constructor as own keys', () => {
  const entry = (k: string, v: string) => field(2, [...field(1, str(k)), ...field(2, str(v))]);
  const raw = [...field(1, field(1, str('cm'))), ...entry('__proto__', 'p'), ...entry('constructor', 'c')];
  const typeMeta = [...field(1, str('v1')), ...field(2, str('ConfigMap'))];
  const body = Buffer.from([0x6b, 0x38, 0x73, 0x00, ...field(1, typeMeta), ...field(2, raw)]);
  const o = decodeProtobuf(body);
  assert.equal(JSON.stringify(o.data), '{"__proto__":"p","constructor":"c"}');
});
