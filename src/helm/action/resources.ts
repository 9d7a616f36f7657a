/**
 * Writing release objects. flotilla applies with **server-side apply** (field manager
 * `helm` by default, `force` so the release owns what it declares) instead of Helm 3's
 * create + three-way merge patch: the result on the cluster is the same object, and fields
 * other managers set are kept. Every object gets Helm's ownership metadata
 * (`app.kubernetes.io/managed-by: Helm`, `meta.helm.sh/release-name`/`-namespace`), and an
 * object that exists without it (or belongs to another release) is a conflict unless
 * `takeOwnership` is set — never overwritten silently.
 */

import { isNotFound, type KubeObject } from '../../kube/index.js';
import { type ActionConfig, describeObject, HelmActionError, resourceKey } from './config.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const RELEASE_NAME = 'meta.helm.sh/release-name';
export const RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace';
export const RESOURCE_POLICY = 'helm.sh/resource-policy';

/** Sets the object's namespace when its kind is namespaced and the manifest left it out. */
export async function withNamespace(
  cfg: ActionConfig,
  o: KubeObject,
  namespace: string,
): Promise<KubeObject> {
  const info = await cfg.client.resource(o.apiVersion ?? '', o.kind ?? '');
  const meta = { ...(o.metadata ?? {}) };
  if (info.namespaced) meta.namespace ||= namespace;
  else delete meta.namespace;
  return { ...o, metadata: meta };
}

function stamp(o: KubeObject, release: string, namespace: string): KubeObject {
  const meta = { ...(o.metadata ?? {}) };
  meta.labels = { ...(meta.labels ?? {}), [MANAGED_BY]: 'Helm' };
  meta.annotations = { ...(meta.annotations ?? {}), [RELEASE_NAME]: release, [RELEASE_NAMESPACE]: namespace };
  return { ...o, metadata: meta };
}

async function getOrUndefined(cfg: ActionConfig, o: KubeObject): Promise<KubeObject | undefined> {
  try {
    return await cfg.client.get({
      apiVersion: o.apiVersion ?? '',
      kind: o.kind ?? '',
      namespace: o.metadata?.namespace,
      name: o.metadata?.name ?? '',
    });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Helm's existingResourceConflict: objects about to be created that already exist and are not
 * owned by this release. Throws unless `takeOwnership`.
 */
export async function checkOwnership(
  cfg: ActionConfig,
  objects: readonly KubeObject[],
  release: string,
  namespace: string,
  takeOwnership: boolean,
): Promise<void> {
  if (takeOwnership) return;
  const conflicts: string[] = [];
  for (const o of objects) {
    const cur = await getOrUndefined(cfg, o);
    if (cur === undefined) continue;
    const ann = cur.metadata?.annotations ?? {};
    const lab = cur.metadata?.labels ?? {};
    if (lab[MANAGED_BY] !== 'Helm') conflicts.push(`${describeObject(o)}: label ${MANAGED_BY} is not "Helm"`);
    else if (ann[RELEASE_NAME] !== release || ann[RELEASE_NAMESPACE] !== namespace) {
      conflicts.push(
        `${describeObject(o)}: owned by release ${ann[RELEASE_NAMESPACE] ?? '?'}/${ann[RELEASE_NAME] ?? '?'}`,
      );
    }
  }
  if (conflicts.length > 0) {
    throw new HelmActionError(
      'helm.action.conflict',
      `release ${namespace}/${release} (cluster ${cfg.client.cluster}): existing objects are not managed by this release, refusing to overwrite: ${conflicts.join('; ')}. Delete them or set takeOwnership`,
    );
  }
}

/** Applies objects in the given order; returns the keys written. */
export async function applyObjects(
  cfg: ActionConfig,
  objects: readonly KubeObject[],
  release: string,
  namespace: string,
  opts: { force?: boolean } = {},
): Promise<string[]> {
  const fieldManager = cfg.fieldManager ?? 'helm';
  const done: string[] = [];
  for (const raw of objects) {
    const o = stamp(raw, release, namespace);
    try {
      await cfg.client.apply(o, { fieldManager, force: true });
    } catch (e) {
      if (!opts.force) {
        throw new HelmActionError(
          'helm.action.apply',
          `release ${namespace}/${release} (cluster ${cfg.client.cluster}): applying ${describeObject(o)} failed: ${(e as Error).message}`,
          { cause: e },
        );
      }
      // `force`: replace the object (delete and create), as `helm upgrade --force` does.
      await deleteObject(cfg, o);
      await cfg.client.apply(o, { fieldManager, force: true });
    }
    done.push(resourceKey(o));
  }
  return done;
}

export async function deleteObject(cfg: ActionConfig, o: KubeObject): Promise<boolean> {
  try {
    await cfg.client.delete(
      {
        apiVersion: o.apiVersion ?? '',
        kind: o.kind ?? '',
        namespace: o.metadata?.namespace,
        name: o.metadata?.name ?? '',
      },
      { propagationPolicy: 'Background' },
    );
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Deletes objects unless annotated `helm.sh/resource-policy: keep`; returns the kept ones. */
export async function deleteObjects(cfg: ActionConfig, objects: readonly KubeObject[]): Promise<string[]> {
  const kept: string[] = [];
  for (const o of objects) {
    if (o.metadata?.annotations?.[RESOURCE_POLICY] === 'keep') {
      kept.push(describeObject(o));
      continue;
    }
    await deleteObject(cfg, o);
  }
  return kept;
}

/**
 * CRDs from `crds/`: created when missing, left alone when present unless `upgrade` (then
 * applied). Returns true when something was written.
 */
export async function installCrds(
  cfg: ActionConfig,
  crds: readonly KubeObject[],
  upgrade: boolean,
): Promise<boolean> {
  let wrote = false;
  for (const crd of crds) {
    const cur = await getOrUndefined(cfg, crd);
    if (cur !== undefined && !upgrade) continue;
    await cfg.client.apply(crd, { fieldManager: cfg.fieldManager ?? 'helm', force: true });
    wrote = true;
  }
  return wrote;
}

/** Creates the release namespace if missing (`createNamespace`). */
export async function ensureNamespace(cfg: ActionConfig, namespace: string): Promise<void> {
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  if ((await getOrUndefined(cfg, ns)) !== undefined) return;
  try {
    await cfg.client.create(ns);
  } catch (e) {
    if (
      (e as { code?: string }).code !== 'AlreadyExists' &&
      !String((e as Error).message).includes('already exists')
    )
      throw e;
  }
}
