import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { decodeRelease, encodeRelease } from './codec.js';
import { type Release, rfc3339Nano, ZERO_TIME } from './types.js';

const rel: Release = {
  name: 'r',
  info: {
    first_deployed: rfc3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 0)),
    last_deployed: rfc3339Nano(Date.UTC(2026, 0, 2, 3, 4, 5, 120)),
    deleted: ZERO_TIME,
    description: 'Install complete',
    status: 'deployed',
  },
  chart: {
    metadata: { apiVersion: 'v2', name: 'c', version: '1.0.0' },
    lock: null,
    templates: [],
    values: {},
    schema: null,
    files: [],
  },
  config: { a: 1 },
  manifest: '',
  hooks: [],
  version: 1,
  namespace: 'ns',
  labels: { team: 'x' },
};

test('times are Go RFC3339Nano in UTC', () => {
  assert.equal(rel.info.first_deployed, '2026-01-02T03:04:05Z');
  assert.equal(rel.info.last_deployed, '2026-01-02T03:04:05.12Z');
});

test('encode is base64(gzip(json)) without the custom labels; decode reverses it and accepts plain JSON', () => {
  const enc = encodeRelease(rel);
  const json = JSON.parse(gunzipSync(Buffer.from(enc, 'base64')).toString('utf8'));
  assert.equal(json.labels, undefined);
  assert.equal(json.info.deleted, ZERO_TIME);
  const { labels: _l, ...rest } = rel;
  assert.deepEqual(decodeRelease(enc, 'x'), rest);
  assert.deepEqual(decodeRelease(Buffer.from(JSON.stringify(rest)).toString('base64'), 'x'), rest);
  assert.throws(
    () => decodeRelease('bm90IGpzb24=', 'ns/sh.helm.release.v1.r.v1'),
    /ns\/sh\.helm\.release\.v1\.r\.v1 cannot be decoded/,
  );
});
