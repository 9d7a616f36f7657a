/** Dry-run reporting: which objects an action would create, update or delete, and value changes. */

import type { KubeObject } from '../../kube/index.js';
import { isTable, type Values } from '../render/coalesce.js';
import { describeObject, resourceKey } from './config.js';

export interface PlannedChange {
  action: 'create' | 'update' | 'unchanged' | 'delete';
  object: string;
}

export interface ValueChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
}

/** Compares the objects of the current release (`from`) with the new ones (`to`). */
export function planChanges(from: readonly KubeObject[], to: readonly KubeObject[]): PlannedChange[] {
  const old = new Map(from.map((o) => [resourceKey(o), o]));
  const out: PlannedChange[] = [];
  const seen = new Set<string>();
  for (const o of to) {
    const k = resourceKey(o);
    seen.add(k);
    const prev = old.get(k);
    const action =
      prev === undefined ? 'create' : JSON.stringify(prev) === JSON.stringify(o) ? 'unchanged' : 'update';
    out.push({ action, object: describeObject(o) });
  }
  for (const [k, o] of old) if (!seen.has(k)) out.push({ action: 'delete', object: describeObject(o) });
  return out;
}

/** Leaf-level differences between two value trees. */
export function diffValues(from: Values, to: Values, prefix = ''): ValueChange[] {
  const out: ValueChange[] = [];
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const p = prefix === '' ? k : `${prefix}.${k}`;
    const a = from[k];
    const b = to[k];
    if (!Object.hasOwn(to, k)) out.push({ path: p, change: 'removed', from: a });
    else if (!Object.hasOwn(from, k)) out.push({ path: p, change: 'added', to: b });
    else if (isTable(a) && isTable(b)) out.push(...diffValues(a, b, p));
    else if (JSON.stringify(a) !== JSON.stringify(b))
      out.push({ path: p, change: 'changed', from: a, to: b });
  }
  return out;
}
