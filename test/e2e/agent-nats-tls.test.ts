// The agent's NATS watcher over mutual TLS: the Secret's rootCA and clientCert are base64 PEM
// (Go []byte in JSON), against a real nats-server that requires client certificates.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  b64,
  cloudEvent,
  type NatsServer,
  NatsAgentHarness,
  natsTlsMaterial,
  startNatsServer,
  until,
} from '../support/nats.js';

let server: NatsServer;
let nc: NatsConnection | undefined;
const h = new NatsAgentHarness();

before(async () => {
  const tls = await natsTlsMaterial();
  server = await startNatsServer({
    jetstream: true,
    tls: { certPem: tls.server.certPem, keyPem: tls.server.keyPem, caPem: tls.caPem, verifyClients: true },
  });
  nc = await connect({
    servers: server.url,
    tls: { ca: tls.caPem, cert: tls.client.certPem, key: tls.client.keyPem },
  });
  await h.open();
  await h.eventSource('user-operation', [{ cloudEventSource: 'auth.example.com' }]);
  await h.setSecret({
    nats: {
      configuration: {
        url: server.url,
        subjects: ['user-operation'],
        authorization: {
          rootCA: b64(tls.caPem),
          clientCert: { certPem: b64(tls.client.certPem), keyPem: b64(tls.client.keyPem) },
        },
      },
    },
  });
  await h.startAgent();
});

after(async () => {
  await nc?.close().catch(() => {});
  await h.close();
  await server?.close();
});

test('client certificate + root CA from the Secret connect to a server that verifies clients', async () => {
  const conn = nc;
  assert.ok(conn);
  let n = 0;
  await until('CloudEvent over TLS recorded', async () => {
    conn.publish('user-operation', cloudEvent({ id: `tls-${n++}`, subject: 'over-tls' }));
    await conn.flush();
    await new Promise((r) => setTimeout(r, 100));
    return (await h.cloudEvents('user-operation')).some((e) => e.subject === 'over-tls');
  });
});

test('the server rejects a client without a certificate (the test setup really requires mTLS)', async () => {
  await assert.rejects(connect({ servers: server.url, maxReconnectAttempts: 0 }));
});
