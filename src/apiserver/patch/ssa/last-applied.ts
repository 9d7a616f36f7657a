import type { KubeObject, SchemaNode } from '../../contracts.js';
import { isObject, stableStringify } from '../../../engine/patch/index.js';
import type { FieldSet } from './fieldset.js';
import { compare, toFieldSet } from './typed.js';

/** The annotation `kubectl apply` (client-side) keeps the applied configuration in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Fields kubectl set with client-side apply and that still hold the value it set (kube's
 * lastAppliedManager): a `kubectl` server-side apply may take these over without a conflict.
 * Undefined when the object has no usable annotation.
 */
export function allowedConflictsFromLastApplied(
  live: KubeObject | undefined,
  schema: SchemaNode | undefined,
): FieldSet | undefined {
  const text = live?.metadata?.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last)) return undefined;
  const liveObj = { ...live, metadata: { ...live.metadata } };
  delete liveObj.metadata.managedFields;
  const cmp = compare(last, liveObj, schema);
  return toFieldSet(last, schema).difference(cmp.modified).difference(cmp.added).difference(cmp.removed);
}

/** Go's encoding/json output escapes these; the annotation is compared byte for byte by kubectl. */
function goJson(v: unknown): string {
  return stableStringify(v).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * kube's lastAppliedUpdater: after a `kubectl` server-side apply, an object that carries the
 * client-side annotation gets it rewritten to the configuration just applied.
 */
export function syncLastApplied(obj: KubeObject, applied: KubeObject): void {
  const annotations = obj.metadata?.annotations;
  if (!annotations || !Object.hasOwn(annotations, LAST_APPLIED)) return;
  const config = structuredClone(applied);
  if (config.metadata?.annotations) {
    delete config.metadata.annotations[LAST_APPLIED];
    if (Object.keys(config.metadata.annotations).length === 0) delete config.metadata.annotations;
  }
  annotations[LAST_APPLIED] = `${goJson(config)}\n`;
}
