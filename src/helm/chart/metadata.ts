/**
 * Chart.yaml, requirements.yaml and Chart.lock parsing with Helm's validation
 * (pkg/chart Metadata.Validate, Dependency.Validate). Field values are converted as
 * sigs.k8s.io/yaml does into Helm's Go structs: a number or boolean given for a string field
 * becomes its text (so an unquoted `appVersion: 1.10` reads as "1.1", as in Helm).
 */

import { Version } from '../../engine/template/funcs/semver.js';
import { ChartLoadError, ChartValidationError } from './errors.js';
import type { ChartDependency, ChartLock, ChartMaintainer, ChartMetadata, ImportValue } from './types.js';
import { API_VERSION_V1 } from './types.js';
import { yamlToJson } from './yaml-values.js';

type Obj = Record<string, unknown>;

class FieldReader {
  constructor(
    readonly chart: string,
    readonly where: string,
  ) {}

  fail(field: string, problem: string, todo: string): never {
    throw new ChartValidationError(
      this.chart,
      field,
      `chart ${JSON.stringify(this.chart)} (${this.where}): ${field} ${problem}; ${todo}`,
    );
  }

  str(o: Obj, key: string, field: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(`${field}.${key}`, `must be a string, not ${kind(v)}`, 'quote the value');
  }

  bool(o: Obj, key: string, field: string): boolean | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    return this.fail(`${field}.${key}`, `must be true or false, not ${kind(v)}`, 'use true or false');
  }

  strList(o: Obj, key: string, field: string): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v))
      return this.fail(`${field}.${key}`, `must be a list, not ${kind(v)}`, 'write a YAML list');
    return v.map((x, i) => {
      if (typeof x === 'string') return x;
      if (typeof x === 'number' || typeof x === 'boolean') return String(x);
      return this.fail(`${field}.${key}[${i}]`, `must be a string, not ${kind(x)}`, 'quote the value');
    });
  }

  map(o: Obj, key: string, field: string): Obj | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v))
      return this.fail(`${field}.${key}`, `must be a map, not ${kind(v)}`, 'write a YAML map');
    return v as Obj;
  }

  list(o: Obj, key: string, field: string): unknown[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v))
      return this.fail(`${field}.${key}`, `must be a list, not ${kind(v)}`, 'write a YAML list');
    return v;
  }
}

function kind(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}

function setIf<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) o[k] = v;
}

