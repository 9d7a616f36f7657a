import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readTar, readTarGz, writeTarGz } from './tar.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

test('round-trips names longer than 100 bytes through a pax header, and empty files', () => {
  const long = `chart/${'d/'.repeat(80)}file.yaml`;
  const entries = [
    { name: 'chart/Chart.yaml', data: enc.encode('name: chart\n') },
    { name: long, data: enc.encode('x'.repeat(1000)) },
    { name: 'chart/empty', data: new Uint8Array() },
  ];
  const back = readTarGz(writeTarGz(entries), 't');
  assert.deepEqual(
    back.map((e) => [e.name, e.data.length]),
    entries.map((e) => [e.name, e.data.length]),
  );
  assert.equal(dec.decode(back[1]!.data), 'x'.repeat(1000));
});

test('the same input gives the same bytes', () => {
  const e = [{ name: 'a/b', data: enc.encode('hi') }];
  assert.deepEqual(writeTarGz(e), writeTarGz(e));
});

test('reads GNU long names, ustar prefixes, skips directories and rejects truncation', () => {
  const block = (name: string, size: number, type: string, prefix = '') => {
    const h = new Uint8Array(512);
    h.set(enc.encode(name), 0);
    h.set(enc.encode(size.toString(8).padStart(11, '0')), 124);
    h[156] = type.charCodeAt(0);
    h.set(enc.encode('ustar\u000000'), 257);
    h.set(enc.encode(prefix), 345);
    return h;
  };
  const pad = (b: Uint8Array) => {
    const out = new Uint8Array(Math.ceil(b.length / 512) * 512);
    out.set(b);
    return out;
  };
  const longName = enc.encode(`top/${'n'.repeat(150)}`);
  const tar = Buffer.concat([
    block('top/', 0, '5'),
    block('././@LongLink', longName.length, 'L'),
    pad(longName),
    block('ignored', 2, '0'),
    pad(enc.encode('ok')),
    block('file.txt', 3, '0', 'top/sub'),
    pad(enc.encode('abc')),
    new Uint8Array(1024),
  ]);
  const got = readTar(tar, 't');
  assert.deepEqual(
    got.map((e) => [e.name, dec.decode(e.data)]),
    [
      [`top/${'n'.repeat(150)}`, 'ok'],
      ['top/sub/file.txt', 'abc'],
    ],
  );
  assert.throws(() => readTar(block('x', 4000, '0'), 'cut.tgz'), /cut.tgz: truncated tar archive/);
  assert.throws(
    () => readTarGz(gzipSync(Buffer.from('x')).subarray(0, 5), 'bad.tgz'),
    /bad.tgz: not a gzipped chart archive/,
  );
});

test('property: any set of files round-trips through writeTarGz/readTarGz', async () => {
  const fc = (await import('fast-check')).default;
  const segment = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/).filter((s) => s !== '.' && s !== '..');
  const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((p) => `top/${p.join('/')}`);
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.record({ name: path, data: fc.uint8Array({ maxLength: 1500 }) }), {
        selector: (e) => e.name,
        maxLength: 8,
      }),
      (entries) => {
        const back = readTarGz(writeTarGz(entries), 'prop');
        assert.deepEqual(
          back.map((e) => [e.name, Buffer.from(e.data).toString('hex')]),
          entries.map((e) => [e.name, Buffer.from(e.data).toString('hex')]),
        );
      },
    ),
    { numRuns: 60 },
  );
});
