/** `helm install`, and rendering against the target cluster shared with upgrade. */

import { isNotFound, type KubeObject } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import { parse as parseYaml } from 'yaml';
import { type RenderResult, renderChart } from '../render/render.js';
import { ReleaseStorage } from '../release/storage.js';
import { clusterCapabilities, forgetCapabilities } from './capabilities.js';
import { type ActionConfig, HelmActionError } from './config.js';
import { runHooks } from './hooks.js';
import type { ActionResult, ChartActionOptions } from './options.js';
import { planChanges } from './plan.js';
import { newRelease, ownedBy, releaseObjects } from './release-record.js';
import { applyObjects, checkOwnership, ensureNamespace, installCrds } from './resources.js';
import { uninstall } from './uninstall.js';

export function storageFor(cfg: ActionConfig, namespace: string): ReleaseStorage {
  const now = cfg.now ?? Date.now;
  return new ReleaseStorage(cfg.client, namespace, () => Math.floor(now() / 1000));
}

/** Renders for the target cluster: its capabilities, `lookup` answered from it. */
export async function renderFor(
  cfg: ActionConfig,
  o: ChartActionOptions,
  revision: number,
  isUpgrade: boolean,
  values: Record<string, unknown>,
): Promise<RenderResult> {
  const caps = cfg.capabilities ?? (await clusterCapabilities(cfg.client));
  const r = await renderChart(o.chart, {
    release: { name: o.releaseName, namespace: o.namespace, revision, isUpgrade, isInstall: !isUpgrade },
    values,
    capabilities: caps,
    skipSchemaValidation: o.skipSchemaValidation,
    subNotes: o.subNotes,
    lookup: async (apiVersion, kind, namespace, name) => {
      try {
        if (name !== '') return await cfg.client.get({ apiVersion, kind, namespace, name });
        const list = await cfg.client.list({ apiVersion, kind, namespace: namespace || undefined });
        return {
          apiVersion,
          kind: `${kind}List`,
          metadata: { resourceVersion: list.resourceVersion },
          items: list.items,
        };
      } catch (e) {
        if (isNotFound(e)) return {};
        throw e;
      }
    },
  });
  return o.postRender ? { ...r, manifest: o.postRender(r.manifest) } : r;
}

export function crdObjects(r: RenderResult): KubeObject[] {
  const out: KubeObject[] = [];
  for (const c of r.crds) for (const o of parseObjectsLoose(c.content)) out.push(o);
  return out;
}

function parseObjectsLoose(text: string): KubeObject[] {
  return text
    .split(/^---\s*$/m)
    .map((d) => parseYaml(d) as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object' && typeof o.kind === 'string');
}

export async function install(cfg: ActionConfig, o: ChartActionOptions): Promise<ActionResult> {
  const storage = storageFor(cfg, o.namespace);
  const where = `release ${o.namespace}/${o.releaseName} (cluster ${cfg.client.cluster})`;
  const last = await storage.last(o.releaseName);
  if (last !== undefined) {
    if (!ownedBy(cfg, last) && !o.takeOwnership) {
      throw new HelmActionError(
        'helm.action.conflict',
        `${where} exists and was not installed by ${cfg.owner}; set takeOwnership to adopt it`,
      );
    }
    const reusable = last.info.status === 'uninstalled' || last.info.status === 'failed';
    if (!(o.replace && reusable)) {
      throw new HelmActionError(
        'helm.action.inUse',
        `${where}: cannot re-use a name that is still in use (revision ${last.version} is ${last.info.status}); upgrade it, or uninstall it and install with replace`,
      );
    }
  }
  const version = (last?.version ?? 0) + 1;
  const r = await renderFor(cfg, o, version, false, o.values ?? {});
  const hooksRun: string[] = [];
  const crds = o.skipCRDs ? [] : crdObjects(r);
  if (o.dryRun) {
    return {
      outcome: 'dry-run',
      release: newRelease(cfg, r, o.releaseName, o.namespace, version, 'pending-install', 'Dry run complete'),
      changes: [...planChanges([], crds), ...planChanges([], await dryObjects(cfg, r, o.namespace))],
      valueChanges: [],
      hooksRun,
      warnings: r.warnings,
    };
  }
  if (o.createNamespace) await ensureNamespace(cfg, o.namespace);
  if (crds.length > 0 && (await installCrds(cfg, crds, o.upgradeCRDs ?? false)))
    forgetCapabilities(cfg.client);
  const objects = await releaseObjects(cfg, r.manifest, o.namespace);
  await checkOwnership(cfg, objects, o.releaseName, o.namespace, o.takeOwnership ?? false);
  const rel = newRelease(
    cfg,
    r,
    o.releaseName,
    o.namespace,
    version,
    'pending-install',
    'Initial install underway',
    undefined,
    o.labels,
  );
  await storage.create(rel);
  const relRef = { name: o.releaseName, namespace: o.namespace };
  try {
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, r.hooks, 'pre-install', relRef)));
    await applyObjects(cfg, objects, o.releaseName, o.namespace, { force: o.force });
    if (!o.disableHooks) hooksRun.push(...(await runHooks(cfg, r.hooks, 'post-install', relRef)));
    if (o.runTests) hooksRun.push(...(await runHooks(cfg, r.hooks, 'test', relRef)));
  } catch (e) {
    rel.info.status = 'failed';
    rel.info.description = `Release "${o.releaseName}" failed: ${errorMessage(e)}`;
    await storage.update(rel);
    if (o.atomic) {
      await uninstall(cfg, {
        releaseName: o.releaseName,
        namespace: o.namespace,
        disableHooks: o.disableHooks,
      });
      throw new HelmActionError(
        'helm.action.install',
        `${where}: install failed and was uninstalled (atomic): ${errorMessage(e)}`,
        { cause: e },
      );
    }
    throw e;
  }
  rel.info.status = 'deployed';
  rel.info.description = o.description ?? 'Install complete';
  await storage.update(rel);
  if (o.maxHistory) await storage.prune(o.releaseName, o.maxHistory);
  return { outcome: 'installed', release: rel, hooksRun, warnings: r.warnings };
}

/** Objects of a rendered manifest for dry-run reporting (kinds not yet served keep their namespace as written). */
export async function dryObjects(
  cfg: ActionConfig,
  r: RenderResult,
  namespace: string,
): Promise<KubeObject[]> {
  try {
    return await releaseObjects(cfg, r.manifest, namespace);
  } catch {
    return parseObjectsLoose(r.manifest);
  }
}
