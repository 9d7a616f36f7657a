/**
 * Hook execution (Helm's execHook): hooks of one event in weight order; each one's
 * delete policy `before-hook-creation` (the default) removes a leftover first; the object is
 * created and its outcome read. The embedded API server has no kubelet, so nothing ever runs:
 * a created hook counts as **succeeded** unless it is a Job with a `Failed` condition or a Pod in
 * phase `Failed` when read back (on a real cluster a controller may set those). After all
 * hooks of the event succeed, those with `hook-succeeded` are deleted; a failed hook with
 * `hook-failed` is deleted and the action fails.
 */

import type { KubeObject } from '../../kube/index.js';
import { type Hook, type HookEvent, hooksFor } from '../render/manifests.js';
import { rfc3339Nano, ZERO_TIME } from '../release/types.js';
import { type ActionConfig, HelmActionError, parseObjects } from './config.js';
import { deleteObject, withNamespace } from './resources.js';

function failed(o: KubeObject): boolean {
  const st = (o as { status?: { phase?: string; conditions?: { type: string; status: string }[] } }).status;
  if (o.kind === 'Pod') return st?.phase === 'Failed';
  if (o.kind === 'Job') return (st?.conditions ?? []).some((c) => c.type === 'Failed' && c.status === 'True');
  return false;
}

function policies(h: Hook): string[] {
  return h.delete_policies.length === 0 ? ['before-hook-creation'] : h.delete_policies;
}

async function hookObjects(cfg: ActionConfig, h: Hook, namespace: string): Promise<KubeObject[]> {
  return Promise.all(parseObjects(h.manifest).map((o) => withNamespace(cfg, o, namespace)));
}

/** Runs the hooks of `event`; updates their `last_run`; throws HelmActionError on failure. Returns names run. */
export async function runHooks(
  cfg: ActionConfig,
  hooks: Hook[],
  event: HookEvent,
  release: { name: string; namespace: string },
): Promise<string[]> {
  const now = cfg.now ?? Date.now;
  const ordered = hooksFor(hooks, event);
  for (const h of ordered) {
    const objs = await hookObjects(cfg, h, release.namespace);
    if (policies(h).includes('before-hook-creation')) for (const o of objs) await deleteObject(cfg, o);
    h.last_run = { started_at: rfc3339Nano(now()), completed_at: ZERO_TIME, phase: 'Running' };
    let bad: string | undefined;
    try {
      for (const o of objs) {
        const created = await cfg.client.create(o);
        if (failed(created)) bad = `${o.kind} ${o.metadata?.name} failed`;
      }
    } catch (e) {
      bad = (e as Error).message;
    }
    h.last_run.completed_at = rfc3339Nano(now());
    if (bad !== undefined) {
      h.last_run.phase = 'Failed';
      if (h.delete_policies.includes('hook-failed')) for (const o of objs) await deleteObject(cfg, o);
      throw new HelmActionError(
        'helm.action.hook',
        `release ${release.namespace}/${release.name} (cluster ${cfg.client.cluster}): ${event} hook ${h.path} (${h.kind} ${h.name}) failed: ${bad}`,
      );
    }
    h.last_run.phase = 'Succeeded';
  }
  for (const h of ordered) {
    if (!h.delete_policies.includes('hook-succeeded')) continue;
    for (const o of await hookObjects(cfg, h, release.namespace)) await deleteObject(cfg, o);
  }
  return ordered.map((h) => h.name);
}
