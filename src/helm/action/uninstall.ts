/** `helm uninstall`: pre-delete hooks, objects deleted in UninstallOrder, post-delete hooks, records. */

import { errorMessage } from '../../lib/errors.js';
import { compareKinds, UNINSTALL_ORDER } from '../render/manifests.js';
import { ReleaseStorage } from '../release/storage.js';
import { rfc3339Nano } from '../release/types.js';
import { type ActionConfig, HelmActionError } from './config.js';
import { runHooks } from './hooks.js';
import type { ActionResult } from './options.js';
import { releaseObjects } from './release-record.js';
import { deleteObjects } from './resources.js';

export interface UninstallOptions {
  releaseName: string;
  namespace: string;
  disableHooks?: boolean;
  /** Keep the release records with status `uninstalled`. */
  keepHistory?: boolean;
  dryRun?: boolean;
  description?: string;
}

export async function uninstall(cfg: ActionConfig, o: UninstallOptions): Promise<ActionResult> {
  const now = cfg.now ?? Date.now;
  const storage = new ReleaseStorage(cfg.client, o.namespace, () => Math.floor(now() / 1000));
  const hist = await storage.history(o.releaseName);
  const where = `release ${o.namespace}/${o.releaseName} (cluster ${cfg.client.cluster})`;
  const rel = hist[hist.length - 1];
  if (rel === undefined) {
    throw new HelmActionError(
      'helm.action.notFound',
      `${where}: uninstall: release: not found; nothing to uninstall`,
    );
  }
  const hooksRun: string[] = [];
  const objects = await releaseObjects(cfg, rel.manifest, o.namespace, true);
  const cmp = compareKinds(UNINSTALL_ORDER);
  const ordered = objects
    .map((x, i) => ({ x, i }))
    .sort((a, b) => cmp(a.x.kind ?? '', b.x.kind ?? '') || a.i - b.i);
  if (o.dryRun) {
    return {
      outcome: 'dry-run',
      release: rel,
      changes: ordered.map(({ x }) => ({ action: 'delete', object: `${x.kind} ${x.metadata?.name}` })),
      hooksRun,
      warnings: [],
    };
  }
  if (rel.info.status === 'uninstalled') {
    if (!o.keepHistory) for (const r of hist) await storage.delete(r.name, r.version);
    return { outcome: 'uninstalled', release: rel, hooksRun, warnings: [] };
  }
  rel.info.status = 'uninstalling';
  rel.info.deleted = rfc3339Nano(now());
  await storage.update(rel);
  const ref = { name: o.releaseName, namespace: o.namespace };
  const hooks = rel.hooks ?? [];
  const warnings: string[] = [];
  try {
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, hooks, 'pre-delete', ref)));
    const kept = await deleteObjects(
      cfg,
      ordered.map(({ x }) => x),
    );
    if (kept.length > 0)
      warnings.push(`These resources were kept due to the resource policy: ${kept.join(', ')}`);
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, hooks, 'post-delete', ref)));
  } catch (e) {
    rel.info.status = 'failed';
    rel.info.description = `Uninstallation failed: ${errorMessage(e)}`;
    await storage.update(rel);
    throw e;
  }
  rel.info.status = 'uninstalled';
  rel.info.description = o.description ?? 'Uninstallation complete';
  if (o.keepHistory) await storage.update(rel);
  else for (const r of hist) await storage.delete(r.name, r.version);
  return { outcome: 'uninstalled', release: rel, hooksRun, warnings };
}
