/**
 * Packing a chart into a `.tgz` (`helm package`): a top directory `<name>/` holding the chart's
 * files after `.helmignore`, Chart.yaml first. The output is deterministic (fixed mtime, sorted
 * names), so the same chart always has the same digest.
 */

import { createHash } from 'node:crypto';
import { ChartLoadError } from './errors.js';
import { readChartDir } from './load.js';
import { parseChartYaml, validateMetadata } from './metadata.js';
import { writeTarGz } from './tar.js';
import type { ChartFile, ChartMetadata } from './types.js';

export interface PackedChart {
  metadata: ChartMetadata;
  /** `<name>-<version>.tgz`. */
  fileName: string;
  data: Uint8Array;
  /** sha256 of `data`, hex (the index.yaml `digest`). */
  digest: string;
}

/** sha256 of bytes, lowercase hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Packs chart files (names relative to the chart root). */
export function packFiles(files: readonly ChartFile[], where: string, mtime = 0): PackedChart {
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (chartYaml === undefined)
    throw new ChartLoadError(`${where}: Chart.yaml file is missing; cannot package the chart`);
  const metadata = parseChartYaml(new TextDecoder().decode(chartYaml.data), where, `${where}/Chart.yaml`);
  validateMetadata(metadata, `${where}/Chart.yaml`);
  const rest = files
    .filter((f) => f.name !== 'Chart.yaml')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries = [chartYaml, ...rest].map((f) => ({ name: `${metadata.name}/${f.name}`, data: f.data }));
  const data = writeTarGz(entries, mtime);
  return { metadata, fileName: `${metadata.name}-${metadata.version}.tgz`, data, digest: sha256Hex(data) };
}

/** Packs a chart directory (`helm package <dir>`). */
export async function packDir(dir: string, mtime = 0): Promise<PackedChart> {
  return packFiles(await readChartDir(dir), dir, mtime);
}
