import { createHash } from 'node:crypto';
import type { Patch } from '../../api/index.js';
import type { KubeObject } from '../../kube/index.js';
import { canonicalJson, driftText } from '../../engine/drift/index.js';

// Cached objects are immutable (an update replaces the object), so a hash per object and
// exclusion set is computed once however many ResourceSummaries and events look at it.
const memo = new WeakMap<object, Map<string, string>>();

/** sha256 (hex) of what drift detection compares of `obj` (see `driftContent` in src/engine/drift). */
export function driftHash(obj: KubeObject, patches: readonly Patch[] = [], patchesKey?: string): string {
  const key = patchesKey ?? canonicalJson(patches);
  let byPatches = memo.get(obj);
  const hit = byPatches?.get(key);
  if (hit) return hit;
  const hash = createHash('sha256').update(driftText(obj, patches)).digest('hex');
  if (!byPatches) {
    byPatches = new Map();
    memo.set(obj, byPatches);
  }
  byPatches.set(key, hash);
  return hash;
}
