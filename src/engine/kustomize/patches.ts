/**
 * Patches with kustomize semantics: a strategic merge patch (one or many YAML documents) or a
 * JSON6902 operation list, applied to the resources a target selects (group/version/kind exact,
 * name/namespace anchored regular expressions, label/annotation selectors) or, for a strategic
 * merge patch without target, to the resource its own apiVersion/kind/name identify. Shared by
 * kustomizations (`patches`, `patchesStrategicMerge`, `patchesJson6902`) and Sveltos' profile-level
 * post-render `patches`.
 */
import {
  applyJsonPatch,
  applyStrategicMergePatch,
  PatchError,
  type PatchSchemaProvider,
  schemaForObject,
} from '../patch/index.js';
import { parseLabelSelector } from '../selector/index.js';
import { KustomizeError } from './errors.js';
import { parseDocs } from './files.js';
import type { Target } from './kustomization.js';
import { describe, groupVersion, nameOf, namespaceOf, newRes, type Obj, type Res } from './resources.js';

function anchored(re: string, where: string): RegExp {
  try {
    return new RegExp(`^(?:${re})$`);
  } catch (e) {
    throw new KustomizeError(
      `${where}: target regular expression "${re}" is invalid: ${(e as Error).message}`,
    );
  }
}

/** Whether a resource is selected by a patch target. */
export function targetSelects(t: Target, r: Res, where: string): boolean {
  const { group, version } = groupVersion(r.obj);
  if (t.group !== undefined && t.group !== '' && t.group !== group) return false;
  if (t.version && t.version !== version) return false;
  if (t.kind && t.kind !== r.obj.kind) return false;
  if (t.name) {
    const re = anchored(t.name, where);
    if (!re.test(nameOf(r.obj)) && !r.names.some((n) => re.test(n))) return false;
  }
  if (t.namespace) {
    const re = anchored(t.namespace, where);
    if (!re.test(namespaceOf(r.obj))) return false;
  }
  try {
    if (t.labelSelector && !parseLabelSelector(t.labelSelector).matches(r.obj.metadata?.labels ?? {}))
      return false;
    if (
      t.annotationSelector &&
      !parseLabelSelector(t.annotationSelector).matches(r.obj.metadata?.annotations ?? {})
    )
      return false;
  } catch (e) {
    if (e instanceof KustomizeError) throw e;
    throw new KustomizeError(`${where}: invalid target selector: ${(e as Error).message}`);
  }
  return true;
}

function patchMessage(e: unknown): string {
  return e instanceof PatchError ? e.detail : (e as Error).message;
}

export interface PatchSpec {
  /** The patch text (YAML/JSON): SMP document(s) or a JSON6902 operation list. */
  text: string;
  target?: Target | undefined;
  /** Where the patch comes from, for errors (file and field). */
  where: string;
  allowNameChange?: boolean;
  allowKindChange?: boolean;
  /** A strategic merge patch without target that selects nothing is an error (kustomize). */
  requireMatch?: boolean;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function identifies(p: Obj, r: Res): boolean {
  if (p.kind !== undefined && p.kind !== r.obj.kind) return false;
  if (p.apiVersion !== undefined && groupVersion(p).group !== groupVersion(r.obj).group) return false;
  const name = nameOf(p);
  if (name && name !== nameOf(r.obj) && !r.names.includes(name)) return false;
  const ns = namespaceOf(p);
  if (ns && ns !== namespaceOf(r.obj) && !r.namespaces.includes(ns)) return false;
  return true;
}

function applySmp(r: Res, doc: Obj, spec: PatchSpec, schemas: PatchSchemaProvider): boolean {
  if (doc.$patch === 'delete' || doc.$patch === 'Delete') return false;
  const p = structuredClone(doc);
  const md = (p.metadata ??= {});
  if (!spec.allowNameChange || !md.name) md.name = nameOf(r.obj);
  if (namespaceOf(r.obj)) md.namespace = namespaceOf(r.obj);
  else delete md.namespace;
  if (!spec.allowKindChange) {
    p.kind = r.obj.kind;
    p.apiVersion = r.obj.apiVersion;
  }
  try {
    r.obj = applyStrategicMergePatch(r.obj, p, schemaForObject(schemas, r.obj));
  } catch (e) {
    throw new KustomizeError(
      `${spec.where}: strategic merge patch of ${describe(r.obj)} failed: ${patchMessage(e)}`,
    );
  }
  const name = nameOf(r.obj);
  if (r.names[r.names.length - 1] !== name) r.names.push(name);
  return true;
}

/** Applies one patch to the resource set in place (deleted resources are removed). */
export function applyPatch(ra: Res[], spec: PatchSpec, schemas: PatchSchemaProvider): void {
  const docs = parseDocs(spec.text, spec.where);
  if (docs.length === 0) return;
  const selected = spec.target
    ? ra.filter((r) => targetSelects(spec.target as Target, r, spec.where))
    : undefined;
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!selected)
      throw new KustomizeError(`${spec.where}: a JSON6902 patch needs a target (group, version, kind, name)`);
    for (const r of selected) {
      try {
        r.obj = applyJsonPatch(r.obj, docs[0]);
      } catch (e) {
        throw new KustomizeError(
          `${spec.where}: JSON6902 patch of ${describe(r.obj)} failed: ${patchMessage(e)}`,
        );
      }
      const name = nameOf(r.obj);
      if (r.names[r.names.length - 1] !== name) r.names.push(name);
    }
    return;
  }
  const deleted = new Set<Res>();
  for (const doc of docs) {
    if (!isObj(doc))
      throw new KustomizeError(`${spec.where}: a patch document must be a mapping or a list of operations`);
    if (!selected && (!doc.kind || !nameOf(doc)))
      throw new KustomizeError(
        `${spec.where}: a strategic merge patch without target must name its resource (apiVersion, kind, metadata.name), or give a target`,
      );
    const targets = selected ?? ra.filter((r) => identifies(doc, r));
    if (!selected && targets.length === 0 && spec.requireMatch)
      throw new KustomizeError(
        `${spec.where}: the patch for ${doc.kind ?? '?'} "${nameOf(doc)}" matches no resource; check its apiVersion, kind and name`,
      );
    for (const r of targets) if (!deleted.has(r) && !applySmp(r, doc, spec, schemas)) deleted.add(r);
  }
  if (deleted.size > 0) {
    const keep = ra.filter((r) => !deleted.has(r));
    ra.length = 0;
    ra.push(...keep);
  }
}

/**
 * Post-render patches over plain objects (Sveltos profile `patches`): each patch applies to the
 * objects its target selects (or that its own apiVersion/kind/name identify). Returns new objects.
 */
export function applyPatchesToObjects(
  objects: readonly Record<string, unknown>[],
  patches: readonly PatchSpec[],
  schemas: PatchSchemaProvider,
): Record<string, unknown>[] {
  const ra = objects.map((o, i) => newRes(structuredClone(o) as Obj, `object ${i + 1}`));
  for (const p of patches) applyPatch(ra, p, schemas);
  return ra.map((r) => r.obj);
}
