/**
 * `kustomize build` over an in-memory tree: resources (files and directories with their own
 * kustomization), bases, components, generators, then the built-in transformers in kustomize's
 * order; at the end content-hash suffixes, name-reference fix-up and kustomize's legacy output
 * order. A directory without a kustomization file stands for all its YAML/JSON files. Cycles and
 * nesting deeper than `maxDepth` end with an error.
 */
import { noPatchSchemas, type PatchSchemaProvider } from '../patch/index.js';
import { KustomizeError } from './errors.js';
import { type FileTree, isDir, isFile, joinPath, listDir, parseDocs, readText } from './files.js';
import { runGenerators } from './generators.js';
import { kustomizeHash } from './hash.js';
import { findKustomization, type Kustomization, loadKustomization } from './kustomization.js';
import { fixNameReferences } from './namerefs.js';
import { applyPatch } from './patches.js';
import { addAll, nameOf, newRes, type Obj, type Res, rename } from './resources.js';
import { legacySort } from './sort.js';
import {
  addAnnotations,
  addLabels,
  addPrefixSuffix,
  setImages,
  setNamespaces,
  setReplicas,
} from './transformers.js';

export interface BuildOptions {
  /** Directory inside the tree holding the kustomization ('' or '.' = root). */
  path?: string;
  /** Extra components, relative to `path` (Sveltos `kustomizationRefs[].components`). */
  components?: readonly string[];
  /** Patch strategies of built-in kinds for strategic merge patches (default: none). */
  schemas?: PatchSchemaProvider;
  /** Deepest nesting of kustomizations (default 20). */
  maxDepth?: number;
}

interface Ctx {
  tree: FileTree;
  schemas: PatchSchemaProvider;
  maxDepth: number;
}

const YAML_FILE = /\.(ya?ml|json)$/i;

function isRemote(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) ||
    entry.startsWith('git@')
  );
}

function loadFile(ctx: Ctx, path: string, where: string): Res[] {
  return parseDocs(readText(ctx.tree, path, where), path).map((d, i) => {
    if (typeof d !== 'object' || d === null || Array.isArray(d))
      throw new KustomizeError(`${path}: document ${i + 1} is not a Kubernetes object`);
    return newRes(d as Obj, `${path} (document ${i + 1})`);
  });
}

/** The kustomization flotilla generates for a directory without one (like Flux). */
function generated(ctx: Ctx, dir: string): Kustomization {
  const resources: string[] = [];
  const walk = (d: string) => {
    const { files, dirs } = listDir(ctx.tree, d);
    for (const f of files) if (YAML_FILE.test(f)) resources.push(f);
    for (const sub of dirs) {
      if (findKustomization(ctx.tree, sub)) resources.push(sub);
      else walk(sub);
    }
  };
  walk(dir);
  const rel = (p: string) => (dir === '' ? p : p.slice(dir.length + 1));
  return { resources: resources.map(rel) };
}

function buildDir(
  ctx: Ctx,
  dir: string,
  stack: readonly string[],
  extraComponents: readonly string[] = [],
): Res[] {
  if (stack.includes(dir))
    throw new KustomizeError(
      `kustomization cycle: ${[...stack, dir].map((d) => d || '.').join(' -> ')}; remove the loop`,
    );
  if (stack.length >= ctx.maxDepth)
    throw new KustomizeError(
      `kustomizations nested deeper than ${ctx.maxDepth} levels at "${dir || '.'}" (${stack.map((d) => d || '.').join(' -> ')})`,
    );
  const file = findKustomization(ctx.tree, dir);
  const k = file ? loadKustomization(ctx.tree, file) : generated(ctx, dir);
  const where = file ?? `${dir || '.'} (no kustomization file)`;
  if (k.kind === 'Component' && stack.length > 0)
    throw new KustomizeError(`${where}: a Component is listed under resources; list it under components`);
  const ra: Res[] = [];
  accumulate(ctx, dir, where, { ...k, components: [...(k.components ?? []), ...extraComponents] }, ra, [
    ...stack,
    dir,
  ]);
  return ra;
}

