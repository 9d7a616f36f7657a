/** Locating and packing the fixture charts of `test/fixtures/charts/` (from src/ or dist/). */

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackedChart, packDir } from '../chart/pack.js';

let root: string | undefined;

/** The absolute path of `test/fixtures/charts`, found by walking up from this module. */
export function fixtureChartsDir(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'charts');
    if (existsSync(join(candidate, 'umbrella', 'Chart.yaml'))) {
      root = candidate;
      return candidate;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error('test/fixtures/charts not found above src/helm/testing; run from the repository');
    dir = up;
  }
}

/**
 * A fixture chart directory: `umbrella`, `hooks`, `with-crds`, `legacy-v1`,
 * `cloudnative-pg/0.22.1`, `cloudnative-pg/0.27.1`, `nats/1.2.9`.
 */
export function fixtureChart(name: string): string {
  return join(fixtureChartsDir(), name);
}

/** Every fixture chart directory. */
export const FIXTURE_CHARTS = [
  'umbrella',
  'hooks',
  'with-crds',
  'legacy-v1',
  'cloudnative-pg/0.22.1',
  'cloudnative-pg/0.27.1',
  'nats/1.2.9',
] as const;

/** A chart to serve: a chart directory path or an already packed chart. */
export type ChartInput = string | PackedChart;

export async function packInputs(charts: readonly ChartInput[]): Promise<PackedChart[]> {
  return Promise.all(charts.map((c) => (typeof c === 'string' ? packDir(c) : Promise.resolve(c))));
}
