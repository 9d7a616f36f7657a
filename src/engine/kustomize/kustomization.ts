/**
 * The kustomization file: finding it in a directory, and checking its fields. Every field flotilla
 * builds is listed here; kustomize fields it does not build and unknown fields are errors that
 * name the file and the field (never silently ignored: the output would be wrong).
 */
import { KustomizeError } from './errors.js';
import { type FileTree, isFile, joinPath, parseDocs, readText } from './files.js';

export interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: Target;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: 'create' | 'replace' | 'merge';
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

export interface LabelEntry {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

export interface ImageEntry {
  name?: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface Kustomization {
  apiVersion?: string;
  kind?: 'Kustomization' | 'Component';
  metadata?: Record<string, unknown>;
  resources?: string[];
  bases?: string[];
  components?: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  labels?: LabelEntry[];
  commonAnnotations?: Record<string, string>;
  images?: ImageEntry[];
  replicas?: { name?: string; count?: number }[];
  patches?: PatchEntry[];
  patchesStrategicMerge?: string[];
  patchesJson6902?: PatchEntry[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  generatorOptions?: GeneratorOptions;
}

const KNOWN = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'components',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
]);

/** Real kustomize fields this engine does not build. */
const UNSUPPORTED = new Set([
  'crds',
  'vars',
  'replacements',
  'transformers',
  'generators',
  'validators',
  'helmCharts',
  'helmGlobals',
  'helmChartInflationGenerator',
  'openapi',
  'configurations',
  'sortOptions',
  'buildMetadata',
  'imageTags',
  'patchesJson6902Inline',
]);

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of a directory, if it has one. */
export function findKustomization(tree: FileTree, dir: string): string | undefined {
  for (const f of KUSTOMIZATION_FILES) {
    const p = joinPath(dir, f, dir);
    if (isFile(tree, p)) return p;
  }
  return undefined;
}

const STRING_LISTS = ['resources', 'bases', 'components', 'patchesStrategicMerge'] as const;
const STRING_MAPS = ['commonLabels', 'commonAnnotations'] as const;
const OBJECT_LISTS = [
  'labels',
  'images',
  'replicas',
  'patches',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Fields kustomize decodes into Go strings must be YAML strings: `newTag: 1.20` or a label value
 * `true` is rejected (as kustomize does) instead of being read as 1.2 or silently converted.
 */
function requireStrings(k: Record<string, unknown>, file: string): void {
  const check = (v: unknown, field: string) => {
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw new KustomizeError(`${file}: ${field} must be a string, not ${JSON.stringify(v)}; quote it`);
  };
  const maps = (m: unknown, field: string) => {
    if (isRecord(m)) for (const [key, v] of Object.entries(m)) check(v, `${field}.${key}`);
  };
  maps(k.commonLabels, 'commonLabels');
  maps(k.commonAnnotations, 'commonAnnotations');
  if (Array.isArray(k.labels))
    k.labels.forEach((l, i) => {
      if (isRecord(l)) maps(l.pairs, `labels[${i}].pairs`);
    });
  if (Array.isArray(k.images))
    k.images.forEach((im, i) => {
      if (isRecord(im))
        for (const f of ['name', 'newName', 'newTag', 'digest']) check(im[f], `images[${i}].${f}`);
    });
}

/** Reads and checks a kustomization file. */
export function loadKustomization(tree: FileTree, file: string): Kustomization {
  const docs = parseDocs(readText(tree, file, file), file);
  if (docs.length !== 1 || !isRecord(docs[0]))
    throw new KustomizeError(`${file}: a kustomization file must hold exactly one YAML mapping`);
  const k = docs[0];
  requireStrings(k, file);
  for (const key of Object.keys(k)) {
    if (UNSUPPORTED.has(key))
      throw new KustomizeError(
        `${file}: field "${key}" is not supported by flotilla's kustomize; render it beforehand or use the supported fields`,
      );
    if (!KNOWN.has(key))
      throw new KustomizeError(`${file}: unknown field "${key}" in the kustomization; remove or correct it`);
  }
  if (k.kind !== undefined && k.kind !== 'Kustomization' && k.kind !== 'Component')
    throw new KustomizeError(`${file}: kind must be Kustomization or Component, not "${String(k.kind)}"`);
  for (const f of STRING_LISTS) {
    const v = k[f];
    if (v !== undefined && v !== null && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
      throw new KustomizeError(`${file}: field "${f}" must be a list of strings`);
  }
  for (const f of STRING_MAPS) {
    const v = k[f];
    if (v !== undefined && v !== null && !isRecord(v))
      throw new KustomizeError(`${file}: field "${f}" must be a map of strings`);
  }
  for (const f of OBJECT_LISTS) {
    const v = k[f];
    if (v !== undefined && v !== null && (!Array.isArray(v) || v.some((x) => !isRecord(x))))
      throw new KustomizeError(`${file}: field "${f}" must be a list of mappings`);
  }
  for (const f of ['namespace', 'namePrefix', 'nameSuffix'] as const) {
    const v = k[f];
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw new KustomizeError(`${file}: field "${f}" must be a string`);
  }
  return k as Kustomization;
}
