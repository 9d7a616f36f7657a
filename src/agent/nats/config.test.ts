import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configHash, NatsConfigError, parseNatsConfig, secretConfigText } from './config.js';

const pemB64 = (label: string) =>
  Buffer.from(`-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`).toString('base64');

function fails(json: unknown, field: string, problem: RegExp): void {
  assert.throws(
    () => parseNatsConfig(typeof json === 'string' ? json : JSON.stringify(json)),
    (err: unknown) => {
      assert.ok(err instanceof NatsConfigError, String(err));
      assert.equal(err.field, field);
      assert.match(err.message, problem);
      assert.match(err.message, /sveltos-nats/);
      return true;
    },
  );
}

test('parses the seed format (nats with user/password)', () => {
  const c = parseNatsConfig(
    JSON.stringify({
      nats: {
        configuration: {
          url: 'nats://nats.nats.svc.cluster.local:4222',
          subjects: ['user-operation'],
          authorization: { user: { user: 'admin', password: 'my-password' } },
        },
      },
    }),
  );
  assert.deepEqual(c, {
    nats: {
      url: 'nats://nats.nats.svc.cluster.local:4222',
      subjects: ['user-operation'],
      auth: { user: { user: 'admin', password: 'my-password' } },
    },
  });
});

test('parses jetstream streams, token, and base64 PEM certificates', () => {
  const c = parseNatsConfig(
    JSON.stringify({
      jetstream: {
        configuration: {
          url: 'tls://js:4222',
          streams: [{ name: 'EVENTS', subjects: ['events.>'] }, { name: 'OTHER' }],
          authorization: {
            token: 's3cret',
            clientCert: { certPem: pemB64('CERTIFICATE'), keyPem: pemB64('PRIVATE KEY') },
            rootCA: pemB64('CERTIFICATE'),
          },
        },
      },
    }),
  );
  assert.deepEqual(c.jetstream?.streams, [
    { name: 'EVENTS', subjects: ['events.>'] },
    { name: 'OTHER', subjects: [] },
  ]);
  assert.equal(c.jetstream?.auth.token, 's3cret');
  assert.match(c.jetstream?.auth.clientCert?.certPem ?? '', /^-----BEGIN CERTIFICATE-----/);
  assert.match(c.jetstream?.auth.rootCA ?? '', /BEGIN CERTIFICATE/);
  assert.equal(c.nats, undefined);
});

test('v0.51 jetstream.configuration.subjects are stream names', () => {
  const c = parseNatsConfig(
    JSON.stringify({ jetstream: { configuration: { url: 'nats://x:4222', subjects: ['S1'] } } }),
  );
  assert.deepEqual(c.jetstream?.streams, [{ name: 'S1', subjects: [] }]);
});

test('errors name the field', () => {
  fails('{not json', '(root)', /not JSON/);
  fails({}, '(root)', /neither "nats" nor "jetstream"/);
  fails({ nats: {} }, 'nats.configuration', /required/);
  fails({ nats: { configuration: { subjects: ['a'] } } }, 'nats.configuration.url', /non-empty string/);
  fails({ nats: { configuration: { url: 'http://x', subjects: [] } } }, 'nats.configuration.url', /scheme/);
  fails(
    { nats: { configuration: { url: 'nats://x', subjects: 'a' } } },
    'nats.configuration.subjects',
    /list/,
  );
  fails(
    { nats: { configuration: { url: 'nats://x', subjects: ['a b'] } } },
    'nats.configuration.subjects[0]',
    /spaces/,
  );
  fails(
    { nats: { configuration: { url: 'nats://x', authorization: { user: { user: 'u' } } } } },
    'nats.configuration.authorization.user.password',
    /non-empty/,
  );
  fails(
    { jetstream: { configuration: { url: 'nats://x', authorization: { rootCA: '-----BEGIN CERT' } } } },
    'jetstream.configuration.authorization.rootCA',
    /base64/,
  );
  fails(
    {
      jetstream: {
        configuration: {
          url: 'nats://x',
          authorization: { rootCA: Buffer.from('hello').toString('base64') },
        },
      },
    },
    'jetstream.configuration.authorization.rootCA',
    /not PEM/,
  );
  fails(
    { jetstream: { configuration: { url: 'nats://x', streams: [{ name: 'A' }, { name: 'A' }] } } },
    'jetstream.configuration.streams[1].name',
    /twice/,
  );
  fails(
    { jetstream: { configuration: { url: 'nats://x', streams: [{}] } } },
    'jetstream.configuration.streams[0].name',
    /non-empty/,
  );
});

test('secret text from data (base64) or stringData, and its hash', () => {
  const text = '{"nats":{}}';
  assert.equal(secretConfigText({ data: { 'sveltos-nats': Buffer.from(text).toString('base64') } }), text);
  assert.equal(secretConfigText({ stringData: { 'sveltos-nats': text } }), text);
  assert.equal(secretConfigText({}), undefined);
  assert.equal(configHash(undefined), '');
  assert.equal(configHash(text), configHash(text));
  assert.notEqual(configHash(text), configHash(`${text} `));
});
