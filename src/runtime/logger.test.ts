import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from './logger.js';

test('credentials are redacted, child loggers carry their context', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = createLogger({ level: 'info', destination }).child({ controller: 'c', cluster: 'k1' });
  log.info(
    { token: 'sekret', secret: { data: { password: 'cGFzcw==' } }, headers: { Authorization: 'Bearer x' } },
    'hi',
  );
  const rec = JSON.parse(lines[0]!);
  assert.equal(rec.controller, 'c');
  assert.equal(rec.cluster, 'k1');
  assert.equal(rec.token, '[redacted]');
  assert.equal(rec.secret.data, '[redacted]');
  assert.equal(rec.headers.Authorization, '[redacted]');
  assert.doesNotMatch(lines[0]!, /sekret|cGFzcw|Bearer/);
});
