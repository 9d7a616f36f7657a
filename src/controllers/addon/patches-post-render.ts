/**
 * Profile-level post-render patches (`spec.patches`, `spec.patchesFrom`): rendered as templates
 * with the management data (always, patchesFrom data too), then applied with kustomize semantics
 * to every object a feature renders (policyRefs content, kustomize output, Helm manifests).
 */
import type { Patch, PatchSelector, ValueFrom } from '../../api/index.js';
import { applyPatchesToObjects, type PatchSpec } from '../../engine/kustomize/index.js';
import type { KubeObject } from '../../kube/index.js';
import { errorMessage, FlotillaError } from '../../lib/errors.js';
import type { CacheReader } from '../../runtime/index.js';
import { builtinPatchSchemas } from './patches-schema.js';
import { parseAllDocuments, stringify } from 'yaml';
import { renderTemplate, type TemplateData } from './render.js';
import { resolvePolicyRefs } from './sources.js';
import type { PolicyRef, ProfileSpec } from './types.js';

function yamlDocs(text: string, where: string): unknown[] {
  return parseAllDocuments(text)
    .map((d, i) => {
      if (d.errors.length > 0)
        throw new Error(`${where}: document ${i + 1} is not valid YAML: ${d.errors[0]?.message}`);
      return d.toJS({ maxAliasCount: 100 }) as unknown;
    })
    .filter((v) => v !== null && v !== undefined);
}

export interface ProfilePatches {
  patches: PatchSpec[];
  /** Patches that could not be read or rendered: the features must not deploy with them missing. */
  errors: string[];
}

/** Reads and renders a profile's `patches` and `patchesFrom` for one cluster. */
export function resolveProfilePatches(
  spec: ProfileSpec,
  cluster: KubeObject,
  caches: { configMaps: CacheReader; secrets: CacheReader },
  profileNamespace: string | undefined,
  data: TemplateData,
): ProfilePatches {
  const out: ProfilePatches = { patches: [], errors: [] };
  const render = (name: string, text: string): string | undefined => {
    try {
      return renderTemplate(name, text, data, data.MgmtResources);
    } catch (err) {
      out.errors.push(`${name}: ${errorMessage(err)}`);
      return undefined;
    }
  };
  for (const [i, p] of ((spec.patches as Patch[] | undefined) ?? []).entries()) {
    const text = render(`patches[${i}]`, p.patch ?? '');
    if (text !== undefined) out.patches.push({ text, target: p.target, where: `patches[${i}]` });
  }
  const from = resolvePolicyRefs(
    ((spec.patchesFrom as ValueFrom[] | undefined) ?? []) as PolicyRef[],
    cluster,
    caches,
    profileNamespace,
    'patchesFrom',
  );
  out.errors.push(...from.errors);
  for (const s of from.sources) {
    for (const [key, value] of s.content.data) {
      const where = `patchesFrom ${s.kind} ${s.namespace}/${s.name} key ${key}`;
      const text = render(where, value);
      if (text === undefined) continue;
      try {
        for (const doc of yamlDocs(text, where)) {
          const d = doc as { patch?: unknown; target?: PatchSelector };
          if (typeof d.patch !== 'string') {
            out.errors.push(`${where}: each document needs a "patch" string (and an optional "target")`);
            continue;
          }
          out.patches.push({ text: d.patch, target: d.target, where });
        }
      } catch (err) {
        out.errors.push(errorMessage(err));
      }
    }
  }
  return out;
}

/**
 * Applies rendered profile patches to a feature's objects (returns new objects; throws a
 * KustomizeError naming the patch and object when one cannot apply). The Helm feature calls it
 * on the chart's rendered manifests.
 */
export function applyProfilePatches(
  objects: readonly Record<string, unknown>[],
  patches: readonly PatchSpec[],
): Record<string, unknown>[] {
  if (patches.length === 0) return [...objects];
  return applyPatchesToObjects(objects, patches, builtinPatchSchemas());
}

/**
 * The Helm post-renderer for a profile's patches (Sveltos applies `patches` to chart manifests
 * through a Helm post-renderer): undefined when there is nothing to patch. With unreadable
 * patches it throws, so no release is installed or upgraded without them.
 */
export function manifestPostRenderer(p: ProfilePatches): ((manifest: string) => string) | undefined {
  if (p.patches.length === 0 && p.errors.length === 0) return undefined;
  return (manifest) => {
    if (p.errors.length > 0)
      throw new FlotillaError('addon.patches', `profile patches unusable: ${p.errors.join('; ')}`);
    const objects = yamlDocs(manifest, 'the rendered chart manifest') as Record<string, unknown>[];
    return applyProfilePatches(objects, p.patches)
      .map((o) => `---\n${stringify(o)}`)
      .join('');
  };
}
