/**
 * One kustomizationRef for one cluster: `path` and `components` rendered as templates over the
 * management data, the kustomize build, `values`/`valuesFrom` (values rendered with management
 * data, then the build output rendered as a template with those keys as data), `targetNamespace`,
 * then the profile's post-render patches. Throws RenderError naming the reference.
 */
import { stringify } from 'yaml';
import type { KustomizationRef, ValueFrom } from '../../api/index.js';
import { kustomizeBuild } from '../../engine/kustomize/index.js';
import type { KubeObject } from '../../kube/index.js';
import { errorMessage } from '../../lib/errors.js';
import { setOwn } from '../../lib/own-props.js';
import type { CacheReader } from '../../runtime/index.js';
import { ANNOTATION } from './names.js';
import type { KustomizeSource } from './kustomize-source.js';
import { applyProfilePatches } from './patches-post-render.js';
import type { PatchSpec } from '../../engine/kustomize/index.js';
import { builtinPatchSchemas } from './patches-schema.js';
import { RenderError, renderTemplate, splitDocuments, type TemplateData } from './render.js';
import { resolvePolicyRefs } from './sources.js';
import type { PolicyRef } from './types.js';

export interface KustomizeValues {
  values: Record<string, string>;
  errors: string[];
  /** Whether the ref asks for values at all (then the output is a template). */
  templated: boolean;
}

/** `values` rendered with the management data, plus valuesFrom data entries. */
export function kustomizeValues(
  ref: KustomizationRef,
  field: string,
  cluster: KubeObject,
  caches: { configMaps: CacheReader; secrets: CacheReader },
  profileNamespace: string | undefined,
  data: TemplateData,
): KustomizeValues {
  const out: KustomizeValues = {
    values: {},
    errors: [],
    templated: Object.keys(ref.values ?? {}).length > 0 || (ref.valuesFrom ?? []).length > 0,
  };
  for (const [k, v] of Object.entries(ref.values ?? {})) {
    try {
      setOwn(out.values, k, renderTemplate(`${field}.values.${k}`, String(v), data, data.MgmtResources));
    } catch (err) {
      out.errors.push(`${field}.values.${k}: ${errorMessage(err)}`);
    }
  }
  const from = resolvePolicyRefs(
    (ref.valuesFrom ?? []) as ValueFrom[] as PolicyRef[],
    cluster,
    caches,
    profileNamespace,
    `${field}.valuesFrom`,
  );
  out.errors.push(...from.errors);
  for (const s of from.sources) {
    const templated = Object.hasOwn(s.content.annotations, ANNOTATION.template);
    for (const [k, v] of s.content.data) {
      try {
        setOwn(
          out.values,
          k,
          templated
            ? renderTemplate(`${s.kind} ${s.namespace}/${s.name} key ${k}`, v, data, data.MgmtResources)
            : v,
        );
      } catch (err) {
        out.errors.push(
          `${field}.valuesFrom ${s.kind} ${s.namespace}/${s.name} key ${k}: ${errorMessage(err)}`,
        );
      }
    }
  }
  return out;
}

const built = new Map<string, Record<string, unknown>[]>();
const BUILT_MAX = 128;

/** The same tree and path are built once for the whole fleet; each cluster gets copies. */
function cachedBuild(src: KustomizeSource, path: string, components: string[]): Record<string, unknown>[] {
  const key = JSON.stringify([src.kind, src.namespace, src.name, src.revision, path, components]);
  let objs = built.get(key);
  if (!objs) {
    objs = kustomizeBuild(src.tree, { path, components, schemas: builtinPatchSchemas() });
    if (built.size >= BUILT_MAX) built.delete(built.keys().next().value as string);
    built.set(key, objs);
  }
  return structuredClone(objs);
}

/** The objects one kustomizationRef produces for a cluster. */
export function renderKustomization(
  src: KustomizeSource,
  field: string,
  data: TemplateData,
  values: KustomizeValues,
  patches: readonly PatchSpec[],
): Record<string, unknown>[] {
  const where = `${field} (${src.kind}${src.namespace ? ` ${src.namespace}/` : ' '}${src.name})`;
  try {
    const path = src.ref.path
      ? renderTemplate(`${field}.path`, src.ref.path, data, data.MgmtResources).trim()
      : '';
    const components = (src.ref.components ?? []).map((c, i) =>
      renderTemplate(`${field}.components[${i}]`, c, data, data.MgmtResources).trim(),
    );
    let objs = cachedBuild(src, path, components);
    if (values.templated) {
      const text = objs.map((o) => stringify(o)).join('---\n');
      objs = splitDocuments(renderTemplate(`${field} output`, text, values.values), `${where} output`);
    }
    if (src.ref.targetNamespace) {
      for (const o of objs) {
        const md = (o.metadata ??= {}) as { namespace?: string };
        md.namespace = src.ref.targetNamespace;
      }
    }
    return applyProfilePatches(objs, patches);
  } catch (err) {
    throw new RenderError(`${where}: ${errorMessage(err)}`, { cause: err });
  }
}
