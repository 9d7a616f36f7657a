/** sprig's regex functions over Go RE2 syntax, translated to JS RegExp where the two agree. */

import { def, type FuncDef, type FuncMap } from '../funcs-api.js';
import { strSlice } from './util.js';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export class GoRegexpError extends Error {
  override readonly name = 'GoRegexpError';
}

const JS_SYNTAX = new Set(Array.from('^$\\.*+?()[]{}|/'));
const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const GO_SPACE = '\\t\\n\\f\\r ';

/**
 * One pass over RE2 syntax producing JS syntax: `(?P<n>` groups, `\\A`/`\\z`, `\\Q...\\E`, POSIX
 * classes, Go's ASCII `\\s`, escaped punctuation, Unicode classes. Perl features RE2 lacks
 * (lookaround, backreferences) are rejected with Go's messages, as Go rejects them.
 */
function translate(p: string, src: string): { body: string; unicode: boolean } {
  const fail = (msg: string): never => {
    throw new GoRegexpError(`error parsing regexp: ${msg}`);
  };
  let out = '';
  let unicode = false;
  let inClass = false;
  let classStart = 0;
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) fail('trailing backslash at end of expression: ``');
      i++;
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 1);
        const lit = end < 0 ? p.slice(i + 1) : p.slice(i + 1, end);
        out += Array.from(lit, (ch) =>
          /[A-Za-z0-9]/.test(ch) ? ch : ch.charCodeAt(0) < 128 ? hex(ch) : ch,
        ).join('');
        i = end < 0 ? p.length : end + 1;
        continue;
      }
      if (/[1-9]/.test(n!)) fail(`invalid escape sequence: \`\\${n}\``);
      if (n === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (n === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (n === 's') out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
      else if (n === 'S' && !inClass) out += `[^${GO_SPACE}]`;
      else if (n === 'p' || n === 'P') {
        unicode = true;
        if (p[i + 1] === '{') {
          const end = p.indexOf('}', i);
          out += `\\${n}${p.slice(i + 1, end + 1)}`;
          i = end;
        } else {
          out += `\\${n}{${p[i + 1] ?? ''}}`;
          i++;
        }
      } else if (/[A-Za-z0-9]/.test(n!)) out += `\\${n}`;
      else if (n!.charCodeAt(0) < 128) out += JS_SYNTAX.has(n!) ? `\\${n}` : hex(n!);
      else out += n;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const end = p.indexOf(':]', i + 2);
        if (end > 0) {
          const name = p.slice(i + 2, end);
          const neg = name.startsWith('^');
          const set = POSIX[neg ? name.slice(1) : name];
          if (set === undefined) fail(`invalid character class range: \`${p.slice(i, end + 2)}\``);
          if (neg) fail(`negated POSIX classes are not supported by flotilla: \`${p.slice(i, end + 2)}\``);
          out += set;
          i = end + 1;
          continue;
        }
      }
      if (c === ']' && i > classStart) inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      classStart = i + 1;
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(') {
      depth++;
      if (p[i + 1] === '?') {
        const rest = p.slice(i + 2);
        if (rest.startsWith('P<')) {
          out += '(?<';
          i += 3;
          continue;
        }
        if (/^(=|!|<=|<!)/.test(rest)) fail(`invalid or unsupported Perl syntax: \`(?${rest[0]}\``);
      }
    } else if (c === ')') {
      depth--;
      if (depth < 0) fail(`unexpected ): \`${src}\``);
    }
    out += c;
  }
  if (inClass) fail(`missing closing ]: \`${p.slice(p.lastIndexOf('[', classStart))}\``);
  if (depth > 0) fail(`missing closing ): \`${src}\``);
  return { body: out, unicode };
}

const cache = new Map<string, RegExp>();

/** Compiles a Go regexp (RE2 syntax) to a global JS RegExp; throws Go's "error parsing regexp" messages. */
export function compileGoRegexp(src: string): RegExp {
  const hit = cache.get(src);
  if (hit !== undefined) return hit;
  let flags = 'g';
  let body = src;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead !== null) {
    if (lead[1]!.includes('U'))
      throw new GoRegexpError(`error parsing regexp: unsupported flag U in \`${src}\``);
    for (const f of lead[1]!) if (!flags.includes(f)) flags += f;
    body = body.slice(lead[0].length);
  }
  const t = translate(body, src);
  body = t.body;
  if (t.unicode) flags += 'u';
  try {
    const re = new RegExp(body, flags);
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
