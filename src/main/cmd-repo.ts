import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadArchive, type PackedChart, packDir, sha256Hex } from '../helm/chart/index.js';
import { type ChartInput, startChartRepo } from '../helm/testing/index.js';
import { FlotillaError, UsageError } from '../lib/errors.js';
import { parsePort } from './fleet/spec.js';
import { registerCommand } from './registry.js';

/** A packed `.tgz` as it is on disk (its digest is that of the file, as `helm repo index` does). */
function archive(path: string, name: string): PackedChart {
  const data = readFileSync(path);
  const chart = loadArchive(data, path);
  return { metadata: chart.metadata, fileName: name, data, digest: sha256Hex(data) };
}

/**
 * The charts of DIR: its `.tgz` files, and chart directories (DIR itself or its subfolders with
 * a Chart.yaml), packed as `helm package` would. Bad charts are usage errors naming the file.
 */
export async function chartsIn(dir: string): Promise<ChartInput[]> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new UsageError(
      `cannot read the chart folder ${dir}: ${(e as Error).message}; give a folder of chart .tgz files`,
    );
  }
  const dirs = existsSync(join(dir, 'Chart.yaml'))
    ? [dir]
    : names.map((n) => join(dir, n)).filter((p) => existsSync(join(p, 'Chart.yaml')));
  const charts: ChartInput[] = [];
  try {
    for (const n of names) if (n.endsWith('.tgz')) charts.push(archive(join(dir, n), n));
    for (const d of dirs) charts.push(await packDir(d));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; fix or remove that chart`);
  }
  if (charts.length === 0)
    throw new UsageError(
      `${dir} holds no chart: put chart .tgz files (helm package) or chart folders with a Chart.yaml in it`,
    );
  return charts;
}

registerCommand((program: Command) => {
  program
    .command('repo')
    .description('Helm chart repositories')
    .command('serve')
    .argument('<dir>', 'folder of chart .tgz files (chart folders with a Chart.yaml are packed too)')
    .description('serve a folder as an HTTP Helm chart repository on 127.0.0.1 (index.yaml generated)')
    .option('--port <port>', 'TCP port (default: a free one)', '0')
    .action(async (dir: string, o: { port: string }) => {
      const port = parsePort(o.port, '--port');
      const charts = await chartsIn(dir);
      const repo = await startChartRepo({ charts, basePath: '', port }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE')
          throw new FlotillaError(
            'repo.port',
            `port ${port} is in use: pick another with --port, or omit --port`,
          );
        throw e;
      });
      const lines = repo.charts.map(
        (c) => `chart ${c.metadata.name} ${c.metadata.version} ${repo.url}/${c.fileName}`,
      );
      process.stdout.write(`${lines.join('\n')}\nrepository ${repo.url}\nready\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await repo.stop();
    });
});
