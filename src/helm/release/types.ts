/**
 * Helm 3's release record (pkg/release), with its JSON field names, as stored by the Secret
 * driver. Times are Go RFC3339Nano strings; `info.deleted` is always present (Go's zero time
 * when not deleted).
 */

import type { ChartDependency, ChartLock, ChartMetadata } from '../chart/types.js';
import type { Hook } from '../render/manifests.js';

export type { Hook };

export type ReleaseStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

export interface ReleaseInfo {
  first_deployed: string;
  last_deployed: string;
  deleted: string;
  description: string;
  status: ReleaseStatus;
  notes?: string;
}

export interface ReleaseFile {
  name: string;
  /** base64 */
  data: string;
}

/** Helm's chart.Chart as JSON (subcharts are not serialised, as in Helm). */
export interface ReleaseChart {
  metadata: ChartMetadata & { dependencies?: ChartDependency[] };
  lock: ChartLock | null;
  templates: ReleaseFile[];
  values: Record<string, unknown>;
  /** base64 of values.schema.json, or null. */
  schema: string | null;
  files: ReleaseFile[];
}

export interface Release {
  name: string;
  info: ReleaseInfo;
  chart: ReleaseChart;
  /** User-supplied values. */
  config: Record<string, unknown>;
  manifest: string;
  hooks?: Hook[];
  version: number;
  namespace: string;
  /** Custom labels stored on the Secret (json:"-" in Helm). */
  labels?: Record<string, string>;
}

/** Go's zero time.Time in RFC 3339. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A time as Go's RFC3339Nano in UTC: fractional zeros trimmed, `Z` zone. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  const [main, frac] = iso.slice(0, -1).split('.');
  const f = (frac ?? '').replace(/0+$/, '');
  return f === '' ? `${main}Z` : `${main}.${f}Z`;
}
