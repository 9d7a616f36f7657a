/**
 * Converters keyed by group + kind. The embedded API server uses the registered converter for a
 * CRD version that is served but not stored; a kind without one gets Kubernetes' `None` strategy
 * (only apiVersion rewritten). Controllers use `toHubVersion` to read objects that a real
 * kube-apiserver stored with `strategy: None` (string selectors in a v1beta1 object).
 */
import { selectorKindConverter, sveltosSelectorKinds, type VersionConverter } from './selector-kinds.js';

const converters = new Map<string, VersionConverter>();

const keyOf = (group: string, kind: string) => `${group}/${kind}`;

/** Registers (or replaces) the converter of `c.group`/`c.kind`. */
export function registerConverter(c: VersionConverter): void {
  converters.set(keyOf(c.group, c.kind), c);
}

/** The converter of a group/kind, or undefined (None semantics). */
export function converterFor(group: string, kind: string): VersionConverter | undefined {
  return converters.get(keyOf(group, kind));
}

function groupOf(apiVersion: unknown): string {
  const s = String(apiVersion ?? '');
  const slash = s.indexOf('/');
  return slash < 0 ? '' : s.slice(0, slash);
}

/**
 * `obj` at its kind's hub (storage) version when a converter is registered (string selectors
 * become LabelSelectors even when the apiVersion already says v1beta1); otherwise `obj` itself.
 */
export function toHubVersion<T extends { apiVersion?: unknown; kind?: unknown }>(obj: T): T {
  const c = converterFor(groupOf(obj.apiVersion), String(obj.kind ?? ''));
  return c ? c.convert(obj, c.hubVersion) : obj;
}

for (const spec of sveltosSelectorKinds) registerConverter(selectorKindConverter(spec));
