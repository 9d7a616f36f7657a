/** Building release records from a render, and reading a release's objects back. */

import { isNotFound, type KubeObject } from '../../kube/index.js';
import type { RenderResult } from '../render/render.js';
import { releaseChart } from '../release/codec.js';
import { type Release, type ReleaseStatus, rfc3339Nano, ZERO_TIME } from '../release/types.js';
import { type ActionConfig, OWNER_LABEL, ownerLabelValue, parseObjects } from './config.js';
import { withNamespace } from './resources.js';

export function newRelease(
  cfg: ActionConfig,
  r: RenderResult,
  name: string,
  namespace: string,
  version: number,
  status: ReleaseStatus,
  description: string,
  firstDeployed?: string,
  labels?: Record<string, string>,
): Release {
  const now = rfc3339Nano((cfg.now ?? Date.now)());
  const lbl = { ...(labels ?? {}) };
  if (cfg.owner !== undefined) lbl[OWNER_LABEL] = ownerLabelValue(cfg.owner);
  return {
    name,
    info: {
      first_deployed: firstDeployed ?? now,
      last_deployed: now,
      deleted: ZERO_TIME,
      description,
      status,
      ...(r.notes !== '' ? { notes: r.notes } : {}),
    },
    chart: releaseChart(r.chart),
    config: r.config,
    manifest: r.manifest,
    hooks: r.hooks,
    version,
    namespace,
    ...(Object.keys(lbl).length > 0 ? { labels: lbl } : {}),
  };
}

/** The objects of a release manifest, with namespaces defaulted to the release namespace. */
export async function releaseObjects(
  cfg: ActionConfig,
  manifest: string,
  namespace: string,
  tolerant = false,
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const o of parseObjects(manifest)) {
    try {
      out.push(await withNamespace(cfg, o, namespace));
    } catch (e) {
      // Uninstall/upgrade of a release whose kind is no longer served: nothing left to delete.
      if (!tolerant || !isNotFound(e)) throw e;
    }
  }
  return out;
}

/** True when the release records were written by this owner (or no owner is configured). */
export function ownedBy(cfg: ActionConfig, rel: Release): boolean {
  if (cfg.owner === undefined) return true;
  return rel.labels?.[OWNER_LABEL] === ownerLabelValue(cfg.owner);
}
