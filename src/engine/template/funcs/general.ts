/** sprig's defaults, flow control, reflection, path and URL functions. */

import { def, type FuncDef, type FuncMap, type Injected } from '../funcs-api.js';
import { goKindOf, typeName } from '../value.js';
import { goDeepEqual } from './lists.js';
import { isEmpty } from './util.js';
import { getOwn } from '../../../lib/own-props.js';

function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(seg);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

function basePath(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}

function dirPath(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

function urlParse(s: string): Record<string, unknown> {
  const m =
    /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(
      s,
    );
  if (m === null) throw new Error(`unable to parse url: ${s}`);
  const host = m[3] ?? '';
  return {
    scheme: m[1] ?? '',
    host,
    hostname: host.replace(/:\d*$/, '').replace(/^\[(.*)\]$/, '$1'),
    path: decodeURIComponent(m[4] ?? ''),
    query: m[5] ?? '',
    opaque: '',
    fragment: m[6] ?? '',
    userinfo: m[2] ?? '',
  };
}

function urlJoin(d: Record<string, unknown>): string {
  const g = (k: string): string => (typeof d[k] === 'string' ? (d[k] as string) : '');
  let s = '';
  if (g('scheme') !== '') s += `${g('scheme')}:`;
  if (g('opaque') !== '') s += g('opaque');
  else {
    if (g('host') !== '' || g('userinfo') !== '') {
      s += '//';
      if (g('userinfo') !== '') s += `${g('userinfo')}@`;
      s += g('host');
    }
    const path = g('path');
    if (path !== '' && !path.startsWith('/') && g('host') !== '') s += '/';
    s += path;
  }
  if (g('query') !== '') s += `?${g('query')}`;
  if (g('fragment') !== '') s += `#${g('fragment')}`;
  return s;
}

function kindName(v: unknown, mode: 'int64' | 'float64'): string {
  const k = goKindOf(v, mode);
  return k;
}

function envOf(injected: Injected): Record<string, string | undefined> {
  const e = injected.env;
  return typeof e === 'object' && e !== null ? (e as Record<string, string | undefined>) : {};
}

export function generalFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('default', ['any', '...any'], (_c, d: unknown, ...given: unknown[]) =>
      given.length === 0 || isEmpty(given[0]) ? d : given[0],
    ),
    def('empty', ['any'], (_c, v: unknown) => isEmpty(v)),
    def('coalesce', ['...any'], (_c, ...xs: unknown[]) => xs.find((x) => !isEmpty(x)) ?? null),
    def('all', ['...any'], (_c, ...xs: unknown[]) => xs.every((x) => !isEmpty(x))),
    def('any', ['...any'], (_c, ...xs: unknown[]) => xs.some((x) => !isEmpty(x))),
    def('ternary', ['any', 'any', 'bool'], (_c, t: unknown, f: unknown, b: boolean) => (b ? t : f)),
    def('fail', ['string'], (_c, msg: string) => {
      throw new Error(msg);
    }),
    def('typeOf', ['any'], (c, v: unknown) => typeName(v, c.numbers)),
    def('typeIs', ['string', 'any'], (c, t: string, v: unknown) => t === typeName(v, c.numbers)),
    def('typeIsLike', ['string', 'any'], (c, t: string, v: unknown) => {
      const n = typeName(v, c.numbers);
      return t === n || `*${t}` === n;
    }),
    def('kindOf', ['any'], (c, v: unknown) => kindName(v, c.numbers)),
    def('kindIs', ['string', 'any'], (c, t: string, v: unknown) => t === kindName(v, c.numbers)),
    def('deepEqual', ['any', 'any'], (c, a: unknown, b: unknown) => goDeepEqual(a, b, c.numbers)),
    def('base', ['string'], (_c, p: string) => basePath(p)),
    def('dir', ['string'], (_c, p: string) => dirPath(p)),
    def('clean', ['string'], (_c, p: string) => cleanPath(p)),
    def('ext', ['string'], (_c, p: string) => extPath(p)),
    def('isAbs', ['string'], (_c, p: string) => p.startsWith('/')),
    def('osBase', ['string'], (_c, p: string) => basePath(p)),
    def('osDir', ['string'], (_c, p: string) => dirPath(p)),
    def('osClean', ['string'], (_c, p: string) => cleanPath(p)),
    def('osExt', ['string'], (_c, p: string) => extPath(p)),
    def('osIsAbs', ['string'], (_c, p: string) => p.startsWith('/')),
    def('urlParse', ['string'], (_c, s: string) => urlParse(s)),
    def('urlJoin', ['map'], (_c, d: Record<string, unknown>) => urlJoin(d)),
    // DNS is the host's: injected.resolveHost(name) returns the addresses (sprig prints the first).
    def('getHostByName', ['string'], (c, name: string) => {
      const resolve = c.injected.resolveHost;
      if (typeof resolve !== 'function')
        throw new Error('getHostByName: no DNS resolver injected into this render');
      const addrs = (resolve as (n: string) => readonly string[])(name);
      return addrs[0] ?? '';
    }),
    def('hello', [], () => 'Hello!'),
    // The process environment is the host's to give: injected.env (a name → value map), else empty.
    def('env', ['string'], (c, name: string) => getOwn(envOf(c.injected), name) ?? ''),
    def('expandenv', ['string'], (c, s: string) => {
      const env = envOf(c.injected);
      return s.replace(
        /\$(?:\{([^}]*)\}|([A-Za-z0-9_]+))/g,
        (_m, a?: string, b?: string) => env[a ?? b ?? ''] ?? '',
      );
    }),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}
