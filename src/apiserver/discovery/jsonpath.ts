/**
 * The JSONPath subset kube-apiserver evaluates for CRD `additionalPrinterColumns`
 * (k8s.io/client-go/util/jsonpath with missing keys allowed): `.a.b`, `['a.b']`, `[0]`, `[-1]`,
 * `[1:3]`, `[*]`, `.*`, `..a` and filters `[?(@.type=="Ready")]` with `== != < > <= >=` or bare
 * `@.path` existence. A path is compiled once and evaluated against many objects.
 */

type Step =
  | { t: 'field'; name: string }
  | { t: 'recursive'; name: string }
  | { t: 'index'; i: number }
  | { t: 'slice'; from?: number; to?: number }
  | { t: 'wildcard' }
  | { t: 'filter'; path: Step[]; op?: string; value?: unknown; rhsPath?: Step[] };

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

export interface CompiledPath {
  readonly source: string;
  /** All values the path selects, in document order. */
  find(obj: unknown): unknown[];
}

// Field names end at a terminator unless it is escaped with a backslash (`a\.b` is the key `a.b`).
const FIELD_CHARS = /^(?:\\.|[^.[\]\s\\])+/;
const unescapeName = (s: string) => s.replace(/\\(.)/g, '$1');

function parseSteps(src: string, start: number, end: number): Step[] {
  const steps: Step[] = [];
  let i = start;
  while (i < end) {
    const c = src[i];
    if (c === '.') {
      if (src[i + 1] === '.') {
        const m = FIELD_CHARS.exec(src.slice(i + 2, end));
        if (!m) throw new JsonPathError(`invalid JSONPath ${src}: expected a field name after '..' at ${i}`);
        steps.push({ t: 'recursive', name: unescapeName(m[0]) });
        i += 2 + m[0].length;
        continue;
      }
      if (src[i + 1] === '*') {
        steps.push({ t: 'wildcard' });
        i += 2;
        continue;
      }
      const m = FIELD_CHARS.exec(src.slice(i + 1, end));
      if (!m) {
        i++; // a lone '.' (the root) selects the current node
        continue;
      }
      steps.push({ t: 'field', name: unescapeName(m[0]) });
      i += 1 + m[0].length;
      continue;
    }
    if (c === '[') {
      const close = matchingBracket(src, i);
      if (close < 0 || close > end) throw new JsonPathError(`invalid JSONPath ${src}: unclosed '[' at ${i}`);
      steps.push(parseBracket(src, src.slice(i + 1, close).trim()));
      i = close + 1;
      continue;
    }
    if (c === '@' || c === '$') {
      i++;
      continue;
    }
    if (c === ' ') {
      i++;
      continue;
    }
    throw new JsonPathError(`invalid JSONPath ${src}: unexpected '${c}' at ${i}`);
  }
  return steps;
}

function matchingBracket(src: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) return c === ']' ? i : -1;
    }
  }
  return -1;
}

function parseBracket(src: string, inner: string): Step {
  if (inner === '*') return { t: 'wildcard' };
  if ((inner.startsWith("'") && inner.endsWith("'")) || (inner.startsWith('"') && inner.endsWith('"'))) {
    return { t: 'field', name: unescapeName(inner.slice(1, -1)) };
  }
  if (inner.startsWith('?(') && inner.endsWith(')')) return parseFilter(src, inner.slice(2, -1).trim());
  if (/^-?\d+$/.test(inner)) return { t: 'index', i: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)(?::\d*)?$/.exec(inner);
  if (slice) {
    return {
      t: 'slice',
      ...(slice[1] !== '' ? { from: Number(slice[1]) } : {}),
      ...(slice[2] !== '' ? { to: Number(slice[2]) } : {}),
    };
  }
  throw new JsonPathError(`invalid JSONPath ${src}: cannot parse [${inner}]`);
}

const FILTER_RE = /^(@[^=!<>\s]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/;

function literal(s: string): unknown {
  if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) return s.slice(1, -1);
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'nil' || s === 'null') return null;
  const n = Number(s);
  if (s !== '' && !Number.isNaN(n)) return n;
  return s;
}

function parseFilter(src: string, expr: string): Step {
  const m = FILTER_RE.exec(expr);
  if (!m) {
    if (!expr.startsWith('@')) throw new JsonPathError(`invalid JSONPath ${src}: unsupported filter ${expr}`);
    return { t: 'filter', path: parseSteps(expr, 1, expr.length) };
  }
  const rhs = m[3].trim();
  const path = parseSteps(m[1], 1, m[1].length);
  if (rhs.startsWith('@')) return { t: 'filter', path, op: m[2], rhsPath: parseSteps(rhs, 1, rhs.length) };
  return { t: 'filter', path, op: m[2], value: literal(rhs) };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function recurse(v: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) recurse(x, name, out);
  else if (isObj(v)) {
    if (Object.hasOwn(v, name)) out.push(v[name]);
    for (const x of Object.values(v)) recurse(x, name, out);
  }
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || (typeof a === 'number' && typeof b === 'string' && String(a) === b);
    case '!=':
      return !compare(a, '==', b);
    default: {
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const x = a as number | string;
      const y = b as number | string;
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
}

function apply(steps: Step[], roots: unknown[]): unknown[] {
  let cur = roots;
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      switch (s.t) {
        case 'field':
          if (isObj(v) && Object.hasOwn(v, s.name)) next.push(v[s.name]);
          break;
        case 'recursive':
          recurse(v, s.name, next);
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = s.i < 0 ? v.length + s.i : s.i;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'slice':
          if (Array.isArray(v)) {
            const norm = (n: number) => (n < 0 ? Math.max(0, v.length + n) : Math.min(n, v.length));
            next.push(...v.slice(norm(s.from ?? 0), norm(s.to ?? v.length)));
          }
          break;
        case 'wildcard':
          if (Array.isArray(v)) next.push(...v);
          else if (isObj(v)) next.push(...Object.values(v));
          break;
        case 'filter':
          if (Array.isArray(v)) {
            for (const item of v) {
              const left = apply(s.path, [item]);
              if (s.op === undefined) {
                if (left.length > 0 && left[0] !== null && left[0] !== false) next.push(item);
                continue;
              }
              const right = s.rhsPath ? apply(s.rhsPath, [item]) : [s.value];
              if (left.length > 0 && right.length > 0 && compare(left[0], s.op, right[0])) next.push(item);
            }
          }
          break;
      }
    }
    cur = next;
  }
  return cur;
}

/** Compiles a printer-column JSONPath (with or without surrounding `{}`); throws JsonPathError. */
export function compileJsonPath(path: string): CompiledPath {
  let src = path.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1).trim();
  const steps = parseSteps(src, 0, src.length);
  return { source: path, find: (obj) => apply(steps, [obj]) };
}

/** Go's `json.Marshal` of decoded JSON: object keys sorted. */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** How jsonpath's PrintResults renders one value: strings raw, maps and slices as JSON. */
export function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return goJson(v);
  return String(v);
}
