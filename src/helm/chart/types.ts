/**
 * The Helm chart model (helm.sh/helm/v3 pkg/chart), shared by the chart loader, the chart
 * sources and the renderer. Field names are Helm's Go JSON names so that `metadata`, `lock`,
 * `templates`, `values`, `schema` and `files` serialise like Helm's release JSON `chart` object
 * (with `data` base64-encoded by whoever serialises).
 */

/** One file of a chart; `name` is the path relative to the chart root, with `/` separators. */
export interface ChartFile {
  name: string;
  data: Uint8Array;
}

/** Chart.yaml `maintainers[]`. */
export interface ChartMaintainer {
  name?: string;
  email?: string;
  url?: string;
}

/** One `import-values` entry: a child path (`exports.<name>` shorthand) or a child/parent pair. */
export type ImportValue = string | { child: string; parent: string };

/** Chart.yaml (v2) or requirements.yaml (v1) `dependencies[]`, and Chart.lock `dependencies[]`. */
export interface ChartDependency {
  name: string;
  /** A semver range (Masterminds/semver v3), or an exact version in Chart.lock. */
  version?: string;
  /** `https://...`, `oci://...`, `file://...`, `@alias` or `alias:name`; may be empty. */
  repository: string;
  /** Comma-separated YAML paths into the top-level values; the first that resolves wins. */
  condition?: string;
  tags?: string[];
  /** Set while processing dependencies (Helm's `Enabled`); not read from Chart.yaml. */
  enabled?: boolean;
  'import-values'?: ImportValue[];
  alias?: string;
}

/** Chart.yaml, with Helm's Go JSON field names. */
export interface ChartMetadata {
  /** `v2` (Helm 3) or `v1` (Helm 2; set when Chart.yaml omits it). */
  apiVersion: string;
  name: string;
  /** SemVer 2. */
  version: string;
  kubeVersion?: string;
  description?: string;
  /** `application` (the default when absent) or `library`. */
  type?: string;
  keywords?: string[];
  home?: string;
  sources?: string[];
  maintainers?: ChartMaintainer[];
  icon?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  /** Helm 2 only: a condition on the chart itself. */
  condition?: string;
  /** Helm 2 only: comma-separated tags. */
  tags?: string;
  dependencies?: ChartDependency[];
}

/** Chart.lock (v2) or requirements.lock (v1). */
export interface ChartLock {
  /** RFC 3339 time. */
  generated: string;
  digest: string;
  dependencies: ChartDependency[];
}

/**
 * A loaded chart. Mirrors Helm's `chart.Chart`:
 * - `templates`: every file under `templates/` (including partials `_*.tpl` and NOTES.txt),
 *   names keep the `templates/` prefix, in lexical order.
 * - `files`: every other file that is not Chart.yaml, Chart.lock, values.yaml,
 *   values.schema.json, requirements.yaml/lock or under `charts/` (except `.prov` files) —
 *   README, LICENSE, `crds/...`, arbitrary data files read with `.Files`. As in Helm, files
 *   under `crds/` are also in `files`; `crds` is the same objects, filtered.
 * - `values`: values.yaml parsed as Helm does (YAML → JSON), so numbers are JS numbers and
 *   an absent or empty values.yaml gives `{}`. `rawValues` is the text as read ('' if absent).
 * - `dependencies`: the loaded subcharts of `charts/` (packed `.tgz` or unpacked directories),
 *   each with `parent` pointing back here; not yet filtered by condition/tags (that is the
 *   renderer's job, Helm's ProcessDependencies).
 */
export interface Chart {
  metadata: ChartMetadata;
  lock?: ChartLock;
  templates: ChartFile[];
  values: Record<string, unknown>;
  rawValues: string;
  /** values.schema.json bytes, if present. */
  schema?: Uint8Array;
  files: ChartFile[];
  crds: ChartFile[];
  dependencies: Chart[];
  parent?: Chart;
}

/** Helm's chart types. */
export const CHART_TYPE_APPLICATION = 'application';
export const CHART_TYPE_LIBRARY = 'library';
export const API_VERSION_V1 = 'v1';
export const API_VERSION_V2 = 'v2';

/** True if the chart has no parent (Helm's `IsRoot`). */
export function isRoot(chart: Chart): boolean {
  return chart.parent === undefined;
}

/** True for `type: library` charts (templates are only defined, nothing is rendered). */
export function isLibrary(chart: Chart): boolean {
  return chart.metadata.type === CHART_TYPE_LIBRARY;
}

/**
 * Helm's `ChartFullPath`: `parent/charts/child/charts/grandchild`, the prefix of every template
 * name (`<fullPath>/templates/<file>`).
 */
export function chartFullPath(chart: Chart): string {
  if (chart.parent === undefined) return chart.metadata.name;
  return `${chartFullPath(chart.parent)}/charts/${chart.metadata.name}`;
}

/** Helm's `ChartPath`: the dotted path from the root (`parent.child`), used in errors. */
export function chartPath(chart: Chart): string {
  if (chart.parent === undefined) return chart.metadata.name;
  return `${chartPath(chart.parent)}.${chart.metadata.name}`;
}

/** Appends a subchart and sets its `parent` (Helm's `AddDependency`). */
export function addDependency(parent: Chart, ...subcharts: Chart[]): void {
  for (const sub of subcharts) {
    sub.parent = parent;
    parent.dependencies.push(sub);
  }
}

/** Replaces the subcharts, setting each `parent` (Helm's `SetDependencies`). */
export function setDependencies(parent: Chart, subcharts: Chart[]): void {
  parent.dependencies = [];
  addDependency(parent, ...subcharts);
}
