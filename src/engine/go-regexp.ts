/**
 * Go regular expressions (RE2 syntax) as JavaScript RegExps: one translator for every place that
 * evaluates Go patterns (sprig's regex functions, CRD `pattern` validation, CEL `matches`).
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

/**
 * A Go pattern as JS `source` and `flags` (no `g`): a leading `(?ims)` becomes flags, `u` when the
 * pattern uses Unicode classes. Throws GoRegexpError with Go's "error parsing regexp" message.
 */
export function translateGoRegexp(src: string): { source: string; flags: string } {
  let flags = '';
  let body = src;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead !== null) {
    if (lead[1]!.includes('U'))
      throw new GoRegexpError(`error parsing regexp: unsupported flag U in \`${src}\``);
    for (const f of lead[1]!) if (!flags.includes(f)) flags += f;
    body = body.slice(lead[0].length);
  }
  const t = translate(body, src);
  return { source: t.body, flags: t.unicode ? `${flags}u` : flags };
}
