import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../contracts.js';
import { decodeProtobuf } from './protobuf.js';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
function field(num: number, bytes: number[]): number[] {
  return [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
}
const str = (s: string) => [...Buffer.from(s)];

function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  const typeMeta = [...field(1, str(apiVersion)), ...field(2, str(kind))];
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...field(1, typeMeta), ...field(2, raw)]);
}

test('decodes a ConfigMap with metadata, labels and data', () => {
  const meta = [
    ...field(1, str('cm')),
    ...field(3, str('ns')),
    ...field(11, [...field(1, str('app')), ...field(2, str('x'))]),
  ];
  const raw = [...field(1, meta), ...field(2, [...field(1, str('k')), ...field(2, str('v'))])];
  assert.deepEqual(decodeProtobuf(envelope('v1', 'ConfigMap', raw)), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'ns', labels: { app: 'x' } },
    data: { k: 'v' },
  });
});

test('Secret data bytes become base64', () => {
  const raw = [
    ...field(1, field(1, str('s'))),
    ...field(2, [...field(1, str('p')), ...field(2, str('hunter2'))]),
  ];
  assert.deepEqual(decodeProtobuf(envelope('v1', 'Secret', raw)).data, {
    p: Buffer.from('hunter2').toString('base64'),
  });
});

test('bad input is a 400, unsupported kinds a 415', () => {
  const is = (code: number) => (e: unknown) => e instanceof ApiError && e.code === code;
  assert.throws(() => decodeProtobuf(Buffer.from('{"json":true}')), is(400));
  assert.throws(() => decodeProtobuf(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x50, 0x01])), is(400));
  assert.throws(() => decodeProtobuf(envelope('v1', 'Pod', [])), is(415));
});

const vint = (num: number, n: number) => [...varint(num << 3), ...varint(n)];

test('IntOrString fields decode to a number (even 0) or a string', () => {
  const intPort = [...vint(1, 0), ...vint(2, 8080), ...field(3, [])];
  const strPort = [...vint(1, 1), ...vint(2, 0), ...field(3, str('https'))];
  const zero = [...vint(1, 0), ...vint(2, 0)];
  const port = (target: number[]) => [...field(1, str('p')), ...vint(3, 80), ...field(4, target)];
  const spec = [...field(1, port(intPort)), ...field(1, port(strPort)), ...field(1, port(zero))];
  const svc = decodeProtobuf(envelope('v1', 'Service', [...field(1, field(1, str('s'))), ...field(2, spec)]));
  assert.deepEqual(
    (svc.spec as { ports: { targetPort: unknown }[] }).ports.map((p) => p.targetPort),
    [8080, 'https', 0],
  );
});

test('inline structs merge into their parent; quantities become strings', () => {
  const backend = field(4, [...field(1, str('svc')), ...field(2, vint(2, 80))]);
  const path = [...field(1, str('/')), ...field(2, backend), ...field(3, str('Prefix'))];
  const rule = [...field(1, str('a.example.com')), ...field(2, field(1, field(1, path)))];
  const ing = decodeProtobuf(
    envelope('networking.k8s.io/v1', 'Ingress', [
      ...field(1, field(1, str('i'))),
      ...field(2, field(3, rule)),
    ]),
  );
  assert.deepEqual((ing.spec as { rules: unknown[] }).rules, [
    {
      host: 'a.example.com',
      http: {
        paths: [
          { path: '/', backend: { service: { name: 'svc', port: { number: 80 } } }, pathType: 'Prefix' },
        ],
      },
    },
  ]);
  const hard = field(1, [...field(1, str('cpu')), ...field(2, field(1, str('500m')))]);
  const q = decodeProtobuf(
    envelope('v1', 'ResourceQuota', [...field(1, field(1, str('q'))), ...field(2, hard)]),
  );
  assert.deepEqual((q.spec as { hard: unknown }).hard, { cpu: '500m' });
});
