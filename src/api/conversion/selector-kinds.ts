/**
 * Sveltos v1alpha1 ↔ v1beta1 for the kinds whose only user-visible difference is that cluster
 * selectors were label selector strings (`clusterSelector: env=prod`) and are now
 * `metav1.LabelSelector` objects (the upstream `*_conversion.go` of addon-controller,
 * event-manager and libsveltos). Everything else is carried over unchanged.
 *
 * What does not survive v1beta1 → v1alpha1 → v1beta1 (matchExpressions order, an `In` that
 * duplicates a matchLabels key, ...) is kept, as Kubernetes conversions do, in the annotation
 * `STASH_ANNOTATION` of the v1alpha1 object and restored when that object comes back unchanged.
 */
import { FlotillaError } from '../../lib/errors.js';
import type { LabelSelector } from '../generated/shared.js';
import { formatSelector, parseSelectorString, SelectorSyntaxError } from './selector-string.js';

/** Annotation (on v1alpha1 views only) holding v1beta1 selectors a string cannot reproduce exactly. */
export const STASH_ANNOTATION = 'conversion.flotilla.projectsveltos.io/v1beta1-selectors';

/**
 * Set on a v1beta1 EventTrigger that arrived as v1alpha1: in the v1alpha1 era a ConfigMap/Secret
 * of its policyRefs annotated `projectsveltos.io/template` was instantiated with event data, which
 * v1beta1 spells `projectsveltos.io/instantiate`. The event controller honours both for it.
 */
export const V1ALPHA1_TEMPLATE_ANNOTATION = 'eventtrigger.flotilla.projectsveltos.io/v1alpha1-template';

type Obj = Record<string, unknown>;

/** A conversion that failed; `field` is the object path, `value` the offending text. */
export class ConversionError extends FlotillaError {
  override readonly name = 'ConversionError';
  constructor(
    /** The object, e.g. `EventTrigger "ns/name"`. */
    readonly where: string,
    readonly field: string,
    readonly value: string,
    /** What is wrong and what to do, without object and field. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super('api.conversion', `${where}: ${field}: ${detail}`, options);
  }
}

/** Converts objects of one group/kind between its served versions. */
export interface VersionConverter {
  readonly group: string;
  readonly kind: string;
  readonly hubVersion: string;
  readonly versions: readonly string[];
  /**
   * `obj` at `toVersion`: a new object, or `obj` itself when it is already there unchanged (the
   * input is never modified). Throws ConversionError.
   */
  convert<T extends object>(obj: T, toVersion: string): T;
}

function describe(obj: Obj): string {
  const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const ns = typeof meta.namespace === 'string' && meta.namespace ? `${meta.namespace}/` : '';
  return `${String(obj.kind)} "${ns}${String(meta.name ?? '')}"`;
}

function annotationsOf(obj: Obj): Record<string, string> | undefined {
  const meta = obj.metadata as { annotations?: Record<string, string> } | undefined;
  return meta?.annotations;
}

function setAnnotation(obj: Obj, key: string, value: string | undefined): void {
  const meta = (obj.metadata ??= {}) as { annotations?: Record<string, string> };
  if (value === undefined) {
    if (meta.annotations && Object.hasOwn(meta.annotations, key)) {
      delete meta.annotations[key];
      if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
    }
    return;
  }
  meta.annotations = { ...(meta.annotations ?? {}), [key]: value };
}

function readStash(obj: Obj): Record<string, LabelSelector> {
  const text = annotationsOf(obj)?.[STASH_ANNOTATION];
  if (text === undefined) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, LabelSelector>) : {};
  } catch {
    // A hand-edited, broken stash is ignored: the strings are the truth then.
    return {};
  }
}

function stringToSelector(obj: Obj, field: string, text: string): LabelSelector {
  try {
    return parseSelectorString(text);
  } catch (err) {
    const at = err instanceof SelectorSyntaxError ? ` at character ${err.offset + 1}` : '';
    throw new ConversionError(
      describe(obj),
      field,
      text,
      `invalid label selector ${JSON.stringify(text)}${at}: ${(err as Error).message}; write a Kubernetes label selector such as "env=prod,tier in (a,b),!legacy"`,
      { cause: err },
    );
  }
}

function selectorToString(obj: Obj, field: string, sel: LabelSelector): string {
  try {
    return formatSelector(sel);
  } catch (err) {
    throw new ConversionError(
      describe(obj),
      field,
      JSON.stringify(sel),
      `cannot write the LabelSelector as a v1alpha1 string: ${(err as Error).message}; fix the selector in v1beta1`,
      { cause: err },
    );
  }
}

export interface SelectorKindSpec {
  group: string;
  kind: string;
  /** Selector fields under `spec` that are strings in v1alpha1. */
  fields: readonly string[];
  /** Extra step for objects that arrive as v1alpha1 (after the selectors), e.g. an annotation. */
  toHub?: (hub: Obj) => void;
  /** Extra v1beta1 → v1alpha1 step. */
  fromHub?: (spoke: Obj) => void;
}

const HUB = 'v1beta1';
const SPOKE = 'v1alpha1';

