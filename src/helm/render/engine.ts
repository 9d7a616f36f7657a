/**
 * Helm's template engine (pkg/engine/engine.go) on flotilla's Go template engine: every
 * template of the chart tree parsed into one set under `<chartFullPath>/templates/<file>`
 * (deepest charts first, so parents' `define`s win), then each non-partial template executed
 * with its chart's render object; `<no value>` removed (missingkey=zero).
 */

import { helmFuncs } from '../../engine/template/funcs/index.js';
import {
  type FuncMap,
  type Injected,
  mkInt,
  TemplateError,
  TemplateSet,
} from '../../engine/template/index.js';
import { type Chart, chartFullPath, isLibrary } from '../chart/types.js';
import { isTable, type Values } from './coalesce.js';
import { HelmRenderError } from './errors.js';
import { filesObject } from './files.js';
import { type Capabilities, capabilitiesObject, chartObject } from './objects.js';

/** `.Release` (Helm's chartutil.ReleaseOptions). */
export interface ReleaseInfo {
  name: string;
  namespace: string;
  revision: number;
  isUpgrade: boolean;
  isInstall: boolean;
}

export interface EngineInput {
  /** The processed chart tree (dependencies resolved). */
  chart: Chart;
  /** Coalesced values of the root chart. */
  values: Values;
  release: ReleaseInfo;
  capabilities: Capabilities;
  /** Services for functions (lookup, random, now, crypto). */
  injected?: Injected;
  /** Strict mode (`helm lint --strict`): missingkey=error. */
  strict?: boolean;
}

interface Renderable {
  chart: Chart;
  data: Uint8Array;
  vals: Values;
  basePath: string;
}

let funcsCache: FuncMap | undefined;

interface ParsedSet {
  names: string[];
  datas: Uint8Array[];
  strict: boolean;
  set: TemplateSet;
}

// Parsed template sets, keyed by the first template's bytes: a chart rendered again (another
// cluster, new values) reuses the parse when its templates are the very same objects.
const parsedSets = new WeakMap<Uint8Array, ParsedSet>();

function parsedSet(keys: string[], tpls: Map<string, Renderable>, strict: boolean): TemplateSet {
  const datas = keys.map((k) => (tpls.get(k) as Renderable).data);
  const hit = datas.length > 0 ? parsedSets.get(datas[0]) : undefined;
  if (
    hit !== undefined &&
    hit.strict === strict &&
    hit.names.length === keys.length &&
    hit.names.every((n, i) => n === keys[i] && hit.datas[i] === datas[i])
  ) {
    return hit.set;
  }
  funcsCache ??= helmFuncs();
  const set = new TemplateSet({
    funcs: funcsCache,
    option: strict ? 'missingkey=error' : 'missingkey=zero',
    numbers: 'float64',
  });
  const dec = new TextDecoder();
  for (const name of keys) {
    const r = tpls.get(name) as Renderable;
    try {
      set.parse(name, dec.decode(r.data));
    } catch (e) {
      wrap(e, r.chart, name);
    }
  }
  if (datas.length > 0) parsedSets.set(datas[0], { names: keys, datas, strict, set });
  return set;
}

function collect(chart: Chart, parentVals: Values, top: Values, out: Map<string, Renderable>): Values {
  const full = chartFullPath(chart);
  const subcharts: Values = {};
  const next: Values = {
    Chart: chartObject(chart),
    Files: filesObject(chart.files),
    Release: top.Release,
    Capabilities: top.Capabilities,
    Values: {},
    Subcharts: subcharts,
  };
  if (chart.parent === undefined) next.Values = top.Values;
  else {
    const pv = parentVals.Values;
    const mine = isTable(pv) ? pv[chart.metadata.name] : undefined;
    if (isTable(mine)) next.Values = mine;
  }
  for (const sub of chart.dependencies) subcharts[sub.metadata.name] = collect(sub, next, top, out);
  for (const t of chart.templates) {
    const base = t.name.slice(t.name.lastIndexOf('/') + 1);
    if (isLibrary(chart) && !base.startsWith('_')) continue;
    out.set(`${full}/${t.name}`, {
      chart,
      data: t.data,
      vals: next,
      basePath: `${full}/templates`,
    });
  }
  return next;
}

/** Helm's sortTemplates: more path segments first, then names in reverse lexical order. */
function sortTemplates(names: string[]): string[] {
  const depth = (s: string) => s.split('/').length - 1;
  return [...names].sort((a, b) => {
    const da = depth(a);
    const db = depth(b);
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

function chartLabel(c: Chart): string {
  return `${c.metadata.name}-${c.metadata.version}`;
}

const EXEC_CALL =
  /^template: ([^:]+):(\d+):(\d+): executing "[^"]*" at <[^>]*>: error calling (?:fail|required): ([\s\S]*)$/;

/** Helm's reformatExecErrorMsg: `fail`/`required` become `execution error at (FILE:L:C): MSG`. */
function helmMessage(e: TemplateError): string {
  const m = EXEC_CALL.exec(e.message);
  if (m !== null) return `execution error at (${m[1]}:${m[2]}:${m[3]}): ${m[4]}`;
  return e.message;
}

function wrap(e: unknown, chart: Chart, file: string): never {
  if (e instanceof TemplateError) {
    const err = new HelmRenderError(
      'helm.template',
      `chart ${chartLabel(chart)}: ${helmMessage(e)} (template ${file}${e.line ? ` line ${e.line}` : ''}${e.col ? ` column ${e.col}` : ''}); fix the template or the values it reads`,
      { cause: e },
    );
    Object.assign(err, { template: e.templateName || file, line: e.line, column: e.col });
    throw err;
  }
  throw e;
}

/** Renders every template; returns output by template name (partials and library templates excluded). */
export function renderTemplates(input: EngineInput): Map<string, string> {
  const top: Values = {
    Release: {
      Name: input.release.name,
      Namespace: input.release.namespace,
      IsUpgrade: input.release.isUpgrade,
      IsInstall: input.release.isInstall,
      Revision: mkInt(input.release.revision),
      Service: 'Helm',
    },
    Capabilities: capabilitiesObject(input.capabilities),
    Values: input.values,
  };
  const tpls = new Map<string, Renderable>();
  collect(input.chart, {}, top, tpls);
  const keys = sortTemplates([...tpls.keys()]);
  const set = parsedSet(keys, tpls, input.strict ?? false);
  const out = new Map<string, string>();
  const injected = input.injected ?? {};
  for (const name of keys) {
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (base.startsWith('_')) continue;
    const r = tpls.get(name) as Renderable;
    const vals = { ...r.vals, Template: { Name: name, BasePath: r.basePath } };
    try {
      out.set(name, set.execute(name, vals, { injected }).replaceAll('<no value>', ''));
    } catch (e) {
      wrap(e, r.chart, name);
    }
  }
  return out;
}
