/**
 * `helm upgrade` (only when the chart or the values changed, compared with the deployed
 * release; otherwise `unchanged`) and `helm rollback`.
 */

import type { KubeObject } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import { coalesceTables, deepCopy } from '../render/coalesce.js';
import type { Release } from '../release/types.js';
import { rfc3339Nano } from '../release/types.js';
import { forgetCapabilities } from './capabilities.js';
import { type ActionConfig, HelmActionError, resourceKey } from './config.js';
import { runHooks } from './hooks.js';
import { crdObjects, dryObjects, install, renderFor, storageFor } from './install.js';
import type { ActionResult, ChartActionOptions } from './options.js';
import { diffValues, planChanges } from './plan.js';
import { newRelease, ownedBy, releaseObjects } from './release-record.js';
import { applyObjects, checkOwnership, deleteObject, deleteObjects, installCrds } from './resources.js';

function userValues(o: ChartActionOptions, current: Release): Record<string, unknown> {
  const given = deepCopy(o.values ?? {});
  if (o.resetValues) return given;
  if (o.reuseValues || o.resetThenReuseValues) return coalesceTables(given, deepCopy(current.config ?? {}));
  if (Object.keys(given).length === 0 && Object.keys(current.config ?? {}).length > 0)
    return deepCopy(current.config);
  return given;
}

/** Install when no release exists, else upgrade (what Sveltos does for each helmChart). */
export async function installOrUpgrade(cfg: ActionConfig, o: ChartActionOptions): Promise<ActionResult> {
  const storage = storageFor(cfg, o.namespace);
  const hist = await storage.history(o.releaseName);
  const last = hist[hist.length - 1];
  if (last === undefined) return install(cfg, o);
  const everDeployed = hist.some((r) => r.info.status === 'deployed' || r.info.status === 'superseded');
  if (!everDeployed && ownedBy(cfg, last)) {
    // A release that never deployed: install again over it (Sveltos' replace), and after
    // recoverAfterConsecutiveFailures failed attempts start from a clean history.
    const failures = hist.filter(
      (r) => r.info.status === 'failed' || r.info.status === 'pending-install',
    ).length;
    const limit = o.recoverAfterConsecutiveFailures ?? 5;
    if (o.dryRun) return install(cfg, { ...o, replace: true });
    if (limit > 0 && failures >= limit) for (const r of hist) await storage.delete(r.name, r.version);
    else if (last.info.status === 'pending-install') await storage.delete(last.name, last.version);
    return install(cfg, { ...o, replace: true });
  }
  if (last.info.status === 'uninstalled' && o.replace) return install(cfg, o);
  return upgrade(cfg, o);
}

export async function upgrade(cfg: ActionConfig, o: ChartActionOptions): Promise<ActionResult> {
  const storage = storageFor(cfg, o.namespace);
  const where = `release ${o.namespace}/${o.releaseName} (cluster ${cfg.client.cluster})`;
  const hist = await storage.history(o.releaseName);
  const last = hist[hist.length - 1];
  if (last === undefined) return install(cfg, o);
  if (!ownedBy(cfg, last) && !o.takeOwnership) {
    throw new HelmActionError(
      'helm.action.conflict',
      `${where} exists and was not installed by ${cfg.owner}; set takeOwnership to adopt it`,
    );
  }
  if (last.info.status.startsWith('pending-')) {
    throw new HelmActionError(
      'helm.action.inProgress',
      `${where}: another operation (install/upgrade/rollback) is in progress (revision ${last.version} is ${last.info.status}); wait, or roll back`,
    );
  }
  const deployed = hist.filter((r) => r.info.status === 'deployed').pop();
  const current = deployed ?? last;
  const version = last.version + 1;
  const r = await renderFor(cfg, o, version, true, userValues(o, current));
  if (
    deployed !== undefined &&
    !o.force &&
    deployed.chart.metadata.name === r.chart.metadata.name &&
    deployed.chart.metadata.version === r.chart.metadata.version &&
    JSON.stringify(deployed.config ?? {}) === JSON.stringify(r.config) &&
    deployed.manifest === r.manifest
  ) {
    return { outcome: 'unchanged', release: deployed, hooksRun: [], warnings: r.warnings };
  }
  const currentObjs = await releaseObjects(cfg, current.manifest, o.namespace, true);
  if (o.dryRun) {
    return {
      outcome: 'dry-run',
      release: newRelease(cfg, r, o.releaseName, o.namespace, version, 'pending-upgrade', 'Dry run complete'),
      changes: planChanges(currentObjs, await dryObjects(cfg, r, o.namespace)),
      valueChanges: diffValues(current.config ?? {}, r.config),
      hooksRun: [],
      warnings: r.warnings,
    };
  }
  const crds = o.skipCRDs ? [] : crdObjects(r);
  if (crds.length > 0 && (await installCrds(cfg, crds, o.upgradeCRDs ?? false)))
    forgetCapabilities(cfg.client);
  const target = await releaseObjects(cfg, r.manifest, o.namespace);
  const currentKeys = new Set(currentObjs.map(resourceKey));
  const toCreate = target.filter((x) => !currentKeys.has(resourceKey(x)));
  await checkOwnership(cfg, toCreate, o.releaseName, o.namespace, o.takeOwnership ?? false);
  const rel = newRelease(
    cfg,
    r,
    o.releaseName,
    o.namespace,
    version,
    'pending-upgrade',
    'Preparing upgrade',
    current.info.first_deployed,
    o.labels ?? last.labels,
  );
  await storage.create(rel);
  const hooksRun: string[] = [];
  const ref = { name: o.releaseName, namespace: o.namespace };
  try {
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, r.hooks, 'pre-upgrade', ref)));
    await applyObjects(cfg, target, o.releaseName, o.namespace, { force: o.force });
    const targetKeys = new Set(target.map(resourceKey));
    await deleteObjects(
      cfg,
      currentObjs.filter((x) => !targetKeys.has(resourceKey(x))),
    );
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, r.hooks, 'post-upgrade', ref)));
    if (o.runTests) hooksRun.push(...(await runHooks(cfg, r.hooks, 'test', ref)));
  } catch (e) {
    rel.info.status = 'failed';
    rel.info.description = `Upgrade "${o.releaseName}" failed: ${errorMessage(e)}`;
    await storage.update(rel);
    if (o.cleanupOnFail) for (const x of toCreate) await deleteObject(cfg, x);
    if (o.atomic && deployed !== undefined) {
      await rollback(cfg, { releaseName: o.releaseName, namespace: o.namespace, version: deployed.version });
      throw new HelmActionError(
        'helm.action.upgrade',
        `${where}: upgrade failed and was rolled back to revision ${deployed.version} (atomic): ${errorMessage(e)}`,
        { cause: e },
      );
    }
    throw e;
  }
  for (const old of hist.filter((x) => x.info.status === 'deployed')) {
    old.info.status = 'superseded';
    await storage.update(old);
  }
  rel.info.status = 'deployed';
  rel.info.description = o.description ?? 'Upgrade complete';
  await storage.update(rel);
  if (o.maxHistory) await storage.prune(o.releaseName, o.maxHistory);
  return { outcome: 'upgraded', release: rel, hooksRun, warnings: r.warnings };
}

