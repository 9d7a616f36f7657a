/**
 * Where a kustomizationRef's directory tree comes from: a ConfigMap/Secret holding a tar.gz
 * (binaryData or base64 data, Sveltos' format), a `remoteURL` (http/https tar.gz), or a Flux
 * source (GitRepository / OCIRepository / Bucket) whose `status.artifact.url` is fetched. Failures
 * are returned as messages naming the reference and saying what to do; nothing is thrown.
 */
import { createHash } from 'node:crypto';
import type { KustomizationRef } from '../../api/index.js';
import type { FileTree } from '../../engine/kustomize/index.js';
import { readTarGz } from '../../helm/chart/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import type { CacheReader } from '../../runtime/index.js';
import { renderRefName } from './render.js';

export interface KustomizeSource {
  ref: KustomizationRef;
  /** The reference as recorded in the ownership annotations. */
  kind: string;
  namespace: string;
  name: string;
  tree: FileTree;
  /** Content identity for the feature hash (digest/revision or the archive bytes' length+sum). */
  revision: string;
  /** A remote URL is polled: re-check after this many milliseconds. */
  pollMs?: number;
}

export type SourceResult = { source: KustomizeSource } | { error: string } | { skipped: string };

export interface SourceEnv {
  mgmt: KubeClient;
  caches: { configMaps: CacheReader; secrets: CacheReader };
  cluster: KubeObject;
  /** A Profile's namespace: references must stay in it. */
  profileNamespace: string | undefined;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const FLUX_GROUP = 'source.toolkit.fluxcd.io';
const FLUX_VERSIONS = ['v1', 'v1beta2'];
const MAX_ARCHIVE = 50 * 1024 * 1024;
/** How often a Flux source's artifact is looked at again (they are not watched). */
export const FLUX_POLL_MS = 60_000;
/** A remote or Flux source that could not be read is tried again after this long. */
export const SOURCE_RETRY_MS = 30_000;

function fromBase64(v: string): Uint8Array {
  return new Uint8Array(Buffer.from(v, 'base64'));
}

/** The tar.gz entries as a tree: `./` prefixes dropped, directories implied. */
export function treeOfArchive(gz: Uint8Array, where: string): FileTree {
  const tree = new Map<string, Uint8Array>();
  for (const e of readTarGz(gz, where)) {
    const name = e.name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
    if (name === '' || name.endsWith('/')) continue;
    tree.set(name, e.data);
  }
  return tree;
}

function checksum(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Go duration (`5m`, `1h30m`, `90s`) in milliseconds; undefined when not one. */
export function durationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let m: RegExpExecArray | null = re.exec(text);
  if (!m) return undefined;
  while (m) {
    total += Number.parseFloat(m[1] as string) * (unit[m[2] as string] as number);
    if (re.lastIndex === text.length) return total;
    m = re.exec(text);
  }
  return undefined;
}

/** Authorization from a remoteURL `secretRef` (keys `token`, or `username` + `password`). */
function authHeaders(ref: KustomizationRef, env: SourceEnv, where: string): Record<string, string> {
  const sr = ref.remoteURL?.secretRef;
  if (!sr?.name) return {};
  const ns = sr.namespace || (env.cluster.metadata?.namespace ?? '');
  const secret = env.caches.secrets.getByName(ns, sr.name) as
    | (KubeObject & { data?: Record<string, string> })
    | undefined;
  if (!secret)
    throw new Error(`${where}: secretRef Secret ${ns}/${sr.name} not found in the management cluster`);
  const get = (k: string) =>
    secret.data?.[k] ? Buffer.from(secret.data[k], 'base64').toString('utf8') : undefined;
  const token = get('token');
  if (token) return { authorization: `Bearer ${token}` };
  const user = get('username');
  const pass = get('password');
  if (user !== undefined && pass !== undefined)
    return { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
  throw new Error(`${where}: secretRef Secret ${ns}/${sr.name} needs key token, or username and password`);
}

async function download(
  url: string,
  env: SourceEnv,
  where: string,
  headers: Record<string, string> = {},
): Promise<Uint8Array> {
  const res = await (env.fetch ?? fetch)(url, { headers, ...(env.signal ? { signal: env.signal } : {}) });
  if (!res.ok) throw new Error(`${where}: GET ${url} answered ${res.status} ${res.statusText}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_ARCHIVE)
    throw new Error(`${where}: ${url} is larger than ${MAX_ARCHIVE} bytes; split the kustomization`);
  return bytes;
}

function fromObject(
  ref: KustomizationRef,
  obj: KubeObject,
  kind: 'ConfigMap' | 'Secret',
  where: string,
): Uint8Array {
  const o = obj as KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string> };
  const entries = [
    ...Object.entries(o.binaryData ?? {}),
    // A Secret's data is base64; so is a ConfigMap data value holding the archive as text.
    ...Object.entries(o.data ?? {}),
  ].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (entries.length !== 1)
    throw new Error(
      `${where}: must hold exactly one key with the tar.gz of the kustomize directory (kubectl create ${kind.toLowerCase()} ${ref.name} --from-file=kustomize.tar.gz), found ${entries.length}`,
    );
  return fromBase64((entries[0] as [string, string])[1]);
}

async function fluxArtifact(
  env: SourceEnv,
  kind: string,
  namespace: string,
  name: string,
  where: string,
): Promise<{ notReady: string } | { url: string; revision: string }> {
  let obj: KubeObject | undefined;
  for (const v of FLUX_VERSIONS) {
    try {
      obj = await env.mgmt.get({ apiVersion: `${FLUX_GROUP}/${v}`, kind, namespace, name });
      break;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const artifact = (
    obj?.status as { artifact?: { url?: string; revision?: string; digest?: string } } | undefined
  )?.artifact;
  if (!obj || !artifact?.url)
    return {
      notReady: `${where}: source not ready (${obj ? 'no status.artifact.url yet' : `no ${kind} ${namespace}/${name} found; is Flux installed?`})`,
    };
  return { url: artifact.url, revision: artifact.digest ?? artifact.revision ?? artifact.url };
}

/** Reads one kustomizationRef's tree. */
export async function resolveKustomizeSource(
  ref: KustomizationRef,
  index: number,
  env: SourceEnv,
): Promise<SourceResult> {
  const field = `kustomizationRefs[${index}]`;
  const cluster = env.cluster as Record<string, unknown>;
  try {
    if (ref.remoteURL?.url) {
      const url = ref.remoteURL.url;
      const where = `${field} remoteURL ${url}`;
      if (!/^https?:\/\//.test(url))
        return {
          error: `${where}: only http(s) tar.gz URLs are supported by flotilla (oci:// is not yet); use a ConfigMap or an https URL`,
        };
      const bytes = await download(url, env, where, authHeaders(ref, env, where));
      return {
        source: {
          ref,
          kind: 'RemoteURL',
          namespace: '',
          name: url,
          tree: treeOfArchive(bytes, where),
          revision: checksum(bytes),
          pollMs: durationMs(ref.remoteURL.interval) ?? 5 * 60_000,
        },
      };
    }
    const kind = ref.kind ?? 'ConfigMap';
    const name = renderRefName(ref.name, cluster);
    const namespace = renderRefName(ref.namespace, cluster) || (env.cluster.metadata?.namespace ?? '');
    const where = `${field} ${kind} ${namespace}/${name}`;
    if (!name) return { error: `${field}: name (or remoteURL) is required` };
    if (env.profileNamespace !== undefined && namespace !== env.profileNamespace)
      return {
        error: `${where}: a Profile can only reference objects of its own namespace ${env.profileNamespace}: leave the reference namespace empty`,
      };
    let bytes: Uint8Array;
    let revision: string;
    if (kind === 'ConfigMap' || kind === 'Secret') {
      const cache = kind === 'ConfigMap' ? env.caches.configMaps : env.caches.secrets;
      const obj = cache.getByName(namespace, name);
      if (!obj) {
        if (ref.optional) return { skipped: `${where}: not found (optional)` };
        return {
          error: `${where}: not found in the management cluster: create it or mark the reference optional`,
        };
      }
      bytes = fromObject(ref, obj, kind, where);
      revision = checksum(bytes);
    } else {
      const a = await fluxArtifact(env, kind, namespace, name, where);
      if ('notReady' in a) return ref.optional ? { skipped: a.notReady } : { error: a.notReady };
      bytes = await download(a.url, env, where);
      revision = a.revision;
    }
    return {
      source: {
        ref,
        kind,
        namespace,
        name,
        tree: treeOfArchive(bytes, where),
        revision,
        // Flux sources are not watched: look for a new artifact now and then.
        ...(kind === 'ConfigMap' || kind === 'Secret' ? {} : { pollMs: FLUX_POLL_MS }),
      },
    };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}
