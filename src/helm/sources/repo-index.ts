/**
 * A chart repository's `index.yaml` (Helm's repo.IndexFile): parsing, Helm's entry sorting and
 * validity filtering, and building one for the test repository.
 */

import { ChartValidationError } from '../chart/errors.js';
import { validateMetadata } from '../chart/metadata.js';
import type { ChartMetadata } from '../chart/types.js';
import { yamlToJson } from '../chart/yaml-values.js';
import { ChartSourceError } from './errors.js';
import { sortVersionsDesc } from './version-select.js';

/** A ChartVersion: Chart.yaml metadata plus where to download it. */
export interface IndexChartVersion extends ChartMetadata {
  urls: string[];
  created?: string;
  digest?: string;
  removed?: boolean;
}

export interface RepoIndex {
  apiVersion: string;
  generated?: string;
  entries: Record<string, IndexChartVersion[]>;
}

/**
 * Parses index.yaml. As Helm does, entries that fail Chart.yaml validation are dropped and each
 * chart's versions are sorted highest first.
 */
export function parseRepoIndex(text: string, where: string): RepoIndex {
  let raw: unknown;
  try {
    raw = yamlToJson(text);
  } catch (e) {
    throw new ChartSourceError(
      'bad-response',
      `${where}: cannot parse index.yaml (${(e as Error).message}); check that the URL is a Helm chart repository`,
      {
        cause: e,
      },
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ChartSourceError(
      'bad-response',
      `${where}: index.yaml is not a map; check that the URL is a Helm chart repository`,
    );
  const o = raw as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '')
    throw new ChartSourceError(
      'bad-response',
      `${where}: no API version specified in index.yaml; check that the URL is a Helm chart repository`,
    );
  const entries: Record<string, IndexChartVersion[]> = {};
  const rawEntries = (o.entries ?? {}) as Record<string, unknown>;
  for (const [name, list] of Object.entries(rawEntries)) {
    if (!Array.isArray(list)) continue;
    const good: IndexChartVersion[] = [];
    for (const item of list) {
      if (item === null || typeof item !== 'object') continue;
      const cv = normalise(item as Record<string, unknown>);
      try {
        validateMetadata(cv, `${where} entry ${name}`);
      } catch (e) {
        if (e instanceof ChartValidationError) continue;
        throw e;
      }
      good.push(cv);
    }
    entries[name] = sortVersionsDesc(good, (v) => v.version);
  }
  const idx: RepoIndex = { apiVersion: o.apiVersion, entries };
  if (typeof o.generated === 'string') idx.generated = o.generated;
  return idx;
}

function normalise(o: Record<string, unknown>): IndexChartVersion {
  const str = (v: unknown) =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  const cv = { ...o } as unknown as IndexChartVersion;
  cv.name = str(o.name) ?? '';
  cv.version = str(o.version) ?? '';
  cv.apiVersion = str(o.apiVersion) ?? 'v1';
  const av = str(o.appVersion);
  if (av !== undefined) cv.appVersion = av;
  cv.urls = Array.isArray(o.urls) ? o.urls.filter((u): u is string => typeof u === 'string') : [];
  return cv;
}

/** Helm's ResolveReferenceURL: a relative chart URL resolves against the repository URL. */
export function resolveChartUrl(repoUrl: string, ref: string): string {
  try {
    return new URL(ref).toString();
  } catch {
    // relative
  }
  const base = new URL(repoUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/`;
  const query = base.search;
  const out = new URL(ref, base);
  out.search = query;
  return out.toString();
}

/** `<repo>/index.yaml`, keeping the repository URL's query. */
export function indexUrl(repoUrl: string): string {
  const u = new URL(repoUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/index.yaml`;
  return u.toString();
}
