/**
 * Helm's value coalescing (pkg/chartutil/coalesce.go): chart defaults under user values, `null`
 * deleting a default, `global` copied from a parent into every subchart, subchart defaults
 * merged under `.Values.<subchart>`. Pure: inputs are copied, never modified.
 */

import type { Chart } from '../chart/types.js';
import { getOwn, setOwn } from '../../lib/own-props.js';

export type Values = Record<string, unknown>;

/** Receives Helm's coalescing warnings (`warning: skipped value for ...`). */
export type Warn = (message: string) => void;

const GLOBAL = 'global';

export function isTable(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** A deep copy of plain JSON-like data. */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (isTable(v)) {
    const out: Values = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, deepCopy(x));
    return out as T;
  }
  return v;
}

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

const noWarn: Warn = () => {};

/**
 * Helm's `CoalesceValues(chart, vals)`: the values a chart renders with. Nulls in `vals` delete
 * chart defaults (and are removed).
 */
export function coalesceValues(chart: Chart, vals: Values | undefined, warn: Warn = noWarn): Values {
  return coalesce(chart, deepCopy(vals ?? {}), '', false, warn);
}

/** Helm's `MergeValues`: like {@link coalesceValues} but nulls are kept (used for import-values). */
export function mergeValues(chart: Chart, vals: Values | undefined, warn: Warn = noWarn): Values {
  return coalesce(chart, deepCopy(vals ?? {}), '', true, warn);
}

function coalesce(chart: Chart, dest: Values, prefix: string, merge: boolean, warn: Warn): Values {
  coalesceChartValues(chart, dest, prefix, merge, warn);
  return coalesceDeps(chart, dest, prefix, merge, warn);
}

function coalesceDeps(chart: Chart, dest: Values, prefix: string, merge: boolean, warn: Warn): Values {
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    const cur = getOwn(dest, name);
    if (cur === undefined) setOwn(dest, name, {});
    else if (!isTable(cur)) {
      throw new Error(
        `type mismatch on ${name}: ${JSON.stringify(cur)} is not a table (values of subchart ${name})`,
      );
    }
    const dv = dest[name] as Values;
    const subPrefix = concatPrefix(prefix, chart.metadata.name);
    coalesceGlobals(dv, dest, subPrefix, warn);
    setOwn(dest, name, coalesce(sub, dv, subPrefix, merge, warn));
  }
  return dest;
}

function coalesceGlobals(dest: Values, src: Values, prefix: string, warn: Warn): void {
  let dg: Values;
  let sg: Values;
  const destGlob = getOwn(dest, GLOBAL);
  if (destGlob === undefined) dg = {};
  else if (isTable(destGlob)) dg = destGlob;
  else {
    warn(`warning: skipping globals because destination ${GLOBAL} is not a table.`);
    return;
  }
  const srcGlob = getOwn(src, GLOBAL);
  if (srcGlob === undefined) sg = {};
  else if (isTable(srcGlob)) sg = srcGlob;
  else {
    warn(`warning: skipping globals because source ${GLOBAL} is not a table.`);
    return;
  }
  for (const [key, val] of Object.entries(sg)) {
    if (isTable(val)) {
      const vv = deepCopy(val);
      const destv = getOwn(dg, key);
      if (destv === undefined) setOwn(dg, key, vv);
      else if (!isTable(destv)) warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`);
      else {
        coalesceTablesFullKey(vv, destv, concatPrefix(prefix, key), true, warn);
        setOwn(dg, key, vv);
      }
    } else if (isTable(getOwn(dg, key))) {
      warn(`key ${key} is table. Skipping`);
    } else {
      setOwn(dg, key, val);
    }
  }
  dest[GLOBAL] = dg;
}

function childChartMergeTrue(chart: Chart, key: string, merge: boolean): boolean {
  return chart.dependencies.some((d) => d.metadata.name === key) ? true : merge;
}

function coalesceChartValues(chart: Chart, v: Values, prefix: string, merge: boolean, warn: Warn): void {
  const subPrefix = concatPrefix(prefix, chart.metadata.name);
  const vc = deepCopy(chart.values ?? {});
  for (const [key, val] of Object.entries(vc)) {
    if (Object.hasOwn(v, key)) {
      const value = v[key];
      if (value === null && !merge) {
        delete v[key];
      } else if (isTable(value)) {
        if (!isTable(val)) {
          if (val !== null) warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          coalesceTablesFullKey(
            value,
            val,
            concatPrefix(subPrefix, key),
            childChartMergeTrue(chart, key, merge),
            warn,
          );
        }
      }
    } else {
      setOwn(v, key, val);
    }
  }
}

/** Helm's `coalesceTablesFullKey`: `dst` wins over `src`; modifies and returns `dst`. */
function coalesceTablesFullKey(dst: Values, src: Values, prefix: string, merge: boolean, warn: Warn): Values {
  for (const [key, val] of Object.entries(dst)) if (val === null) setOwn(src, key, null);
  for (const [key, val] of Object.entries(src)) {
    const fullKey = concatPrefix(prefix, key);
    const has = Object.hasOwn(dst, key);
    const dv = has ? dst[key] : undefined;
    if (has && !merge && dv === null) delete dst[key];
    else if (!has) setOwn(dst, key, val);
    else if (isTable(val)) {
      if (isTable(dv)) coalesceTablesFullKey(dv, val, fullKey, merge, warn);
      else warn(`warning: cannot overwrite table with non table for ${fullKey} (${JSON.stringify(val)})`);
    } else if (isTable(dv) && val !== null) {
      warn(
        `warning: destination for ${fullKey} is a table. Ignoring non-table value (${JSON.stringify(val)})`,
      );
    }
  }
  return dst;
}

/** Helm's `CoalesceTables(dst, src)`: `dst` wins, nulls in `dst` delete. Modifies `dst`. */
export function coalesceTables(dst: Values, src: Values, warn: Warn = noWarn): Values {
  return coalesceTablesFullKey(dst, src, '', false, warn);
}

/** Helm's `MergeTables(dst, src)`: `dst` wins, keys only in `src` are added. Modifies `dst`. */
export function mergeTables(dst: Values, src: Values): Values {
  for (const [key, val] of Object.entries(src)) {
    const dv = getOwn(dst, key);
    if (!Object.hasOwn(dst, key)) setOwn(dst, key, val);
    else if (isTable(val) && isTable(dv)) mergeTables(dv, val);
  }
  return dst;
}

/** Helm's `Values.PathValue`/`Table`: the value at a dotted path, or undefined. */
export function pathValue(vals: Values, path: string): unknown {
  let cur: unknown = vals;
  for (const part of path.split('.')) {
    if (part === '') continue;
    if (!isTable(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Helm's `pathToMap`: `a.b` and v → {a: {b: v}}; `.` → v. */
export function pathToMap(path: string, data: Values): Values {
  if (path === '.') return data;
  const parts = path.split('.').filter((p) => p !== '');
  let out: Values = data;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i]]: out };
  return out;
}

/** Removes keys whose value is null, recursively (Helm's trimNilValues). */
export function trimNil(vals: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(vals)) {
    if (v === null) continue;
    setOwn(out, k, isTable(v) ? trimNil(v) : v);
  }
  return out;
}
