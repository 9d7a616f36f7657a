/**
 * encoding/json Unmarshal into interface{}: a strict JSON reader whose syntax errors carry Go's
 * messages ("invalid character 'b' looking for beginning of value"). Numbers are float64; the
 * caller chooses how a float64 is represented (see value.ts).
 */

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  if (c === '\n') return "'\\n'";
  if (c === '\t') return "'\\t'";
  if (c === '\r') return "'\\r'";
  return `'${c}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);

export function goJsonParse(text: string, num: (n: number) => unknown): unknown {
  let i = 0;
  const eof = (): never => {
    throw new JsonSyntaxError('unexpected end of JSON input');
  };
  const bad = (ctx: string): never => {
    if (i >= text.length) eof();
    throw new JsonSyntaxError(
      `invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i)!))} ${ctx}`,
    );
  };
  const skip = (): void => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const literal = (word: string, v: unknown): unknown => {
    for (let k = 0; k < word.length; k++) {
      if (i >= text.length) eof();
      if (text[i] !== word[k]) bad(`in literal ${word} (expecting ${quoteChar(word[k]!)})`);
      i++;
    }
    return v;
  };
  const str = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) eof();
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c < ' ') bad('in string literal');
      if (c === '\\') {
        i++;
        if (i >= text.length) eof();
        const e = text[i]!;
        const map: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (map[e] !== undefined) {
          out += map[e];
          i++;
        } else if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (i + k >= text.length) eof();
            if (!/[0-9a-fA-F]/.test(text[i + k]!)) {
              i += k;
              bad('in \\u hexadecimal character escape');
            }
          }
          out += String.fromCharCode(Number.parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else bad('in string escape code');
        continue;
      }
      out += c;
      i++;
    }
  };
  const number = (): unknown => {
    const start = i;
    if (text[i] === '-') {
      i++;
      if (i >= text.length) eof();
      if (!/[0-9]/.test(text[i]!)) bad('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < text.length && /[0-9]/.test(text[i]!)) i++;
    if (text[i] === '.') {
      i++;
      if (i >= text.length) eof();
      if (!/[0-9]/.test(text[i]!)) bad('after decimal point in numeric literal');
      while (i < text.length && /[0-9]/.test(text[i]!)) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= text.length) eof();
      if (!/[0-9]/.test(text[i]!)) bad('in exponent of numeric literal');
      while (i < text.length && /[0-9]/.test(text[i]!)) i++;
    }
    return num(Number(text.slice(start, i)));
  };
  const value = (): unknown => {
    skip();
    if (i >= text.length) eof();
    const c = text[i]!;
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        if (i >= text.length) eof();
        if (text[i] !== '"') bad('looking for beginning of object key string');
        const k = str();
        skip();
        if (i >= text.length) eof();
        if (text[i] !== ':') bad('after object key');
        i++;
        const v = value();
        // A key named __proto__ must become an own property, as JSON.parse makes it.
        if (k === '__proto__')
          Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[k] = v;
        skip();
        if (i >= text.length) eof();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        skip();
        if (i >= text.length) eof();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        bad('after array element');
      }
    }
    if (c === '"') return str();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    return bad('looking for beginning of value');
  };
  const v = value();
  skip();
  if (i < text.length) bad('after top-level value');
  return v;
}

/** Go's name of a JSON value's kind in "cannot unmarshal X into Go value of type T". */
export function jsonKindName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object':
      // Not `v.constructor`: a decoded object may have its own "constructor" key.
      return isPlainProto(v as object) ? 'object' : 'number';
    default:
      return 'number';
  }
}

function isPlainProto(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}
