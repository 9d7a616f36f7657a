/**
 * Go RE2 patterns (OpenAPI `pattern`) as JavaScript RegExps. RE2 syntax JS lacks is rewritten:
 * `(?P<n>`, `\A`, `\z`, leading `(?flags)`, POSIX classes `[[:alpha:]]`, `\pL`. Compiled patterns
 * are cached; a pattern JS cannot compile yields an error message instead.
 */

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

const cache = new Map<string, RegExp | string>();

function rewrite(pattern: string): { source: string; flags: string } {
  let flags = '';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) if ((f === 'i' || f === 's') && !flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = POSIX[name];
      if (!cls) return m;
      return neg ? `[^${cls}]`.slice(1, -1) : cls;
    })
    .replace(/\\([pP])([A-Za-z])(?![A-Za-z{])/g, '\\$1{$2}');
  return { source: src, flags };
}

/** The compiled RegExp, or an error message when the pattern is not valid. */
export function compilePattern(pattern: string): RegExp | string {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const { source, flags } = rewrite(pattern);
  let out: RegExp | string;
  try {
    out = new RegExp(source, flags + 'u');
  } catch {
    try {
      out = new RegExp(source, flags);
    } catch (err) {
      out = `error parsing regexp: ${(err as Error).message}`;
    }
  }
  if (cache.size > 2000) cache.clear();
  cache.set(pattern, out);
  return out;
}

/** Unanchored match, as Go's `regexp.MatchString`. Invalid patterns never match. */
export function matchPattern(pattern: string, s: string): boolean {
  const re = compilePattern(pattern);
  return typeof re !== 'string' && re.test(s);
}
