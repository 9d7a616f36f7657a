import type { PatchSelector } from '../../api/index.js';
import { parseApiVersion } from '../../api/index.js';
import { parseLabelSelector } from '../selector/index.js';
import type { DriftObject } from './types.js';

function anchored(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    // An invalid expression selects nothing: a typo in an exclusion must not exclude everything.
    return false;
  }
}

/**
 * Whether a kustomize-style patch target selects `obj`: group/version/kind exactly, name and
 * namespace as anchored regular expressions, label and annotation selectors. No target: all.
 */
export function targetMatches(target: PatchSelector | undefined, obj: DriftObject): boolean {
  if (!target) return true;
  const { group, version } = parseApiVersion(obj.apiVersion ?? '');
  if (target.group && target.group !== group) return false;
  if (target.version && target.version !== version) return false;
  if (target.kind && target.kind !== obj.kind) return false;
  if (target.name && !anchored(target.name, obj.metadata?.name ?? '')) return false;
  if (target.namespace && !anchored(target.namespace, obj.metadata?.namespace ?? '')) return false;
  try {
    if (target.labelSelector && !parseLabelSelector(target.labelSelector).matches(obj.metadata?.labels ?? {}))
      return false;
    if (
      target.annotationSelector &&
      !parseLabelSelector(target.annotationSelector).matches(obj.metadata?.annotations ?? {})
    )
      return false;
  } catch {
    return false;
  }
  return true;
}
