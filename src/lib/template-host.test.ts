import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createPublicKey, X509Certificate } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import {
  bcrypt,
  buildCustomCert,
  decryptAES,
  derivePassword,
  encryptAES,
  genCA,
  genPrivateKey,
  genSelfSignedCert,
  genSignedCert,
  htpasswd,
  nodeTemplateCrypto,
  nodeTemplateInjected,
} from './template-host.js';

test('derivePassword follows the Master Password algorithm (sprig vectors)', () => {
  assert.equal(derivePassword(1, 'long', 'password', 'user', 'example.com'), 'ZedaFaxcZaso9*');
  assert.equal(derivePassword(2, 'long', 'password', 'user', 'example.com'), 'Fovi2@JifpTupx');
  assert.equal(derivePassword(1, 'pin', 'password', 'user', 'example.com'), '6685');
  assert.equal(
    derivePassword(1, 'nope', 'password', 'user', 'example.com'),
    'cannot find password template nope',
  );
});

test('genPrivateKey returns PEM keys of the requested type', () => {
  assert.match(genPrivateKey('ecdsa'), /^-----BEGIN EC PRIVATE KEY-----\n/);
  assert.match(genPrivateKey('ed25519'), /^-----BEGIN PRIVATE KEY-----\n/);
  assert.equal(genPrivateKey('bad'), 'Unknown type bad');
});

test('encryptAES output decrypts with the same password and uses a fresh IV', () => {
  const a = encryptAES('secretkey', 'plaintext');
  const b = encryptAES('secretkey', 'plaintext');
  assert.notEqual(a, b);
  assert.equal(decryptAES('secretkey', a), 'plaintext');
  assert.equal(Buffer.from(a, 'base64').length, 32);
  assert.throws(() => decryptAES('secretkey', 'YWJj'), /block size/);
});

test('buildCustomCert accepts a PEM certificate and rejects garbage', () => {
  // Test data stays in src/ (the compiled test runs from dist/src/lib).
  const dir = fileURLToPath(new URL('../engine/template/funcs/testdata/', import.meta.url)).replace(
    '/dist/src/',
    '/src/',
  );
  const cases = JSON.parse(readFileSync(`${dir}sprig.json`, 'utf8')).cases as {
    id: string;
    template: string;
  }[];
  const tmpl = cases.find((c) => c.id === 'TestBuildCustomCert/01')!.template;
  const [cert, key] = [...tmpl.matchAll(/"([A-Za-z0-9+/=]{100,})"/g)].map((m) => m[1]!);
  const pair = buildCustomCert(cert!, key!);
  assert.match(pair.Cert, /^-----BEGIN CERTIFICATE-----/);
  assert.match(pair.Key, /PRIVATE KEY/);
  assert.throws(() => buildCustomCert('ZmFpbA==', key!), /unable to decode certificate/);
});

test('genCA and genSignedCert produce a verifiable chain with SANs', () => {
  const ca = genCA('my-ca', 365);
  const caCert = new X509Certificate(ca.Cert);
  assert.equal(caCert.ca, true);
  assert.match(caCert.subject, /CN=my-ca/);
  assert.match(ca.Key, /^-----BEGIN RSA PRIVATE KEY-----/);
  const leaf = genSignedCert('svc.ns.svc', ['10.0.0.1'], ['svc', 'svc.ns.svc'], 30, ca);
  const leafCert = new X509Certificate(leaf.Cert);
  assert.equal(leafCert.ca, false);
  assert.ok(leafCert.checkIssued(caCert));
  assert.ok(leafCert.verify(caCert.publicKey));
  assert.match(leafCert.subjectAltName ?? '', /DNS:svc, DNS:svc\.ns\.svc, IP Address:10\.0\.0\.1/);
  const days = (Date.parse(leafCert.validTo) - Date.parse(leafCert.validFrom)) / 86400000;
  assert.ok(days > 29.9 && days < 30.1);
  const self = genSelfSignedCert('self', [], ['a.example'], 1, genPrivateKey('ecdsa'));
  assert.ok(new X509Certificate(self.Cert).verify(createPublicKey(self.Key)));
  assert.throws(() => genSelfSignedCert('x', ['not-an-ip'], [], 1), /error parsing ip/);
});

test('bcrypt and htpasswd produce Go-compatible hashes', () => {
  const h = bcrypt('secret');
  assert.match(h, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.ok(bcryptjs.compareSync('secret', h));
  assert.match(htpasswd('admin', 'pw', 'bcrypt'), /^admin:\$2a\$10\$/);
  assert.equal(htpasswd('admin', 'pw', 'sha'), 'admin:{SHA}GpHWL3ymc5liWkNopqtdSjuqYHM=');
  assert.equal(htpasswd('a:b', 'pw', 'bcrypt'), 'invalid username: a:b');
});

test('nodeTemplateCrypto wires every service', () => {
  const c = nodeTemplateCrypto();
  assert.match(c.genCA('x', 1).Cert, /BEGIN CERTIFICATE/);
  assert.match(c.genSelfSignedCert('x', [], [], 1).Cert, /BEGIN CERTIFICATE/);
  assert.match(c.bcrypt('x'), /^\$2a\$/);
});

test('nodeTemplateInjected gives uniform randomness, bytes, a clock and the crypto services', () => {
  const inj = nodeTemplateInjected({ now: () => 42, env: { HOME: '/root' } });
  for (let i = 0; i < 100; i++) {
    const r = inj.random();
    assert.ok(r >= 0 && r < 1);
  }
  assert.equal(inj.randomBytes(7).length, 7);
  assert.equal(inj.now(), 42);
  assert.equal(inj.env?.HOME, '/root');
  assert.equal(typeof inj.crypto.derivePassword, 'function');
  assert.equal('env' in nodeTemplateInjected(), false);
});
