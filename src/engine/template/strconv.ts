/** Ports of the parts of Go's strconv the parser needs: Unquote, ParseInt/ParseUint (base 0), ParseFloat. */

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Decodes one (possibly escaped) character at `i`; returns the char and the next index. */
function unquoteChar(s: string, i: number, quote: string): { ch: string; next: number } {
  const c = s[i];
  if (c === undefined) throw new SyntaxError('invalid syntax');
  if (c === quote && (quote === "'" || quote === '"')) throw new SyntaxError('invalid syntax');
  if (c !== '\\') {
    const cp = s.codePointAt(i) as number;
    return { ch: String.fromCodePoint(cp), next: i + (cp > 0xffff ? 2 : 1) };
  }
  const e = s[i + 1];
  if (e === undefined) throw new SyntaxError('invalid syntax');
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return { ch: simple, next: i + 2 };
  if (e === quote) return { ch: e, next: i + 2 };
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const hex = s.slice(i + 2, i + 2 + n);
    if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new SyntaxError('invalid syntax');
    const v = Number.parseInt(hex, 16);
    if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) throw new SyntaxError('invalid syntax');
    return { ch: String.fromCodePoint(v), next: i + 2 + n };
  }
  if (e >= '0' && e <= '7') {
    const oct = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(oct)) throw new SyntaxError('invalid syntax');
    const v = Number.parseInt(oct, 8);
    if (v > 255) throw new SyntaxError('invalid syntax');
    return { ch: String.fromCharCode(v), next: i + 4 };
  }
  throw new SyntaxError('invalid syntax');
}

/** Go's strconv.Unquote for "...", `...` and '...'. Throws SyntaxError('invalid syntax'). */
export function unquote(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) throw new SyntaxError('invalid syntax');
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new SyntaxError('invalid syntax');
    return body.replaceAll('\r', '');
  }
  if (q !== '"' && q !== "'") throw new SyntaxError('invalid syntax');
  if (q === '"' && !body.includes('\\')) {
    if (body.includes('"') || body.includes('\n')) throw new SyntaxError('invalid syntax');
    return body;
  }
  let out = '';
  let i = 0;
  let count = 0;
  while (i < body.length) {
    if (body[i] === '\n') throw new SyntaxError('invalid syntax');
    const { ch, next } = unquoteChar(body, i, q);
    out += ch;
    i = next;
    count++;
    if (q === "'" && count > 1) throw new SyntaxError('invalid syntax');
  }
  if (q === "'" && count !== 1) throw new SyntaxError('invalid syntax');
  return out;
}

/** Decodes a char constant `'x'` to its rune value; throws on malformed input. */
export function unquoteRune(text: string): number {
  const { ch, next } = unquoteChar(text, 1, "'");
  if (text.slice(next) !== "'") throw new SyntaxError(`malformed character constant: ${text}`);
  return ch.codePointAt(0) as number;
}

function underscoreOK(s0: string): boolean {
  let s = s0;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1] as string)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** ParseUint(s, 0, 64): undefined on any error. */
export function parseUint(s: string): bigint | undefined {
  if (s.length === 0 || s[0] === '+' || s[0] === '-') return undefined;
  const v = parseBase0(s);
  if (v === undefined || v > 0xffffffffffffffffn) return undefined;
  return v;
}

/** ParseInt(s, 0, 64): undefined on any error. */
export function parseInt64(s: string): bigint | undefined {
  let neg = false;
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  const v = parseUint(body);
  if (v === undefined) return undefined;
  if (neg) return v > 0x8000000000000000n ? undefined : -v;
  return v > 0x7fffffffffffffffn ? undefined : v;
}

function parseBase0(s: string): bigint | undefined {
  let base = 10;
  let digits = s;
  if (s[0] === '0' && s.length > 1) {
    const p = (s[1] as string).toLowerCase();
    if (p === 'x') base = 16;
    else if (p === 'o') base = 8;
    else if (p === 'b') base = 2;
    else base = 8;
    digits = base === 8 && p !== 'o' ? s.slice(1) : s.slice(2);
  }
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    digits = digits.replaceAll('_', '');
  }
  if (digits.length === 0) return undefined;
  const valid =
    base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  return BigInt(prefix + digits);
}

/** ParseFloat(s, 64): undefined on syntax error or overflow. */
export function parseFloat64(s: string): number | undefined {
  if (s.length === 0) return undefined;
  let body = s;
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    body = s.replaceAll('_', '');
  }
  let sign = 1;
  let t = body;
  if (t[0] === '+' || t[0] === '-') {
    sign = t[0] === '-' ? -1 : 1;
    t = t.slice(1);
  }
  let v: number;
  const hex = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(t);
  if (hex) {
    const int = hex[1] ?? '';
    const frac = hex[2] ?? '';
    if (int.length + frac.length === 0) return undefined;
    let m = 0;
    for (const c of int + frac) m = m * 16 + Number.parseInt(c, 16);
    v = m * 2 ** (Number(hex[3]) - 4 * frac.length);
  } else {
    if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) return undefined;
    v = Number(t);
  }
  if (!Number.isFinite(v)) return undefined;
  return sign * v;
}
