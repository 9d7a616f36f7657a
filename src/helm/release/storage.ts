/**
 * Helm 3's Secret storage driver (pkg/storage/driver/secrets.go) plus the pieces of
 * pkg/storage the actions use: history, last deployed, `maxHistory` pruning. Records are
 * Secrets `sh.helm.release.v1.<name>.v<version>` of type `helm.sh/release.v1`, so the real
 * `helm` CLI lists and rolls back what flotilla installs, and flotilla reads what Helm wrote.
 */

import { isAlreadyExists, isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';
import { decodeRelease, encodeRelease } from './codec.js';
import { ReleaseStorageError } from './errors.js';
import type { Release } from './types.js';

export const SECRET_TYPE = 'helm.sh/release.v1';

export function secretName(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

const SYSTEM_LABELS = new Set(['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt']);

export class ReleaseStorage {
  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
    /** Seconds since the epoch, for the createdAt/modifiedAt labels. */
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  private secret(rel: Release, timeLabel: 'createdAt' | 'modifiedAt'): Secret {
    const labels: Record<string, string> = { ...(rel.labels ?? {}) };
    labels[timeLabel] = String(this.nowSeconds());
    Object.assign(labels, {
      name: rel.name,
      owner: 'helm',
      status: rel.info.status,
      version: String(rel.version),
    });
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName(rel.name, rel.version), namespace: this.namespace, labels },
      type: SECRET_TYPE,
      data: { release: Buffer.from(encodeRelease(rel), 'utf8').toString('base64') },
    };
  }

  private decode(s: Secret): Release {
    const where = `${this.namespace}/${s.metadata?.name ?? '?'} (cluster ${this.client.cluster})`;
    const raw = s.data?.release;
    if (raw === undefined) {
      throw new ReleaseStorageError('helm.release.decode', `release record ${where} has no data.release`);
    }
    const rel = decodeRelease(Buffer.from(raw, 'base64').toString('utf8'), where);
    const custom: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.metadata?.labels ?? {})) if (!SYSTEM_LABELS.has(k)) custom[k] = v;
    if (Object.keys(custom).length > 0) rel.labels = custom;
    return rel;
  }

  async get(name: string, version: number): Promise<Release | undefined> {
    try {
      const s = await this.client.get<Secret>({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: this.namespace,
        name: secretName(name, version),
      });
      return this.decode(s);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Every release record in the namespace (`helm list -a` data), or of one release name. */
  async list(name?: string): Promise<Release[]> {
    const selector = name === undefined ? 'owner=helm' : `owner=helm,name=${name}`;
    const res = await this.client.list<Secret>(
      { apiVersion: 'v1', kind: 'Secret', namespace: this.namespace },
      { labelSelector: selector },
    );
    return res.items.filter((s) => s.type === SECRET_TYPE || s.type === undefined).map((s) => this.decode(s));
  }

  /** All revisions of a release, oldest first. */
  async history(name: string): Promise<Release[]> {
    return (await this.list(name)).sort((a, b) => a.version - b.version);
  }

  /** The newest revision, whatever its status. */
  async last(name: string): Promise<Release | undefined> {
    const h = await this.history(name);
    return h[h.length - 1];
  }

  /** The newest revision with status `deployed` (Helm's Deployed). */
  async deployed(name: string): Promise<Release | undefined> {
    const h = (await this.history(name)).filter((r) => r.info.status === 'deployed');
    return h[h.length - 1];
  }

  async create(rel: Release): Promise<void> {
    try {
      await this.client.create(this.secret(rel, 'createdAt'));
    } catch (e) {
      if (isAlreadyExists(e)) {
        throw new ReleaseStorageError(
          'helm.release.exists',
          `release record ${secretName(rel.name, rel.version)} already exists in ${this.namespace} (cluster ${this.client.cluster}); another install or upgrade is running or the history is inconsistent`,
          { cause: e },
        );
      }
      throw e;
    }
  }

  async update(rel: Release): Promise<void> {
    await this.client.update(this.secret(rel, 'modifiedAt'));
  }

  async delete(name: string, version: number): Promise<void> {
    try {
      await this.client.delete({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: this.namespace,
        name: secretName(name, version),
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /**
   * Helm's removeLeastRecent: keeps at most `max` revisions (0 = unlimited), never deleting
   * the last deployed one.
   */
  async prune(name: string, max: number): Promise<number[]> {
    if (max <= 0) return [];
    const h = await this.history(name);
    if (h.length <= max) return [];
    const deployed = h.filter((r) => r.info.status === 'deployed').pop();
    const removable = h.filter((r) => r !== deployed);
    const toDelete = removable.slice(0, h.length - max).map((r) => r.version);
    for (const v of toDelete) await this.delete(name, v);
    return toDelete;
  }
}
