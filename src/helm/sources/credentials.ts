/**
 * Credentials and TLS settings for a chart source, as resolved by the caller from Sveltos's
 * RegistryCredentialsConfig (the Secrets are read by the controller, not here).
 */

import type { TlsOptions } from './http-client.js';

export interface SourceCredentials extends TlsOptions {
  username?: string;
  password?: string;
  /** A `.dockerconfigjson` document; its entry for the registry host gives username/password. */
  dockerConfigJson?: string;
  /** OCI only: talk to the registry over plain HTTP. */
  plainHTTP?: boolean;
  /** HTTP repositories: send credentials to chart URLs on other hosts too. */
  passCredentialsAll?: boolean;
}

/** Username/password for `host` (`registry:5000`), from explicit fields or a docker config. */
export function userPassFor(
  creds: SourceCredentials | undefined,
  host: string,
): { username: string; password: string } | undefined {
  if (creds === undefined) return undefined;
  if (creds.username !== undefined && creds.username !== '')
    return { username: creds.username, password: creds.password ?? '' };
  if (creds.dockerConfigJson === undefined) return undefined;
  let doc: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    doc = JSON.parse(creds.dockerConfigJson);
  } catch {
    return undefined;
  }
  const auths = doc.auths ?? {};
  for (const [key, entry] of Object.entries(auths)) {
    const k = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    if (k !== host && !(host === 'registry-1.docker.io' && k === 'index.docker.io')) continue;
    if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? '' };
    if (entry.auth !== undefined) {
      const text = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = text.indexOf(':');
      if (i >= 0) return { username: text.slice(0, i), password: text.slice(i + 1) };
    }
  }
  return undefined;
}
