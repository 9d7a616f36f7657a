/** sprig's dictionary functions (dict.go) and mergo's merge rules as sprig uses them. */

import { def, type FuncDef, type FuncMap } from '../funcs-api.js';
import { isMap } from '../value.js';
import { deepCopy, isEmpty, strSlice, strval } from './util.js';
import { setOwn } from '../../../lib/own-props.js';

type Dict = Record<string, unknown>;

/** mergo.Merge(dst, src[, WithOverride]) for map[string]interface{}. */
export function mergeInto(dst: Dict, src: Dict, overwrite: boolean): Dict {
  for (const k of Object.keys(src)) {
    const s = src[k];
    const has = Object.hasOwn(dst, k);
    const d = has ? dst[k] : undefined;
    if (has && isMap(d) && isMap(s)) {
      mergeInto(d, s, overwrite);
      continue;
    }
    if (!has || isEmpty(d)) {
      setOwn(dst, k, s);
      continue;
    }
    if (overwrite && !isEmpty(s)) setOwn(dst, k, s);
  }
  return dst;
}

function dig(ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  let dict = ps[ps.length - 1];
  const dflt = ps[ps.length - 2];
  const keys = ps.slice(0, -2);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is not string`);
    if (!isMap(dict)) throw new Error('interface conversion: interface {} is not map[string]interface {}');
    if (!Object.hasOwn(dict, k)) return dflt;
    if (i === keys.length - 1) return dict[k];
    dict = dict[k];
  }
  return dflt;
}

export function dictFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('dict', ['...any'], (c, ...xs: unknown[]) => {
      const m: Dict = {};
      for (let i = 0; i < xs.length; i += 2) {
        setOwn(m, strval(xs[i], c.numbers), i + 1 < xs.length ? xs[i + 1] : '');
      }
      return m;
    }),
    def('get', ['map', 'string'], (_c, d: Dict, k: string) => (Object.hasOwn(d, k) ? d[k] : '')),
    def('set', ['map', 'string', 'any'], (_c, d: Dict, k: string, v: unknown) => {
      setOwn(d, k, v);
      return d;
    }),
    def('unset', ['map', 'string'], (_c, d: Dict, k: string) => {
      delete d[k];
      return d;
    }),
    def('hasKey', ['map', 'string'], (_c, d: Dict, k: string) => Object.hasOwn(d, k)),
    def('pluck', ['string', '...map'], (_c, k: string, ...ds: Dict[]) =>
      ds.filter((d) => Object.hasOwn(d, k)).map((d) => d[k]),
    ),
    def('keys', ['...map'], (_c, ...ds: Dict[]) => strSlice(ds.flatMap((d) => Object.keys(d)))),
    def('pick', ['map', '...string'], (_c, d: Dict, ...ks: string[]) => {
      const m: Dict = {};
      for (const k of ks) if (Object.hasOwn(d, k)) setOwn(m, k, d[k]);
      return m;
    }),
    def('omit', ['map', '...string'], (_c, d: Dict, ...ks: string[]) => {
      const m: Dict = {};
      for (const k of Object.keys(d)) if (!ks.includes(k)) setOwn(m, k, d[k]);
      return m;
    }),
    def('values', ['map'], (_c, d: Dict) => Object.values(d)),
    def('merge', ['map', '...map'], (_c, dst: Dict, ...srcs: Dict[]) => {
      for (const s of srcs) mergeInto(dst, s, false);
      return dst;
    }),
    def('mustMerge', ['map', '...map'], (_c, dst: Dict, ...srcs: Dict[]) => {
      for (const s of srcs) mergeInto(dst, s, false);
      return dst;
    }),
    def('mergeOverwrite', ['map', '...map'], (_c, dst: Dict, ...srcs: Dict[]) => {
      for (const s of srcs) mergeInto(dst, s, true);
      return dst;
    }),
    def('mustMergeOverwrite', ['map', '...map'], (_c, dst: Dict, ...srcs: Dict[]) => {
      for (const s of srcs) mergeInto(dst, s, true);
      return dst;
    }),
    def('deepCopy', ['any'], (_c, v: unknown) => deepCopy(v)),
    def('mustDeepCopy', ['any'], (_c, v: unknown) => {
      if (v === null) throw new Error('copy: Must not pass nil');
      return deepCopy(v);
    }),
    def('dig', ['...any'], (_c, ...ps: unknown[]) => dig(ps)),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}
