/**
 * Renders a chart as `helm install/upgrade/template` does: dependencies processed, values
 * coalesced and validated, templates executed, NOTES.txt separated, documents split into
 * hooks and install-ordered manifests, CRDs from `crds/` returned untemplated.
 *
 * `lookup` is synchronous inside templates but the cluster is not: the render runs with a
 * cache, records every lookup it could not answer, fetches those through the injected async
 * `lookup`, and renders again (at most `maxLookupPasses` times). Templates are pure functions of
 * their inputs, so the last pass is exactly what Helm would produce against that cluster state.
 */

import { Constraints, Version } from '../../engine/template/funcs/semver.js';
import type { Injected } from '../../engine/template/index.js';
import { type Chart, chartFullPath } from '../chart/types.js';
import { coalesceValues, deepCopy, type Values } from './coalesce.js';
import { copyChart, processDependencies } from './dependencies.js';
import { renderTemplates } from './engine.js';
import { HelmRenderError } from './errors.js';
import { type Hook, INSTALL_ORDER, type Manifest, manifestText, sortManifests } from './manifests.js';
import { type Capabilities, defaultCapabilities } from './objects.js';
import { validateValues } from './schema.js';

/** Helm `lookup`: the object, or a `<Kind>List` when name is empty; `{}` when not found. */
export type AsyncLookup = (
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
) => Promise<unknown>;

export interface RenderOptions {
  release: { name: string; namespace: string; revision?: number; isUpgrade?: boolean; isInstall?: boolean };
  /** User-supplied values (Helm's `config`). */
  values?: Values;
  capabilities?: Capabilities;
  lookup?: AsyncLookup;
  /** Other services for template functions (random, now, crypto). */
  injected?: Injected;
  skipSchemaValidation?: boolean;
  /** Render subcharts' NOTES.txt too (`--render-subchart-notes`). */
  subNotes?: boolean;
  strict?: boolean;
  maxLookupPasses?: number;
  /** Receives coalescing warnings. */
  warn?: (message: string) => void;
}

export interface CrdFile {
  /** `<chartFullPath>/crds/<file>`. */
  name: string;
  content: string;
}

export interface RenderResult {
  /** The chart tree after dependency processing (aliases applied, disabled subcharts removed). */
  chart: Chart;
  /** The values templates saw (`.Values` of the root). */
  values: Values;
  /** The user-supplied values. */
  config: Values;
  manifests: Manifest[];
  hooks: Hook[];
  notes: string;
  crds: CrdFile[];
  /** The release manifest text (`---\n# Source: ...`). */
  manifest: string;
  warnings: string[];
}

function lookupKey(a: string, k: string, ns: string, n: string): string {
  return JSON.stringify([a, k, ns, n]);
}

function checkKubeVersion(chart: Chart, caps: Capabilities): void {
  const want = chart.metadata.kubeVersion;
  if (!want) return;
  let ok = true;
  try {
    const v = caps.kubeVersion.version.replace(/^v/, '');
    ok = Constraints.parse(want).check(Version.parse(v.replace(/-.*$/, '')));
  } catch {
    ok = true;
  }
  if (!ok) {
    throw new HelmRenderError(
      'helm.kubeVersion',
      `chart requires kubeVersion: ${want} which is incompatible with Kubernetes ${caps.kubeVersion.version} (chart ${chart.metadata.name}-${chart.metadata.version}); use a chart version that supports this cluster`,
    );
  }
}

function collectCrds(chart: Chart, out: CrdFile[]): void {
  const dec = new TextDecoder();
  for (const f of chart.crds)
    out.push({ name: `${chartFullPath(chart)}/${f.name}`, content: dec.decode(f.data) });
  for (const d of chart.dependencies) collectCrds(d, out);
}

/** Renders a chart. Throws HelmRenderError. */
export async function renderChart(source: Chart, opts: RenderOptions): Promise<RenderResult> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    opts.warn?.(m);
  };
  const config = deepCopy(opts.values ?? {});
  const caps = opts.capabilities ?? defaultCapabilities();
  checkKubeVersion(source, caps);
  const chart = copyChart(source);
  try {
    processDependencies(chart, config, warn);
  } catch (e) {
    throw new HelmRenderError(
      'helm.dependency',
      `chart ${source.metadata.name}-${source.metadata.version}: processing dependencies failed: ${(e as Error).message}`,
      { cause: e },
    );
  }
  let values: Values;
  try {
    values = coalesceValues(chart, config, warn);
  } catch (e) {
    throw new HelmRenderError(
      'helm.values',
      `chart ${source.metadata.name}-${source.metadata.version}: ${(e as Error).message}; fix the values`,
      { cause: e },
    );
  }
  if (!opts.skipSchemaValidation) validateValues(chart, values);

  const cache = new Map<string, unknown>();
  const maxPasses = opts.maxLookupPasses ?? 5;
  let files = new Map<string, string>();
  for (let pass = 0; ; pass++) {
    const missing = new Map<string, [string, string, string, string]>();
    const injected: Injected = {
      ...(opts.injected ?? {}),
      lookup: (a: string, k: string, ns: string, n: string) => {
        const key = lookupKey(a, k, ns, n);
        if (cache.has(key)) return cache.get(key);
        missing.set(key, [a, k, ns, n]);
        return {};
      },
    };
    files = renderTemplates({
      chart,
      values,
      release: {
        name: opts.release.name,
        namespace: opts.release.namespace,
        revision: opts.release.revision ?? 1,
        isUpgrade: opts.release.isUpgrade ?? false,
        isInstall: opts.release.isInstall ?? !opts.release.isUpgrade,
      },
      capabilities: caps,
      injected,
      strict: opts.strict,
    });
    if (missing.size === 0 || opts.lookup === undefined || pass >= maxPasses) break;
    for (const [key, args] of missing) cache.set(key, (await opts.lookup(...args)) ?? {});
  }

  const rootNotes = `${chart.metadata.name}/templates/NOTES.txt`;
  const notes: string[] = [];
  for (const name of [...files.keys()]) {
    if (!name.endsWith('NOTES.txt')) continue;
    if (name === rootNotes || opts.subNotes) notes.push(files.get(name) as string);
    files.delete(name);
  }
  const sorted = sortManifests(files, INSTALL_ORDER);
  warnings.push(...sorted.warnings);
  const crds: CrdFile[] = [];
  collectCrds(chart, crds);
  return {
    chart,
    values,
    config,
    manifests: sorted.manifests,
    hooks: sorted.hooks,
    notes: notes.join('\n'),
    crds,
    manifest: manifestText(sorted.manifests),
    warnings,
  };
}

/** `helm template` output: CRDs (if asked), the manifest, then hooks (tests unless skipped). */
export function templateOutput(
  r: RenderResult,
  opts: { includeCrds?: boolean; skipTests?: boolean } = {},
): string {
  let out = '';
  if (opts.includeCrds) for (const c of r.crds) out += `---\n# Source: ${c.name}\n${c.content}\n`;
  out += r.manifest;
  for (const h of r.hooks) {
    if (opts.skipTests && h.events.includes('test')) continue;
    out += `---\n# Source: ${h.path}\n${h.manifest}\n`;
  }
  return out;
}
