/**
 * What every Helm action needs: the target cluster's client, how to write objects, the clock,
 * and an optional owner stamped on release records (so that releases flotilla did not install
 * are only adopted with `takeOwnership`).
 */

import { createHash } from 'node:crypto';
import { FlotillaError } from '../../lib/errors.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import { splitManifests } from '../render/manifests.js';
import { parse as parseYaml } from 'yaml';
import type { Capabilities } from '../render/objects.js';

export interface ActionConfig {
  client: KubeClient;
  /** Field manager for server-side apply (default `helm`). */
  fieldManager?: string;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
  /** Capabilities to render with; default: read from the cluster once per client. */
  capabilities?: Capabilities;
  /**
   * Written as label `flotilla.dev/release-owner` on release records (hashed when it is not a
   * valid label value). A release whose records
   * carry another owner (or none, e.g. installed by the helm CLI) is a conflict unless
   * `takeOwnership` is set.
   */
  owner?: string;
}

export const OWNER_LABEL = 'flotilla.dev/release-owner';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The owner as a label value: itself when valid, else `sha256-` + 40 hex digits of it. */
export function ownerLabelValue(owner: string): string {
  if (owner.length <= 63 && LABEL_VALUE.test(owner)) return owner;
  return `sha256-${createHash('sha256').update(owner).digest('hex').slice(0, 40)}`;
}

/** A Helm action failed (`helm.action.*`): conflict, in-progress operation, hook failure, apply failure. */
export class HelmActionError extends FlotillaError {
  override readonly name = 'HelmActionError';
}

/** apiVersion/kind/namespace/name of an object, as a stable key. */
export function resourceKey(o: KubeObject): string {
  const group = (o.apiVersion ?? '').includes('/') ? (o.apiVersion ?? '').split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

export function describeObject(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}

/** Parses every document of a manifest text (release manifest or hook manifest). */
export function parseObjects(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of splitManifests(text)) {
    let o: KubeObject | null;
    try {
      o = parseYaml(doc) as KubeObject | null;
    } catch (e) {
      const source = /^# Source: (.*)$/m.exec(doc)?.[1] ?? 'the manifest';
      throw new HelmActionError(
        'helm.action.manifest',
        `YAML parse error on ${source}: ${(e as Error).message}; fix the template so that it renders valid YAML`,
        { cause: e },
      );
    }
    if (o !== null && typeof o === 'object' && o.kind) out.push(o);
  }
  return out;
}
