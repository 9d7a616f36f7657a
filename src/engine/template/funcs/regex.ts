/** sprig's regex functions over Go RE2 syntax, translated to JS RegExp where the two agree. */

import { def, type FuncDef, type FuncMap } from '../funcs-api.js';
import { GoRegexpError, translateGoRegexp } from '../../go-regexp.js';
import { strSlice } from './util.js';

export { GoRegexpError };

const cache = new Map<string, RegExp>();

/** Compiles a Go regexp (RE2 syntax) to a global JS RegExp; throws Go's "error parsing regexp" messages. */
export function compileGoRegexp(src: string): RegExp {
  const hit = cache.get(src);
  if (hit !== undefined) return hit;
  const { source, flags } = translateGoRegexp(src);
  try {
    const re = new RegExp(source, `g${flags}`);
    // Patterns can come from data: keep the cache bounded.
    if (cache.size >= 512) cache.clear();
    cache.set(src, re);
    return re;
  } catch (e) {
    throw new GoRegexpError(`error parsing regexp: ${(e as Error).message}: \`${src}\``);
  }
}

/** Regexp.FindAllStringIndex: empty matches right after a previous match are skipped, as Go does. */
function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  let prevEnd = -1;
  while (n < 0 || out.length < n) {
    const m = re.exec(s);
    if (m === null) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      re.lastIndex = m.index + 1;
      if (m.index === prevEnd) continue;
    }
    out.push(m);
    prevEnd = end;
    if (re.lastIndex > s.length) break;
  }
  re.lastIndex = 0;
  return out;
}

/** Regexp.Expand of a template with $1, ${1}, $name, ${name}, $$. */
function expand(tmpl: string, m: RegExpExecArray): string {
  return tmpl.replace(
    /\$(\$|\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]+))/g,
    (_all, tok: string, braced?: string, bare?: string) => {
      if (tok === '$') return '$';
      const name = braced ?? bare ?? '';
      if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
      return m.groups?.[name] ?? '';
    },
  );
}

function replaceAll(re: RegExp, s: string, f: (m: RegExpExecArray) => string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.index) + f(m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

function split(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(re, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Registers `name` (errors swallowed into `fallback`) and `mustName` (errors returned). */
function pair(
  name: string,
  params: Parameters<typeof def>[1],
  fn: FuncDef['fn'],
  fallback: () => unknown,
): FuncDef[] {
  const must = `must${name[0]!.toUpperCase()}${name.slice(1)}`;
  return [
    def(name, params, (c, ...a) => {
      try {
        return fn(c, ...a);
      } catch (e) {
        if (e instanceof GoRegexpError) return fallback();
        throw e;
      }
    }),
    def(must, params, fn),
  ];
}

export function regexFuncs(): FuncMap {
  const fns: FuncDef[] = [
    ...pair(
      'regexMatch',
      ['string', 'string'],
      (_c, r: string, s: string) => {
        const re = compileGoRegexp(r);
        re.lastIndex = 0;
        const ok = re.test(s);
        re.lastIndex = 0;
        return ok;
      },
      () => false,
    ),
    ...pair(
      'regexFindAll',
      ['string', 'string', 'int'],
      (_c, r: string, s: string, n: number) => strSlice(findAll(compileGoRegexp(r), s, n).map((m) => m[0])),
      () => strSlice([]),
    ),
    ...pair(
      'regexFind',
      ['string', 'string'],
      (_c, r: string, s: string) => findAll(compileGoRegexp(r), s, 1)[0]?.[0] ?? '',
      () => '',
    ),
    ...pair(
      'regexReplaceAll',
      ['string', 'string', 'string'],
      (_c, r: string, s: string, t: string) => replaceAll(compileGoRegexp(r), s, (m) => expand(t, m)),
      () => '',
    ),
    ...pair(
      'regexReplaceAllLiteral',
      ['string', 'string', 'string'],
      (_c, r: string, s: string, t: string) => replaceAll(compileGoRegexp(r), s, () => t),
      () => '',
    ),
    ...pair(
      'regexSplit',
      ['string', 'string', 'int'],
      (_c, r: string, s: string, n: number) => strSlice(split(compileGoRegexp(r), s, n)),
      () => strSlice([]),
    ),
    def('regexQuoteMeta', ['string'], (_c, s: string) => quoteMeta(s)),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}
