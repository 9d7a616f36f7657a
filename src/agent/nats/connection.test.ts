import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionOptions } from './connection.js';

test('user/password, token and TLS material map to nats.js options; reconnect forever', () => {
  const user = connectionOptions(
    'nats://a:4222, nats://b:4222',
    { user: { user: 'u', password: 'p' } },
    'agent',
  );
  assert.deepEqual(user.servers, ['nats://a:4222', 'nats://b:4222']);
  assert.equal(user.user, 'u');
  assert.equal(user.pass, 'p');
  assert.equal(user.token, undefined);
  assert.equal(user.tls, undefined);
  assert.equal(user.maxReconnectAttempts, -1);
  assert.equal(user.name, 'agent');

  const tls = connectionOptions(
    'tls://a:4222',
    { token: 't', rootCA: 'CA', clientCert: { certPem: 'C', keyPem: 'K' } },
    'x',
    {
      reconnectTimeWaitMs: 10,
    },
  );
  assert.equal(tls.token, 't');
  assert.deepEqual(tls.tls, { ca: 'CA', cert: 'C', key: 'K' });
  assert.equal(tls.reconnectTimeWait, 10);
});
