/** TOML for Helm's toToml/fromToml (BurntSushi/toml): a small encoder and a reader for common documents. */

import { isMap, mkInt64, type NumberMode, numberOf } from '../value.js';
import { jsonQuote } from '../yaml/go-json.js';
import { formatFloatF } from '../yaml/go-float.js';
import { getOwn, setOwn } from '../../../lib/own-props.js';

type Dict = Record<string, unknown>;

const BARE = /^[A-Za-z0-9_-]+$/;
const key = (k: string): string => (BARE.test(k) ? k : jsonQuote(k, false));

function scalar(v: unknown, mode: NumberMode): string {
  if (typeof v === 'string') return jsonQuote(v, false);
  if (typeof v === 'boolean') return String(v);
  const n = numberOf(v, mode);
  if (n !== undefined) {
    if (n.kind === 'float64' || n.kind === 'float32') {
      const f = Number(n.value);
      if (Number.isNaN(f)) return 'nan';
      if (!Number.isFinite(f)) return f > 0 ? 'inf' : '-inf';
      const s = formatFloatF(f);
      return s.includes('.') ? s : `${s}.0`;
    }
    return String(n.value);
  }
  if (Array.isArray(v)) return `[${v.map((x) => scalar(x, mode)).join(', ')}]`;
  if (isMap(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${key(k)} = ${scalar(v[k], mode)}`)
      .join(', ')}}`;
  }
  throw new Error(`toml: cannot encode a value of type ${typeof v}`);
}

const isTable = (v: unknown): boolean => isMap(v);
const isTableArray = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(isMap);

/** BurntSushi/toml Encoder output for a map. */
export function toToml(v: unknown, mode: NumberMode): string {
  if (!isMap(v)) throw new Error('toml: top-level values must be Go maps or structs');
  let out = '';
  const emit = (m: Dict, path: string[], depth: number): void => {
    const ind = '  '.repeat(depth);
    const keys = Object.keys(m).sort();
    for (const k of keys) {
      const x = m[k];
      if (x === null || x === undefined || isTable(x) || isTableArray(x)) continue;
      out += `${ind}${key(k)} = ${scalar(x, mode)}\n`;
    }
    for (const k of keys) {
      const x = m[k];
      const p = [...path, k];
      const name = p.map(key).join('.');
      if (isTable(x)) {
        // BurntSushi: a blank line before top-level tables only (and never at the start).
        if (out !== '' && depth === 0) out += '\n';
        out += `${'  '.repeat(depth)}[${name}]\n`;
        emit(x as Dict, p, depth + 1);
      } else if (isTableArray(x)) {
        for (const t of x as Dict[]) {
          if (out !== '') out += '\n';
          out += `${'  '.repeat(depth)}[[${name}]]\n`;
          emit(t, p, depth + 1);
        }
      }
    }
  };
  emit(v, [], 0);
  return out;
}

class TomlError extends Error {}

/** Reads a TOML document into maps (integers int64, floats float64). */
export function parseToml(src: string): Dict {
  const root: Dict = {};
  let cur: Dict = root;
  let line = 1;
  let i = 0;
  const fail = (msg: string): never => {
    throw new TomlError(`toml: line ${line}: ${msg}`);
  };
  const ws = (): void => {
    while (i < src.length && (src[i] === ' ' || src[i] === '\t')) i++;
  };
  const wsnl = (): void => {
    for (;;) {
      ws();
      if (src[i] === '#') while (i < src.length && src[i] !== '\n') i++;
      if (src[i] === '\n' || src[i] === '\r') {
        if (src[i] === '\n') line++;
        i++;
        continue;
      }
      return;
    }
  };
  const str = (): string => {
    const q = src[i]!;
    i++;
    let out = '';
    while (i < src.length && src[i] !== q) {
      if (src[i] === '\n') fail('strings cannot contain newlines');
      if (q === '"' && src[i] === '\\') {
        const e = src[i + 1]!;
        const m: Dict = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          out += String.fromCodePoint(Number.parseInt(src.slice(i + 2, i + 2 + len), 16));
          i += 2 + len;
          continue;
        }
        out += (m[e] as string | undefined) ?? fail(`invalid escape: '\\${e}'`);
        i += 2;
        continue;
      }
      out += src[i++];
    }
    if (i >= src.length) fail('unexpected EOF; expected string end');
    i++;
    return out;
  };
  const keyPart = (): string => {
    ws();
    if (src[i] === '"' || src[i] === "'") return str();
    const start = i;
    while (i < src.length && /[A-Za-z0-9_-]/.test(src[i]!)) i++;
    if (start === i) {
      if (i >= src.length) fail("unexpected EOF; expected key separator '='");
      fail(`bare keys cannot contain '${src[i]}'`);
    }
    return src.slice(start, i);
  };
  const dotted = (): string[] => {
    const ks = [keyPart()];
    ws();
    while (src[i] === '.') {
      i++;
      ks.push(keyPart());
      ws();
    }
    return ks;
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === undefined || c === '\n') fail('unexpected EOF; expected a value');
    if (c === '"' || c === "'") return str();
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      wsnl();
      while (src[i] !== ']') {
        arr.push(value());
        wsnl();
        if (src[i] === ',') {
          i++;
          wsnl();
        } else if (src[i] !== ']') fail('expected a comma or array terminator');
      }
      i++;
      return arr;
    }
    if (c === '{') {
      i++;
      const m: Dict = {};
      ws();
      while (src[i] !== '}') {
        const ks = dotted();
        if (src[i] !== '=') fail("expected key separator '='");
        i++;
        setPath(m, ks, value());
        ws();
        if (src[i] === ',') i++;
        ws();
      }
      i++;
      return m;
    }
    const start = i;
    while (i < src.length && !/[\s,\]}#]/.test(src[i]!)) i++;
    const tok = src.slice(start, i);
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    const t = tok.replaceAll('_', '');
    if (/^[+-]?\d+$/.test(t)) return mkInt64(BigInt(t));
    if (/^0x[0-9a-fA-F]+$|^0o[0-7]+$|^0b[01]+$/.test(t)) return mkInt64(BigInt(t));
    if (/^[+-]?(\d+)(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
    if (/^[+-]?(inf|nan)$/.test(t))
      return t.endsWith('nan') ? Number.NaN : t.startsWith('-') ? -Infinity : Infinity;
    if (/^\d{4}-\d{2}-\d{2}/.test(t)) return t;
    return fail(`expected value but found '${tok}' instead`);
  };
  const setPath = (m: Dict, ks: string[], v: unknown): void => {
    let t = m;
    for (const k of ks.slice(0, -1)) {
      if (!isMap(getOwn(t, k))) setOwn(t, k, {});
      t = t[k] as Dict;
    }
    const last = ks[ks.length - 1]!;
    if (Object.hasOwn(t, last)) fail(`Key '${ks.join('.')}' has already been defined.`);
    setOwn(t, last, v);
  };
  for (;;) {
    wsnl();
    if (i >= src.length) break;
    if (src[i] === '[') {
      const arr = src[i + 1] === '[';
      i += arr ? 2 : 1;
      const ks = dotted();
      if (src[i] !== ']' || (arr && src[i + 1] !== ']')) fail('expected table terminator');
      i += arr ? 2 : 1;
      let t = root;
      for (const k of ks.slice(0, -1)) {
        const x = getOwn(t, k);
        if (Array.isArray(x)) t = x[x.length - 1] as Dict;
        else {
          if (!isMap(x)) setOwn(t, k, {});
          t = t[k] as Dict;
        }
      }
      const last = ks[ks.length - 1]!;
      if (arr) {
        if (!Array.isArray(getOwn(t, last))) setOwn(t, last, []);
        const n: Dict = {};
        (t[last] as unknown[]).push(n);
        cur = n;
      } else {
        if (!isMap(getOwn(t, last))) setOwn(t, last, {});
        cur = t[last] as Dict;
      }
      continue;
    }
    const ks = dotted();
    if (i >= src.length) fail("unexpected EOF; expected key separator '='");
    if (src[i] !== '=') fail(`expected key separator '=', but got '${src[i]}' instead`);
    i++;
    setPath(cur, ks, value());
    ws();
    if (src[i] === '#') while (i < src.length && src[i] !== '\n') i++;
    if (i < src.length && src[i] !== '\n' && src[i] !== '\r')
      fail(`expected a top-level item to end with a newline`);
  }
  return root;
}