function accumulate(
  ctx: Ctx,
  dir: string,
  file: string,
  k: Kustomization,
  ra: Res[],
  stack: readonly string[],
): void {
  for (const [i, entry] of [...(k.resources ?? []), ...(k.bases ?? [])].entries()) {
    const where = `${file}: resources[${i}]`;
    if (isRemote(entry))
      throw new KustomizeError(
        `${where}: remote resource "${entry}" is not supported; vendor it into the tree`,
      );
    const p = joinPath(dir, entry, where);
    if (isFile(ctx.tree, p)) addAll(ra, loadFile(ctx, p, where), where);
    else if (isDir(ctx.tree, p)) addAll(ra, buildDir(ctx, p, stack), where);
    else throw new KustomizeError(`${where}: "${entry}" is neither a file nor a directory of the tree`);
  }
  for (const [i, entry] of (k.components ?? []).entries()) {
    const where = `${file}: components[${i}]`;
    const p = joinPath(dir, entry, where);
    const cf = findKustomization(ctx.tree, p);
    if (!cf) throw new KustomizeError(`${where}: "${entry}" is not a directory with a kustomization file`);
    if (stack.includes(p) || stack.length >= ctx.maxDepth)
      throw new KustomizeError(`${where}: component "${entry}" is part of a cycle or nested too deep`);
    const ck = loadKustomization(ctx.tree, cf);
    if (ck.kind !== 'Component')
      throw new KustomizeError(
        `${where}: "${cf}" is a ${ck.kind ?? 'Kustomization'}, components must have kind Component`,
      );
    accumulate(ctx, p, cf, ck, ra, [...stack, p]);
  }
  runGenerators(ctx.tree, dir, file, k, ra);
  transform(ctx, dir, file, k, ra);
}

function patchText(ctx: Ctx, dir: string, e: { path?: string; patch?: string }, where: string): string {
  if (e.patch !== undefined && e.path !== undefined)
    throw new KustomizeError(`${where}: give either path or patch, not both`);
  if (typeof e.patch === 'string') return e.patch;
  if (typeof e.path === 'string') return readText(ctx.tree, joinPath(dir, e.path, where), where);
  throw new KustomizeError(`${where}: needs path or patch`);
}

function transform(ctx: Ctx, dir: string, file: string, k: Kustomization, ra: Res[]): void {
  for (const [i, e] of (k.patchesStrategicMerge ?? []).entries()) {
    const where = `${file}: patchesStrategicMerge[${i}]`;
    const p = e.includes('\n') ? undefined : joinPath(dir, e.trim(), where);
    const text = p !== undefined && isFile(ctx.tree, p) ? readText(ctx.tree, p, where) : e;
    applyPatch(ra, { text, where, requireMatch: true }, ctx.schemas);
  }
  for (const [i, e] of (k.patches ?? []).entries()) {
    const where = `${file}: patches[${i}]`;
    applyPatch(
      ra,
      {
        text: patchText(ctx, dir, e, where),
        target: e.target,
        where,
        requireMatch: true,
        allowNameChange: !!e.options?.allowNameChange,
        allowKindChange: !!e.options?.allowKindChange,
      },
      ctx.schemas,
    );
  }
  if (k.namespace) setNamespaces(ra, k.namespace);
  addPrefixSuffix(ra, k.namePrefix ?? '', k.nameSuffix ?? '');
  addLabels(ra, k.labels ?? []);
  if (k.commonLabels) addLabels(ra, [{ pairs: k.commonLabels, includeSelectors: true }]);
  addAnnotations(ra, k.commonAnnotations ?? {});
  for (const [i, e] of (k.patchesJson6902 ?? []).entries()) {
    const where = `${file}: patchesJson6902[${i}]`;
    if (!e.target?.kind || !e.target.name)
      throw new KustomizeError(`${where}: target needs at least kind and name`);
    applyPatch(ra, { text: patchText(ctx, dir, e, where), target: e.target, where }, ctx.schemas);
  }
  setReplicas(ra, k.replicas ?? [], file);
  setImages(ra, k.images ?? [], file);
}

/** Builds the kustomization at `opts.path` of the tree into Kubernetes objects. */
export function kustomizeBuild(tree: FileTree, opts: BuildOptions = {}): Record<string, unknown>[] {
  const ctx: Ctx = { tree, schemas: opts.schemas ?? noPatchSchemas, maxDepth: opts.maxDepth ?? 20 };
  const root = joinPath('', opts.path ?? '', 'path');
  if (!isDir(tree, root))
    throw new KustomizeError(`path "${opts.path ?? '.'}" is not a directory of the kustomization tree`);
  const ra = buildDir(ctx, root, [], opts.components ?? []);
  for (const r of ra) if (r.needsHash) rename(r, `${nameOf(r.obj)}-${kustomizeHash(r.obj)}`);
  fixNameReferences(ra);
  return legacySort(ra).map((r) => r.obj);
}
