/**
 * The chart as Helm stores it in a release (`release.chart`): Go's encoding/json of chart.Chart,
 * i.e. metadata, lock, templates, values, schema and files, with `[]byte` as base64 and struct
 * fields in Go declaration order. Subcharts are not stored (Helm's `dependencies` is
 * unexported), so a chart read back from a release has none.
 */

import type { Chart, ChartDependency, ChartFile, ChartLock, ChartMetadata } from './types.js';

type Json = Record<string, unknown>;

const b64 = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64');
const unb64 = (s: unknown) => {
  const b = Buffer.from(typeof s === 'string' ? s : '', 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

/** Copies the keys present in `o` in the given order, dropping Go `omitempty` zero values. */
function ordered(o: object, keys: readonly (readonly [string, boolean])[]): Json {
  const src = o as Json;
  const out: Json = {};
  for (const [k, omitEmpty] of keys) {
    const v = src[k];
    if (v === undefined) {
      if (!omitEmpty) out[k] = k === 'tags' ? null : '';
      continue;
    }
    if (omitEmpty && (v === '' || v === false || (Array.isArray(v) && v.length === 0))) continue;
    out[k] = v;
  }
  return out;
}

const DEP_KEYS = [
  ['name', false],
  ['version', true],
  ['repository', false],
  ['condition', true],
  ['tags', true],
  ['enabled', true],
  ['import-values', true],
  ['alias', true],
] as const;

const META_KEYS = [
  ['name', true],
  ['home', true],
  ['sources', true],
  ['version', true],
  ['description', true],
  ['keywords', true],
  ['maintainers', true],
  ['icon', true],
  ['apiVersion', true],
  ['condition', true],
  ['tags', true],
  ['appVersion', true],
  ['deprecated', true],
  ['annotations', true],
  ['kubeVersion', true],
  ['dependencies', true],
  ['type', true],
] as const;

function depJson(d: ChartDependency): Json {
  return ordered(d, DEP_KEYS);
}

export function metadataJson(md: ChartMetadata): Json {
  const out = ordered(md, META_KEYS);
  if (md.maintainers !== undefined && md.maintainers.length > 0)
    out.maintainers = md.maintainers.map((m) =>
      ordered(m, [
        ['name', true],
        ['email', true],
        ['url', true],
      ]),
    );
  if (md.annotations !== undefined && Object.keys(md.annotations).length === 0) delete out.annotations;
  if (md.dependencies !== undefined && md.dependencies.length > 0)
    out.dependencies = md.dependencies.map(depJson);
  return out;
}

function lockJson(l: ChartLock): Json {
  return { generated: l.generated, digest: l.digest, dependencies: l.dependencies.map(depJson) };
}

const fileJson = (f: ChartFile) => ({ name: f.name, data: b64(f.data) });

/** `release.chart` for a chart (JSON-ready: pass to JSON.stringify or a Go-compatible marshaller). */
export function chartToReleaseJson(chart: Chart): Json {
  return {
    metadata: metadataJson(chart.metadata),
    lock: chart.lock === undefined ? null : lockJson(chart.lock),
    templates: chart.templates.map(fileJson),
    values: chart.values,
    schema: chart.schema === undefined ? null : b64(chart.schema),
    files: chart.files.map(fileJson),
  };
}

/** Reads `release.chart` back (from a Helm or flotilla release). */
export function chartFromReleaseJson(o: Json): Chart {
  const files = (Array.isArray(o.files) ? o.files : []).map((f: Json) => ({
    name: String(f.name),
    data: unb64(f.data),
  }));
  const md = (o.metadata ?? {}) as ChartMetadata;
  const chart: Chart = {
    metadata: { ...md, apiVersion: md.apiVersion ?? '', name: md.name ?? '', version: md.version ?? '' },
    templates: (Array.isArray(o.templates) ? o.templates : []).map((f: Json) => ({
      name: String(f.name),
      data: unb64(f.data),
    })),
    values: (o.values ?? {}) as Record<string, unknown>,
    rawValues: '',
    files,
    crds: files.filter((f) => f.name.startsWith('crds/')),
    dependencies: [],
  };
  if (o.lock !== null && o.lock !== undefined) chart.lock = o.lock as ChartLock;
  if (typeof o.schema === 'string') chart.schema = unb64(o.schema);
  return chart;
}
