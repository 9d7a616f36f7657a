/**
 * addon-controller's resource functions (getResource, copy, getField, setField, removeField,
 * chainSetField, chainRemoveField) with Sveltos' quirks: plain dot paths, in-place mutation of the
 * shared object, int (not int64) values rejected. The first argument is a templateResourceRefs
 * identifier (addon flavour, resolved through `injected.getResource`) or the object itself
 * (event-manager flavour).
 */

import { def, type FuncContext, type FuncDef, type FuncMap } from '../funcs-api.js';
import { GoNumber, isMap } from '../value.js';
import { marshalYamlV2 } from '../yaml/to-yaml.js';
import { deepCopy } from './util.js';
import { getOwn, setOwn } from '../../../lib/own-props.js';

type Obj = Record<string, unknown>;

function resolve(c: FuncContext, ref: unknown, fn: string): Obj | null {
  if (isMap(ref)) return ref;
  if (typeof ref === 'string') {
    const get = c.injected.getResource;
    if (get === undefined) throw new Error(`${fn}: no MgmtResources available in this render`);
    const o = get(ref);
    return isMap(o) ? o : null;
  }
  throw new Error(`${fn}: expected a templateResourceRefs identifier or an object`);
}

function cleaned(o: Obj): Obj {
  const copy = deepCopy(o) as Obj;
  const md = copy.metadata;
  if (isMap(md)) {
    delete md.managedFields;
    delete md.resourceVersion;
    delete md.uid;
  }
  return copy;
}

function checkValue(v: unknown): void {
  if (v instanceof GoNumber && v.kind !== 'int64' && v.kind !== 'float64') {
    throw new Error(`cannot deep copy ${v.kind}: use int64 or float64 values (e.g. (int64 5))`);
  }
  if (Array.isArray(v)) v.forEach(checkValue);
  else if (isMap(v)) Object.values(v).forEach(checkValue);
}

function setPath(o: Obj, path: string, v: unknown): Obj {
  checkValue(v);
  const ks = path.split('.');
  let m = o;
  for (const k of ks.slice(0, -1)) {
    const cur = getOwn(m, k);
    if (!isMap(cur)) {
      if (cur !== undefined && cur !== null) throw new Error(`value cannot be set because ${k} is not a map`);
      setOwn(m, k, {});
    }
    m = m[k] as Obj;
  }
  setOwn(m, ks[ks.length - 1]!, v);
  return o;
}

function removePath(o: Obj, path: string): Obj {
  const ks = path.split('.');
  let m: unknown = o;
  for (const k of ks.slice(0, -1)) {
    if (!isMap(m)) return o;
    m = getOwn(m, k);
  }
  if (isMap(m)) delete m[ks[ks.length - 1]!];
  return o;
}

function getPath(o: Obj, path: string): unknown {
  let m: unknown = o;
  for (const k of path.split('.')) {
    if (!isMap(m) || !Object.hasOwn(m, k)) return '';
    m = m[k];
  }
  return m;
}

export function sveltosOnlyFuncs(): FuncMap {
  const yaml = (c: FuncContext, o: Obj) => marshalYamlV2(o, c.numbers);
  const fns: FuncDef[] = [
    def('getResource', ['any'], (c, ref: unknown) => {
      const o = resolve(c, ref, 'getResource');
      return o === null ? null : cleaned(o);
    }),
    def('copy', ['any'], (c, ref: unknown) => {
      const o = resolve(c, ref, 'copy');
      return o === null ? '' : yaml(c, cleaned(o));
    }),
    def('getField', ['any', 'string'], (c, ref: unknown, path: string) => {
      const o = resolve(c, ref, 'getField');
      return o === null ? '' : getPath(o, path);
    }),
    def('setField', ['any', 'string', 'any'], (c, ref: unknown, path: string, v: unknown) => {
      const o = resolve(c, ref, 'setField');
      if (o === null) throw new Error(`setField: resource ${String(ref)} not found`);
      return yaml(c, setPath(o, path, v));
    }),
    def('removeField', ['any', 'string'], (c, ref: unknown, path: string) => {
      const o = resolve(c, ref, 'removeField');
      if (o === null) throw new Error(`removeField: resource ${String(ref)} not found`);
      return yaml(c, removePath(o, path));
    }),
    def('chainSetField', ['map', 'string', 'any'], (_c, o: Obj, path: string, v: unknown) =>
      setPath(o, path, v),
    ),
    def('chainRemoveField', ['map', 'string'], (_c, o: Obj, path: string) => removePath(o, path)),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}
