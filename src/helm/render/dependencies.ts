/**
 * Helm's ProcessDependenciesWithMerge (pkg/chartutil/dependencies.go): aliases applied,
 * subcharts enabled by `tags` and `condition`, disabled ones removed, then `import-values`
 * copied from children into their parents. Works on a copy of the chart tree.
 */

import { Constraints, Version } from '../../engine/template/funcs/semver.js';
import type { Chart, ChartDependency, ImportValue } from '../chart/types.js';
import {
  coalesceValues,
  isTable,
  mergeTables,
  mergeValues,
  pathToMap,
  pathValue,
  type Values,
  type Warn,
} from './coalesce.js';

/** A copy of the chart tree (metadata and dependency lists copied; file contents shared). */
export function copyChart(chart: Chart, parent?: Chart): Chart {
  const out: Chart = {
    ...chart,
    metadata: {
      ...chart.metadata,
      dependencies: chart.metadata.dependencies?.map((d) => ({ ...d })),
    },
    values: chart.values,
    dependencies: [],
    parent,
  };
  out.dependencies = chart.dependencies.map((d) => copyChart(d, out));
  return out;
}

function compatible(range: string | undefined, version: string): boolean {
  if (range === undefined || range === '') return true;
  try {
    return Constraints.parse(range).check(Version.parse(version));
  } catch {
    return false;
  }
}

/**
 * Resolves the dependencies of a (copied) chart tree against the user values, in place:
 * returns the same chart with disabled subcharts removed, aliases applied and imported values
 * merged into `values`.
 */
export function processDependencies(chart: Chart, userValues: Values, warn: Warn = () => {}): Chart {
  processEnabled(chart, userValues, '', warn);
  processImportValues(chart, warn);
  return chart;
}

function aliasDependency(charts: Chart[], dep: ChartDependency, parent: Chart): Chart | undefined {
  for (const c of charts) {
    if (c.metadata.name !== dep.name) continue;
    if (!compatible(dep.version, c.metadata.version)) continue;
    const out: Chart = {
      ...c,
      metadata: { ...c.metadata, dependencies: c.metadata.dependencies?.map((d) => ({ ...d })) },
      parent,
    };
    if (dep.alias) out.metadata.name = dep.alias;
    out.dependencies = c.dependencies.map((d) => copyChart(d, out));
    return out;
  }
  return undefined;
}

function processEnabled(chart: Chart, vals: Values, path: string, warn: Warn): void {
  const reqs = chart.metadata.dependencies;
  if (reqs === undefined) return;
  const deps: Chart[] = [];
  for (const existing of chart.dependencies) {
    const declared = reqs.some(
      (r) => existing.metadata.name === r.name && compatible(r.version, existing.metadata.version),
    );
    if (!declared) deps.push(existing);
  }
  for (const req of reqs) {
    const d = aliasDependency(chart.dependencies, req, chart);
    if (d !== undefined) deps.push(d);
    if (req.alias) req.name = req.alias;
  }
  chart.dependencies = deps;
  for (const r of reqs) r.enabled = true;
  const cvals = coalesceValues(chart, vals, warn);
  processTags(reqs, cvals, warn);
  processConditions(reqs, cvals, path, warn);
  const removed = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  const kept = chart.dependencies.filter((c) => !removed.has(c.metadata.name));
  for (const sub of kept) processEnabled(sub, cvals, `${path}${sub.metadata.name}.`, warn);
  chart.metadata.dependencies = reqs.filter((r) => !removed.has(r.name));
  chart.dependencies = kept;
}

function processConditions(reqs: ChartDependency[], cvals: Values, cpath: string, warn: Warn): void {
  for (const r of reqs) {
    for (const c of (r.condition ?? '').trim().split(',')) {
      const cond = c.trim();
      if (cond === '') continue;
      const v = pathValue(cvals, cpath + cond);
      if (v === undefined) continue;
      if (typeof v === 'boolean') {
        r.enabled = v;
        break;
      }
      warn(`Warning: Condition path '${cond}' for chart ${r.name} returned non-bool value`);
    }
  }
}

function processTags(reqs: ChartDependency[], cvals: Values, warn: Warn): void {
  const tags = cvals.tags;
  if (!isTable(tags)) return;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags ?? []) {
      if (!Object.hasOwn(tags, k)) continue;
      const b = tags[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else warn(`Warning: Tag '${k}' for chart ${r.name} returned non-bool value`);
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else r.enabled = true;
  }
}

function processImportValues(chart: Chart, warn: Warn): void {
  for (const d of chart.dependencies) processImportValues(d, warn);
  const reqs = chart.metadata.dependencies;
  if (reqs === undefined) return;
  const cvals = mergeValues(chart, undefined, warn);
  let b: Values = {};
  for (const r of reqs) {
    const out: ImportValue[] = [];
    for (const iv of r['import-values'] ?? []) {
      if (typeof iv === 'string') {
        const child = `exports.${iv}`;
        out.push({ child, parent: '.' });
        const vm = pathValue(cvals, `${r.name}.${child}`);
        if (!isTable(vm)) {
          warn(`Warning: ImportValues missing table from chart ${r.name}: ${child}`);
          continue;
        }
        b = mergeTables(b, structuredClone(vm));
      } else if (isTable(iv)) {
        out.push({ child: iv.child, parent: iv.parent });
        const vv = pathValue(cvals, `${r.name}.${iv.child}`);
        if (!isTable(vv)) {
          warn(`Warning: ImportValues missing table from chart ${r.name}: ${iv.child}`);
          continue;
        }
        b = mergeTables(b, pathToMap(iv.parent, structuredClone(vv)));
      }
    }
    if (r['import-values'] !== undefined) r['import-values'] = out;
  }
  chart.values = mergeTables(structuredClone(cvals), b);
}
