// The protobuf form of /openapi/v2, decoded with a minimal wire-format reader and checked
// against gnostic's openapi.v2 field numbers (kubectl's explain --output=plaintext-openapiv2
// reads this document; it was checked by hand against kubectl 1.32).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBuiltinTypes } from '../catalog/builtin.js';
import { encodeOpenAPIV2 } from './openapi-v2-proto.js';
import { createPublisher } from './publisher.js';

type Fields = Map<number, (number | Uint8Array)[]>;
const dec = new TextDecoder();

function decode(b: Uint8Array): Fields {
  const out: Fields = new Map();
  let i = 0;
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = b[i++];
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < b.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    let value: number | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1) {
      value = new DataView(b.buffer, b.byteOffset + i, 8).getFloat64(0, true);
      i += 8;
    } else if (wire === 2) {
      const len = varint();
      value = b.subarray(i, i + len);
      i += len;
    } else throw new Error(`unexpected wire type ${wire} at ${i}`);
    assert.ok(i <= b.length, 'field runs past the end of its message');
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const str = (f: Fields, n: number) => dec.decode(f.get(n)?.[0] as Uint8Array);
const msgs = (f: Fields, n: number) => (f.get(n) ?? []).map((v) => decode(v as Uint8Array));
/** Named entries (name = 1, value = 2) of a map-like message field. */
const named = (f: Fields, n: number) =>
  new Map(msgs(f, n).map((e) => [str(e, 1), decode(e.get(2)![0] as Uint8Array)]));

describe('/openapi/v2 as protobuf', () => {
  const types = buildBuiltinTypes();
  const pub = createPublisher();
  const json: any = pub.openapiV2(types);
  const doc = decode(pub.openapiV2Protobuf(types));

  it('encodes the document header and every path', () => {
    assert.equal(str(doc, 1), '2.0');
    assert.equal(str(msgs(doc, 2)[0], 1), 'Kubernetes');
    const paths = named(msgs(doc, 8)[0], 2);
    assert.equal(paths.size, Object.keys(json.paths).length);
    const item = paths.get('/api/v1/namespaces/{namespace}/configmaps/{name}')!;
    const patch = msgs(item, 8)[0];
    assert.equal(str(patch, 5), 'patchCoreV1NamespacedConfigMap');
    const ext = named(patch, 13);
    assert.deepEqual(JSON.parse(str(ext.get('x-kubernetes-group-version-kind')!, 2)), {
      group: '',
      kind: 'ConfigMap',
      version: 'v1',
    });
    // parameters: a $ref (json_reference = 2) and an inline query parameter (parameter = 1 -> non-body = 2 -> query = 3)
    const params = msgs(patch, 8);
    assert.ok(params.some((p) => p.has(2)));
    const inline = params.filter((p) => p.has(1)).map((p) => decode(msgs(p, 1)[0].get(2)![0] as Uint8Array));
    const query = inline.map((nb) => msgs(nb, 3)[0]).filter(Boolean);
    assert.ok(
      query.some((q) => str(q, 4) === 'fieldValidation' && str(q, 2) === 'query' && str(q, 6) === 'string'),
    );
  });

  it('encodes definitions with types, properties, refs and patch extensions', () => {
    const defs = named(msgs(doc, 9)[0], 1);
    assert.equal(defs.size, Object.keys(json.definitions).length);
    const podSpec = defs.get('io.k8s.api.core.v1.PodSpec')!;
    assert.deepEqual(
      msgs(podSpec, 22)[0]
        .get(1)!
        .map((v) => dec.decode(v as Uint8Array)),
      ['object'],
    );
    const props = named(msgs(podSpec, 25)[0], 1);
    const containers = props.get('containers')!;
    const ext = named(containers, 31);
    assert.equal(JSON.parse(str(ext.get('x-kubernetes-patch-merge-key')!, 2)), 'name');
    assert.equal(JSON.parse(str(ext.get('x-kubernetes-patch-strategy')!, 2)), 'merge');
    const items = msgs(msgs(containers, 23)[0], 1)[0];
    assert.equal(str(items, 1), '#/definitions/io.k8s.api.core.v1.Container');
    assert.ok(dec.decode(podSpec.get(19)![0] as Uint8Array), 'required list present');
  });

  it('keeps additionalProperties false, a oneof member, on the wire', () => {
    const b = encodeOpenAPIV2({
      swagger: '2.0',
      paths: {},
      definitions: { X: { type: 'object', additionalProperties: false } },
    });
    const x = named(msgs(decode(b), 9)[0], 1).get('X')!;
    const ap = msgs(x, 21)[0];
    assert.deepEqual(ap.get(2), [0]);
  });

  it('is cached with the JSON document', () => {
    assert.equal(pub.openapiV2Protobuf(types), pub.openapiV2Protobuf([...types].reverse()));
  });
});
