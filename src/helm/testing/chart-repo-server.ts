/**
 * A Helm chart repository for tests: `GET <base>/index.yaml` and `GET <base>/<name>-<version>.tgz`
 * on a free loopback port, over HTTP or HTTPS (a throwaway CA), optionally behind basic auth.
 *
 *   const repo = await startChartRepo({ charts: [fixtureChart('cloudnative-pg/0.22.1')] });
 *   // helmCharts: repositoryURL: repo.url, chartName: 'cloudnative-pg', chartVersion: '0.22.1'
 *   await repo.stop();
 */

import { stringify } from 'yaml';
import type { PackedChart } from '../chart/pack.js';
import { type ChartInput, packInputs } from './fixtures.js';
import { basicOk, listen, send } from './server-util.js';
import { generateTestTls, type TestTls } from './tls.js';

export interface ChartRepoOptions {
  /** Chart directories or packed charts; several versions of one chart are fine. */
  charts: readonly ChartInput[];
  /** Require basic auth on every request. */
  auth?: { username: string; password: string };
  /** Serve HTTPS: `true` for a fresh CA, or given material. */
  tls?: boolean | TestTls;
  /** URL path of the repository (default `/charts`). */
  basePath?: string;
  /** Write absolute chart URLs in index.yaml instead of relative ones (default false). */
  absoluteUrls?: boolean;
  /** Absolute base URL written for chart URLs instead of this server's (charts hosted elsewhere). */
  chartBaseUrl?: string;
  /** TCP port on 127.0.0.1 (default 0: a free one). */
  port?: number;
}

export interface ChartRepo {
  /** The repository URL, e.g. `http://127.0.0.1:41234/charts` (no trailing slash). */
  url: string;
  /** PEM of the CA when serving HTTPS. */
  caPem?: string;
  /** The packed charts served (digests, file names). */
  charts: PackedChart[];
  /** Request paths received, in order (e.g. to count downloads). */
  requests: string[];
  /** Adds a chart version (it appears in the next index.yaml). */
  add(chart: ChartInput): Promise<PackedChart>;
  /** Renders the current index.yaml. */
  indexYaml(): string;
  stop(): Promise<void>;
}

const CREATED = '2026-01-01T00:00:00Z';

export async function startChartRepo(opts: ChartRepoOptions): Promise<ChartRepo> {
  const tls = opts.tls === true ? await generateTestTls() : opts.tls === false ? undefined : opts.tls;
  const base = (opts.basePath ?? '/charts').replace(/\/+$/, '');
  const charts = await packInputs(opts.charts);
  const requests: string[] = [];
  let url = '';

  const indexYaml = (): string => {
    const entries: Record<string, unknown[]> = {};
    for (const c of charts) {
      const list = entries[c.metadata.name] ?? [];
      list.push({
        ...c.metadata,
        urls: [
          opts.chartBaseUrl !== undefined
            ? `${opts.chartBaseUrl.replace(/\/+$/, '')}/${c.fileName}`
            : opts.absoluteUrls === true
              ? `${url}/${c.fileName}`
              : c.fileName,
        ],
        created: CREATED,
        digest: c.digest,
      });
      entries[c.metadata.name] = list;
    }
    return stringify({ apiVersion: 'v1', entries, generated: CREATED });
  };

  const server = await listen(
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      requests.push(path);
      if (opts.auth !== undefined && !basicOk(req, opts.auth)) {
        send(res, 401, 'unauthorized\n', { 'www-authenticate': 'Basic realm="charts"' });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
      if (path === `${base}/index.yaml`)
        return send(res, 200, indexYaml(), { 'content-type': 'application/x-yaml' });
      const file = path.startsWith(`${base}/`) ? path.slice(base.length + 1) : '';
      const chart = charts.find((c) => c.fileName === file);
      if (chart !== undefined) return send(res, 200, chart.data, { 'content-type': 'application/gzip' });
      send(res, 404, 'not found\n');
    },
    tls,
    opts.port,
  );
  url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${server.port}${base}`;

  const out: ChartRepo = {
    url,
    charts,
    requests,
    indexYaml,
    add: async (c) => {
      const [p] = await packInputs([c]);
      charts.push(p!);
      return p!;
    },
    stop: server.stop,
  };
  if (tls !== undefined) out.caPem = tls.caPem;
  return out;
}
