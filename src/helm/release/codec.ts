/**
 * The Secret driver's encoding (pkg/storage/driver/util.go): base64(gzip(json(release))),
 * gzip at BestCompression; decoding also accepts uncompressed JSON as Helm does.
 */

import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { bytesToBase64 } from '../../engine/template/funcs/encoding.js';
import type { Chart, ChartFile } from '../chart/types.js';
import { type Release, type ReleaseChart, type ReleaseFile, ZERO_TIME } from './types.js';
import { ReleaseStorageError } from './errors.js';

const MAGIC = [0x1f, 0x8b, 0x08];

export function encodeRelease(rel: Release): string {
  const { labels: _labels, ...rest } = rel;
  const json = JSON.stringify(rest);
  return gzipSync(Buffer.from(json, 'utf8'), { level: constants.Z_BEST_COMPRESSION }).toString('base64');
}

export function decodeRelease(data: string, where: string): Release {
  try {
    let b = Buffer.from(data, 'base64');
    if (b.length > 3 && MAGIC.every((m, i) => b[i] === m)) b = gunzipSync(b);
    const rel = JSON.parse(b.toString('utf8')) as Release;
    rel.info ??= {
      first_deployed: ZERO_TIME,
      last_deployed: ZERO_TIME,
      deleted: ZERO_TIME,
      description: '',
      status: 'unknown',
    };
    return rel;
  } catch (e) {
    throw new ReleaseStorageError(
      'helm.release.decode',
      `release record ${where} cannot be decoded (${(e as Error).message}); it is not a Helm 3 release: delete or repair the Secret`,
      { cause: e },
    );
  }
}

function files(fs: readonly ChartFile[]): ReleaseFile[] {
  return fs.map((f) => ({ name: f.name, data: bytesToBase64(f.data) }));
}

/** The chart as Helm serialises it in a release (no subcharts, `[]byte` as base64). */
export function releaseChart(chart: Chart): ReleaseChart {
  return {
    metadata: chart.metadata,
    lock: chart.lock ?? null,
    templates: files(chart.templates),
    values: chart.values,
    schema: chart.schema === undefined ? null : bytesToBase64(chart.schema),
    files: files(chart.files),
  };
}
