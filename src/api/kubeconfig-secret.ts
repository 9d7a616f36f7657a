import { FlotillaError } from '../lib/errors.js';
import type { Secret } from './meta.js';

/** A kubeconfig Secret that cannot be used: missing key, bad encoding, empty. */
export class KubeconfigSecretError extends FlotillaError {
  override readonly name = 'KubeconfigSecretError';

  constructor(message: string) {
    super('kubeconfig-secret', message);
  }
}

/** Keys tried, in order, when the cluster does not name one. */
const DEFAULT_KEYS = ['kubeconfig', 'value'];

function decodeBase64(b64: string, where: string): string {
  let bin: string;
  try {
    bin = atob(b64.replace(/\s+/g, ''));
  } catch {
    throw new KubeconfigSecretError(
      `${where} is not valid base64: rewrite the Secret with the kubeconfig in data`,
    );
  }
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KubeconfigSecretError(`${where} is not UTF-8 text: store a kubeconfig YAML document`);
  }
}

/**
 * The kubeconfig text of a cluster's Secret: the key `keyName` when given, else `kubeconfig`,
 * else `value`, else the Secret's only key. `stringData` is honoured for Secrets that were never
 * stored (the API server folds it into `data`).
 */
export function kubeconfigFromSecret(secret: Secret, keyName?: string): { key: string; yaml: string } {
  const ns = secret.metadata?.namespace ?? '';
  const ref = `Secret ${ns}/${secret.metadata?.name ?? '?'}`;
  const data = secret.data ?? {};
  const str = secret.stringData ?? {};
  const keys = [...new Set([...Object.keys(data), ...Object.keys(str)])];
  let key: string | undefined;
  if (keyName) {
    if (!keys.includes(keyName))
      throw new KubeconfigSecretError(
        `${ref} has no key "${keyName}" (spec.kubeconfigKeyName); it has [${keys.join(', ')}]: fix the key name or the Secret`,
      );
    key = keyName;
  } else {
    key = DEFAULT_KEYS.find((k) => keys.includes(k)) ?? (keys.length === 1 ? keys[0] : undefined);
    if (!key)
      throw new KubeconfigSecretError(
        keys.length === 0
          ? `${ref} is empty: store the kubeconfig under key "kubeconfig"`
          : `${ref} has several keys [${keys.join(', ')}] and none is "kubeconfig" or "value": set spec.kubeconfigKeyName`,
      );
  }
  const yaml = key in str ? str[key] : decodeBase64(data[key], `${ref} key "${key}"`);
  if (yaml.trim() === '')
    throw new KubeconfigSecretError(`${ref} key "${key}" is empty: store a kubeconfig there`);
  return { key, yaml };
}

/** Encodes kubeconfig text as Secret data (base64 of UTF-8). */
export function encodeSecretValue(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