function parseDoc(text: string, chart: string, where: string): Obj {
  let v: unknown;
  try {
    v = yamlToJson(text);
  } catch (e) {
    throw new ChartLoadError(
      `chart ${JSON.stringify(chart)}: cannot load ${where}: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw new ChartLoadError(
      `chart ${JSON.stringify(chart)}: cannot load ${where}: the top level must be a map`,
    );
  return v as Obj;
}

function readDependencies(r: FieldReader, o: Obj, field: string): ChartDependency[] | undefined {
  const list = r.list(o, 'dependencies', field);
  if (list === undefined) return undefined;
  return list.map((d, i) => {
    const f = `${field}.dependencies[${i}]`;
    if (d === null || typeof d !== 'object' || Array.isArray(d))
      return r.fail(f, 'must be a map', 'dependencies must not contain empty or null nodes');
    const dm = d as Obj;
    const dep: ChartDependency = {
      name: r.str(dm, 'name', f) ?? '',
      repository: r.str(dm, 'repository', f) ?? '',
    };
    setIf(dep, 'version', r.str(dm, 'version', f));
    setIf(dep, 'condition', r.str(dm, 'condition', f));
    setIf(dep, 'tags', r.strList(dm, 'tags', f));
    setIf(dep, 'enabled', r.bool(dm, 'enabled', f));
    setIf(dep, 'alias', r.str(dm, 'alias', f));
    const iv = dm['import-values'];
    if (iv !== undefined && iv !== null) dep['import-values'] = readImportValues(r, iv, `${f}.import-values`);
    return dep;
  });
}

function readImportValues(r: FieldReader, v: unknown, field: string): ImportValue[] {
  if (!Array.isArray(v))
    return r.fail(field, `must be a list, not ${kind(v)}`, 'write a list of strings or child/parent maps');
  return v.map((x, i) => {
    if (typeof x === 'string') return x;
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const m = x as Obj;
      return {
        child: r.str(m, 'child', `${field}[${i}]`) ?? '',
        parent: r.str(m, 'parent', `${field}[${i}]`) ?? '',
      };
    }
    return r.fail(
      `${field}[${i}]`,
      `must be a string or a child/parent map, not ${kind(x)}`,
      'fix the entry',
    );
  });
}

/**
 * Parses Chart.yaml. `fallbackName` names the chart in errors until its name is known (the
 * directory or archive name); `where` is the file location shown in errors.
 */
export function parseChartYaml(text: string, fallbackName: string, where: string): ChartMetadata {
  const o = parseDoc(text, fallbackName, where);
  const name = typeof o.name === 'string' && o.name !== '' ? o.name : fallbackName;
  const r = new FieldReader(name, where);
  const f = 'chart.metadata';
  const md: ChartMetadata = {
    apiVersion: r.str(o, 'apiVersion', f) ?? '',
    name: r.str(o, 'name', f) ?? '',
    version: r.str(o, 'version', f) ?? '',
  };
  // Helm 2 charts may omit apiVersion: Helm reads them as v1.
  if (md.apiVersion === '') md.apiVersion = API_VERSION_V1;
  setIf(md, 'kubeVersion', r.str(o, 'kubeVersion', f));
  setIf(md, 'description', r.str(o, 'description', f));
  setIf(md, 'type', r.str(o, 'type', f));
  setIf(md, 'keywords', r.strList(o, 'keywords', f));
  setIf(md, 'home', r.str(o, 'home', f));
  setIf(md, 'sources', r.strList(o, 'sources', f));
  setIf(md, 'icon', r.str(o, 'icon', f));
  setIf(md, 'appVersion', r.str(o, 'appVersion', f));
  setIf(md, 'deprecated', r.bool(o, 'deprecated', f));
  setIf(md, 'condition', r.str(o, 'condition', f));
  setIf(md, 'tags', r.str(o, 'tags', f));
  const ann = r.map(o, 'annotations', f);
  if (ann !== undefined) {
    const a: Record<string, string> = {};
    for (const k of Object.keys(ann)) a[k] = r.str(ann, k, `${f}.annotations`) ?? '';
    md.annotations = a;
  }
  const maint = r.list(o, 'maintainers', f);
  if (maint !== undefined) {
    md.maintainers = maint.map((m, i) => {
      const mf = `${f}.maintainers[${i}]`;
      if (m === null || typeof m !== 'object' || Array.isArray(m))
        return r.fail(
          mf,
          'must be a map with name, email and url',
          'maintainers must not contain empty or null nodes',
        );
      const out: ChartMaintainer = {};
      setIf(out, 'name', r.str(m as Obj, 'name', mf));
      setIf(out, 'email', r.str(m as Obj, 'email', mf));
      setIf(out, 'url', r.str(m as Obj, 'url', mf));
      return out;
    });
  }
  setIf(md, 'dependencies', readDependencies(r, o, f));
  return md;
}

/** Reads the `dependencies` of a Helm 2 requirements.yaml. */
export function parseRequirements(text: string, chart: string, where: string): ChartDependency[] {
  const o = parseDoc(text, chart, where);
  return readDependencies(new FieldReader(chart, where), o, 'requirements') ?? [];
}

/** Parses Chart.lock / requirements.lock. */
export function parseLock(text: string, chart: string, where: string): ChartLock {
  const o = parseDoc(text, chart, where);
  const r = new FieldReader(chart, where);
  return {
    generated: r.str(o, 'generated', 'lock') ?? '',
    digest: r.str(o, 'digest', 'lock') ?? '',
    dependencies: readDependencies(r, o, 'lock') ?? [],
  };
}

const ALIAS_RE = /^[a-zA-Z0-9-_]+$/;

/** Helm's Metadata.Validate. `where` is the Chart.yaml location shown in errors. */
export function validateMetadata(md: ChartMetadata, where: string): void {
  const r = new FieldReader(md.name === '' ? '(unnamed)' : md.name, where);
  const f = 'chart.metadata';
  if (md.apiVersion === '') r.fail(`${f}.apiVersion`, 'is required', 'add apiVersion: v2 to Chart.yaml');
  if (md.name === '') r.fail(`${f}.name`, 'is required', 'add a name to Chart.yaml');
  if (md.name.includes('/') || md.name.includes('\\') || md.name === '.' || md.name === '..')
    r.fail(`${f}.name`, `${JSON.stringify(md.name)} is invalid`, 'use a plain name without path separators');
  if (md.version === '')
    r.fail(`${f}.version`, 'is required', 'add a SemVer 2 version such as 0.1.0 to Chart.yaml');
  try {
    Version.parse(md.version);
  } catch {
    r.fail(
      `${f}.version`,
      `${JSON.stringify(md.version)} is invalid`,
      'use a SemVer 2 version such as 1.2.3',
    );
  }
  if (md.type !== undefined && md.type !== '' && md.type !== 'application' && md.type !== 'library')
    r.fail(`${f}.type`, `must be application or library, not ${JSON.stringify(md.type)}`, 'fix the type');
  const seen = new Set<string>();
  for (const [i, d] of (md.dependencies ?? []).entries()) {
    const df = `${f}.dependencies[${i}]`;
    if (d.alias !== undefined && d.alias !== '' && !ALIAS_RE.test(d.alias))
      r.fail(
        `${df}.alias`,
        `of dependency ${JSON.stringify(d.name)} has disallowed characters`,
        'use letters, digits, - and _',
      );
    const key = d.alias !== undefined && d.alias !== '' ? d.alias : d.name;
    if (seen.has(key))
      r.fail(
        `${f}.dependencies`,
        `has more than one dependency with name or alias ${JSON.stringify(key)}`,
        'give each an alias',
      );
    seen.add(key);
  }
}
