/**
 * Loading a chart from its files, a directory or a `.tgz`, as Helm's pkg/chart/loader does.
 */

import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ChartLoadError } from './errors.js';
import { HelmIgnore } from './helmignore.js';
import { parseChartYaml, parseLock, parseRequirements, validateMetadata } from './metadata.js';
import { readTarGz } from './tar.js';
import { addDependency, API_VERSION_V1, type Chart, type ChartFile } from './types.js';
import { parseValues } from './yaml-values.js';

const dec = new TextDecoder();

/** Helm's per-file limit inside a chart archive (pkg/chart/loader MaxDecompressedFileSize). */
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;

/**
 * Builds a chart from files whose names are relative to the chart root (`Chart.yaml`,
 * `templates/x.yaml`, `charts/sub/...`, `charts/sub-1.0.0.tgz`). `where` names the source
 * (directory, archive, URL) in errors.
 */
export function loadFiles(files: readonly ChartFile[], where: string): Chart {
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (chartYaml === undefined)
    throw new ChartLoadError(`${where}: Chart.yaml file is missing; a chart needs a Chart.yaml at its root`);
  const fallback = basename(where).replace(/(-\d+\.\d+\.\d+.*)?\.tgz$/, '');
  const metadata = parseChartYaml(dec.decode(chartYaml.data), fallback, `${where}/Chart.yaml`);
  const c: Chart = {
    metadata,
    templates: [],
    values: {},
    rawValues: '',
    files: [],
    crds: [],
    dependencies: [],
  };
  const name = metadata.name === '' ? fallback : metadata.name;
  const isV1 = metadata.apiVersion === API_VERSION_V1;
  const subcharts = new Map<string, ChartFile[]>();
  for (const f of files) {
    const n = f.name;
    if (n === 'Chart.yaml') continue;
    if (n === 'Chart.lock') {
      c.lock = parseLock(dec.decode(f.data), name, `${where}/Chart.lock`);
    } else if (n === 'values.yaml') {
      c.rawValues = dec.decode(f.data);
      try {
        c.values = parseValues(c.rawValues, `${where}/values.yaml`);
      } catch (e) {
        throw new ChartLoadError(`chart ${JSON.stringify(name)}: ${(e as Error).message}`, { cause: e });
      }
    } else if (n === 'values.schema.json') {
      c.schema = f.data;
    } else if (n === 'requirements.yaml') {
      metadata.dependencies = parseRequirements(dec.decode(f.data), name, `${where}/requirements.yaml`);
      if (isV1) c.files.push(f);
    } else if (n === 'requirements.lock') {
      c.lock = parseLock(dec.decode(f.data), name, `${where}/requirements.lock`);
      if (isV1) c.files.push(f);
    } else if (n.startsWith('templates/')) {
      c.templates.push(f);
    } else if (n.startsWith('charts/')) {
      if (n.endsWith('.prov')) {
        c.files.push(f);
        continue;
      }
      const rest = n.slice('charts/'.length);
      const cname = rest.split('/', 1)[0]!;
      const list = subcharts.get(cname) ?? [];
      list.push({ name: rest, data: f.data });
      subcharts.set(cname, list);
    } else {
      c.files.push(f);
    }
  }
  c.crds = c.files.filter((f) => f.name.startsWith('crds/'));
  validateMetadata(metadata, `${where}/Chart.yaml`);
  for (const [cname, list] of [...subcharts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (cname === '' || cname.startsWith('_') || cname.startsWith('.')) continue;
    const subWhere = `${where}/charts/${cname}`;
    let sub: Chart;
    if (cname.endsWith('.tgz')) {
      const file = list[0]!;
      if (file.name !== cname)
        throw new ChartLoadError(
          `${where}: error unpacking subchart tar in ${name}: expected ${cname}, got ${file.name}`,
        );
      sub = loadArchive(file.data, subWhere);
    } else {
      const inner: ChartFile[] = [];
      for (const f of list) {
        const slash = f.name.indexOf('/');
        if (slash < 0) continue; // a plain file in charts/ that is not a chart
        inner.push({ name: f.name.slice(slash + 1), data: f.data });
      }
      if (inner.length === 0)
        throw new ChartLoadError(
          `${where}: error unpacking ${cname} in ${name}: charts/ holds only subcharts (directories or .tgz files); move ${cname} elsewhere or add it to .helmignore`,
        );
      sub = loadFiles(inner, subWhere);
    }
    addDependency(c, sub);
  }
  return c;
}

/** Loads a chart from `.tgz` bytes (a top directory `<name>/`, stripped whatever its name). */
export function loadArchive(gz: Uint8Array, where = 'chart archive'): Chart {
  const files: ChartFile[] = [];
  for (const e of readTarGz(gz, where)) {
    const parts = e.name.replace(/\\/g, '/').split('/');
    if (parts.length === 1 && parts[0] === 'Chart.yaml')
      throw new ChartLoadError(
        `${where}: Chart.yaml is not in a base directory; pack the chart with a top directory <name>/`,
      );
    const n = parts.slice(1).join('/');
    if (n === '') continue;
    if (e.data.length > MAX_DECOMPRESSED_FILE_SIZE)
      throw new ChartLoadError(
        `${where}: decompressed chart file ${JSON.stringify(n)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE} bytes (Helm's limit); move large data out of the chart`,
      );
    if (parts.slice(1).includes('..'))
      throw new ChartLoadError(
        `${where}: chart illegally references a parent directory (${e.name}); rebuild the archive`,
      );
    files.push({ name: n, data: e.data });
  }
  if (files.length === 0) throw new ChartLoadError(`${where}: no files in chart archive`);
  return loadFiles(files, where);
}

/**
 * Reads the files of a chart directory as Helm's LoadDir does: `.helmignore` (plus the default
 * `templates/.?*`) applies to every path, symlinks are followed, names are `/`-separated.
 */
export async function readChartDir(dir: string): Promise<ChartFile[]> {
  let rules = new HelmIgnore();
  const ignorePath = join(dir, '.helmignore');
  try {
    rules = HelmIgnore.parse(await readFile(ignorePath, 'utf8'), ignorePath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  rules.addDefaults();
  const out: ChartFile[] = [];
  const seen = new Set<string>();
  const walk = async (abs: string, rel: string): Promise<void> => {
    const names = (await readdir(abs)).sort();
    for (const name of names) {
      const a = join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = await stat(a);
      if (st.isDirectory()) {
        if (rules.ignores(r, true)) continue;
        // Symlinks are followed (as Helm's sympath does); a link back up would never end.
        const real = await realpath(a);
        if (seen.has(real))
          throw new ChartLoadError(
            `${a}: symbolic link loop in the chart directory; remove the link or add it to .helmignore`,
          );
        seen.add(real);
        await walk(a, r);
        seen.delete(real);
        continue;
      }
      if (rules.ignores(r, false)) continue;
      if (!st.isFile())
        throw new ChartLoadError(
          `${a}: cannot load irregular file as it has file mode type bits set; remove it or add it to .helmignore`,
        );
      out.push({ name: r, data: new Uint8Array(await readFile(a)) });
    }
  };
  try {
    seen.add(await realpath(dir));
    await walk(dir, '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new ChartLoadError(`${dir}: no such chart directory; check the path`, { cause: e });
    throw e;
  }
  return out;
}

/** Loads an unpacked chart directory. */
export async function loadDir(dir: string): Promise<Chart> {
  return loadFiles(await readChartDir(dir), dir);
}

/** Loads a chart from a directory or a `.tgz` file. */
export async function loadChart(path: string): Promise<Chart> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (e) {
    throw new ChartLoadError(`${path}: no such chart file or directory; check the path`, { cause: e });
  }
  if (st.isDirectory()) return loadDir(path);
  return loadArchive(new Uint8Array(await readFile(path)), path);
}
