import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeSecretValue, KubeconfigSecretError, kubeconfigFromSecret } from './kubeconfig-secret.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (data: Record<string, string>) => ({ metadata: { namespace: 'ns', name: 's' }, data });

test('key order: kubeconfigKeyName, kubeconfig, value, only key', () => {
  assert.equal(kubeconfigFromSecret(secret({ a: b64('A'), b: b64('B') }), 'b').yaml, 'B');
  assert.equal(kubeconfigFromSecret(secret({ value: b64('V'), kubeconfig: b64('K') })).key, 'kubeconfig');
  assert.equal(kubeconfigFromSecret(secret({ value: b64('V'), other: b64('O') })).yaml, 'V');
  assert.equal(kubeconfigFromSecret(secret({ only: b64('ünï') })).yaml, 'ünï');
});

test('unusable Secrets fail with a message naming the Secret and the fix', () => {
  assert.throws(() => kubeconfigFromSecret(secret({})), /Secret ns\/s is empty/);
  assert.throws(
    () => kubeconfigFromSecret(secret({ a: b64('A'), b: b64('B') })),
    (e: unknown) => e instanceof KubeconfigSecretError && /set spec.kubeconfigKeyName/.test(e.message),
  );
  assert.throws(() => kubeconfigFromSecret(secret({ a: b64('A') }), 'x'), /no key "x"/);
  assert.throws(() => kubeconfigFromSecret(secret({ a: '!!!' })), /not valid base64/);
  assert.throws(() => kubeconfigFromSecret(secret({ a: b64('  ') })), /is empty/);
});

test('encodeSecretValue is base64 of UTF-8', () => {
  assert.equal(encodeSecretValue('héllo'), b64('héllo'));
});