/** A VersionConverter for a kind whose v1alpha1 differs only by string selectors. */
export function selectorKindConverter(s: SelectorKindSpec): VersionConverter {
  const hasStringSelector = (o: Obj): boolean => {
    const spec = o.spec as Obj | undefined;
    return !!spec && typeof spec === 'object' && s.fields.some((f) => typeof spec[f] === 'string');
  };
  const toHub = (src: Obj): Obj => {
    const out = structuredClone(src);
    out.apiVersion = `${s.group}/${HUB}`;
    const stash = readStash(out);
    setAnnotation(out, STASH_ANNOTATION, undefined);
    const spec = out.spec as Obj | undefined;
    // String selectors in a v1beta1 object come from a v1alpha1 write that a real kube-apiserver
    // stored as it was (strategy None): that object, too, was written as v1alpha1.
    const fromSpoke = String(src.apiVersion).endsWith(`/${SPOKE}`) || hasStringSelector(src);
    if (spec && typeof spec === 'object') {
      for (const f of s.fields) {
        const v = spec[f];
        if (typeof v !== 'string') continue;
        const kept = Object.hasOwn(stash, f) ? stash[f] : undefined;
        spec[f] = kept !== undefined && safeFormat(kept) === v ? kept : stringToSelector(src, `spec.${f}`, v);
      }
    }
    if (fromSpoke) s.toHub?.(out);
    return out;
  };
  const fromHub = (src: Obj): Obj => {
    const out = structuredClone(src);
    out.apiVersion = `${s.group}/${SPOKE}`;
    const spec = out.spec as Obj | undefined;
    const stash: Record<string, LabelSelector> = {};
    if (spec && typeof spec === 'object') {
      for (const f of s.fields) {
        const v = spec[f];
        if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
        const text = selectorToString(src, `spec.${f}`, v as LabelSelector);
        spec[f] = text;
        if (!sameSelector(parseSelectorString(text), v as LabelSelector)) stash[f] = v as LabelSelector;
      }
    }
    setAnnotation(out, STASH_ANNOTATION, Object.keys(stash).length > 0 ? JSON.stringify(stash) : undefined);
    s.fromHub?.(out);
    return out;
  };
  return {
    group: s.group,
    kind: s.kind,
    hubVersion: HUB,
    versions: [SPOKE, HUB],
    convert<T extends object>(obj: T, toVersion: string): T {
      const o = obj as Obj;
      if (toVersion === HUB) {
        // Already v1beta1 without string selectors (the common case for informers): as it is.
        if (String(o.apiVersion) === `${s.group}/${HUB}` && !hasStringSelector(o)) return obj;
        return toHub(o) as T;
      }
      if (toVersion === SPOKE) {
        const hub = String(o.apiVersion).endsWith(`/${HUB}`) ? o : toHub(o);
        return fromHub(hub) as T;
      }
      throw new ConversionError(
        describe(o),
        'apiVersion',
        `${s.group}/${toVersion}`,
        `cannot convert to ${s.group}/${toVersion}: only ${SPOKE} and ${HUB} are known`,
      );
    },
  };
}

/** Structural equality of two LabelSelectors (matchLabels as maps, expressions in order). */
function sameSelector(a: LabelSelector, b: LabelSelector): boolean {
  const la = a.matchLabels ?? {};
  const lb = b.matchLabels ?? {};
  const ka = Object.keys(la);
  if (ka.length !== Object.keys(lb).length || ka.some((k) => !Object.hasOwn(lb, k) || lb[k] !== la[k]))
    return false;
  const ea = a.matchExpressions ?? [];
  const eb = b.matchExpressions ?? [];
  return (
    ea.length === eb.length &&
    ea.every(
      (e, i) =>
        e.key === eb[i].key &&
        e.operator === eb[i].operator &&
        JSON.stringify(e.values ?? []) === JSON.stringify(eb[i].values ?? []),
    )
  );
}

function safeFormat(sel: LabelSelector): string | undefined {
  try {
    return formatSelector(sel);
  } catch {
    return undefined;
  }
}

/** The Sveltos kinds whose v1alpha1 had string cluster selectors. */
export const sveltosSelectorKinds: readonly SelectorKindSpec[] = [
  { group: 'config.projectsveltos.io', kind: 'ClusterProfile', fields: ['clusterSelector'] },
  { group: 'config.projectsveltos.io', kind: 'Profile', fields: ['clusterSelector'] },
  {
    group: 'lib.projectsveltos.io',
    kind: 'EventTrigger',
    fields: ['sourceClusterSelector', 'destinationClusterSelector'],
    toHub: (hub) => setAnnotation(hub, V1ALPHA1_TEMPLATE_ANNOTATION, 'instantiate'),
    fromHub: (spoke) => setAnnotation(spoke, V1ALPHA1_TEMPLATE_ANNOTATION, undefined),
  },
  { group: 'lib.projectsveltos.io', kind: 'ClusterSet', fields: ['clusterSelector'] },
  { group: 'lib.projectsveltos.io', kind: 'Set', fields: ['clusterSelector'] },
  { group: 'lib.projectsveltos.io', kind: 'ClusterHealthCheck', fields: ['clusterSelector'] },
  { group: 'lib.projectsveltos.io', kind: 'RoleRequest', fields: ['clusterSelector'] },
];