export interface RollbackOptions {
  releaseName: string;
  namespace: string;
  /** Revision to roll back to (default: the one before the last). */
  version?: number;
  disableHooks?: boolean;
  maxHistory?: number;
}

/** `helm rollback`: a new revision with the target revision's chart, values, manifest and hooks. */
export async function rollback(cfg: ActionConfig, o: RollbackOptions): Promise<ActionResult> {
  const storage = storageFor(cfg, o.namespace);
  const where = `release ${o.namespace}/${o.releaseName} (cluster ${cfg.client.cluster})`;
  const hist = await storage.history(o.releaseName);
  const last = hist[hist.length - 1];
  if (last === undefined)
    throw new HelmActionError('helm.action.notFound', `${where}: rollback: release: not found`);
  const wanted = o.version ?? last.version - 1;
  const target = hist.find((x) => x.version === wanted);
  if (target === undefined) {
    throw new HelmActionError(
      'helm.action.notFound',
      `${where}: rollback: revision ${wanted} not found (history: ${hist.map((x) => x.version).join(', ')})`,
    );
  }
  const now = rfc3339Nano((cfg.now ?? Date.now)());
  const rel: Release = {
    ...structuredClone(target),
    version: last.version + 1,
    info: {
      first_deployed: last.info.first_deployed,
      last_deployed: now,
      deleted: target.info.deleted,
      description: `Rollback to ${target.version}`,
      status: 'pending-rollback',
      ...(target.info.notes ? { notes: target.info.notes } : {}),
    },
  };
  await storage.create(rel);
  const ref = { name: o.releaseName, namespace: o.namespace };
  const hooks = rel.hooks ?? [];
  const hooksRun: string[] = [];
  try {
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, hooks, 'pre-rollback', ref)));
    const objs: KubeObject[] = await releaseObjects(cfg, rel.manifest, o.namespace);
    await applyObjects(cfg, objs, o.releaseName, o.namespace);
    const keys = new Set(objs.map(resourceKey));
    const cur = await releaseObjects(cfg, last.manifest, o.namespace, true);
    await deleteObjects(
      cfg,
      cur.filter((x) => !keys.has(resourceKey(x))),
    );
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, hooks, 'post-rollback', ref)));
  } catch (e) {
    rel.info.status = 'failed';
    rel.info.description = `Rollback "${o.releaseName}" failed: ${errorMessage(e)}`;
    await storage.update(rel);
    throw e;
  }
  for (const old of hist.filter((x) => x.info.status === 'deployed')) {
    old.info.status = 'superseded';
    await storage.update(old);
  }
  rel.info.status = 'deployed';
  await storage.update(rel);
  if (o.maxHistory) await storage.prune(o.releaseName, o.maxHistory);
  return { outcome: 'rolled-back', release: rel, hooksRun, warnings: [] };
}
