/**
 * Sveltos' ownership record on deployed objects: label `projectsveltos.io/reason` and the
 * `reference-*`, `owner-*` and `hash` annotations. Real Sveltos reads the same keys, so either can
 * take over or clean up what the other deployed.
 */
import type { Owner, SourceRef } from './decide-deploy.js';
import { ANNOTATION, LABEL } from './names.js';
import { objectHash } from './object-hash.js';

type Obj = Record<string, unknown> & {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
};

/** A copy of `obj` carrying the ownership label/annotations and its hash annotation. */
export function stampOwnership(
  obj: Record<string, unknown>,
  owner: Owner,
  source: SourceRef,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    /** The feature deploying it (`projectsveltos.io/reason`), Resources unless told. */
    reason?: 'Resources' | 'Kustomize';
  } = {},
): { obj: Record<string, unknown>; hash: string } {
  const o = structuredClone(obj) as Obj;
  const md = (o.metadata ??= {});
  md.labels = { ...md.labels, ...extra.labels, [LABEL.reason]: extra.reason ?? 'Resources' };
  md.annotations = {
    ...md.annotations,
    ...extra.annotations,
    [ANNOTATION.referenceKind]: source.kind,
    [ANNOTATION.referenceName]: source.name,
    [ANNOTATION.referenceNamespace]: source.namespace,
    [ANNOTATION.referenceTier]: String(source.tier),
    [ANNOTATION.ownerKind]: owner.kind,
    [ANNOTATION.ownerName]: owner.name,
    [ANNOTATION.ownerTier]: String(owner.tier),
  };
  delete md.annotations[ANNOTATION.hash];
  const hash = objectHash(o);
  md.annotations[ANNOTATION.hash] = hash;
  return { obj: o, hash };
}

/** Merge patch that drops the ownership record (LeavePolicies: the object stays, unowned). */
export function releaseOwnershipPatch(): Record<string, unknown> {
  const nulls: Record<string, null> = {};
  for (const k of [
    ANNOTATION.referenceKind,
    ANNOTATION.referenceName,
    ANNOTATION.referenceNamespace,
    ANNOTATION.referenceTier,
    ANNOTATION.ownerKind,
    ANNOTATION.ownerName,
    ANNOTATION.ownerTier,
    ANNOTATION.hash,
  ])
    nulls[k] = null;
  return { metadata: { labels: { [LABEL.reason]: null }, annotations: nulls } };
}
