/**
 * Kubernetes label selector strings (`a=b,c!=d,e in (x,y),!f,g`) ↔ `metav1.LabelSelector`, as
 * `metav1.ParseToLabelSelector` and `LabelSelectorAsSelector(...).String()` do: requirements are
 * sorted by key, values sorted and de-duplicated, `=`/`==` become `matchLabels`, `!=` a one-value
 * `NotIn`. Sveltos v1alpha1 stored cluster selectors in this form. Pure: no engine import (the api
 * layer may import only lib), so this is a small parser of its own.
 */
import { setOwn } from '../../lib/own-props.js';
import type { LabelSelector, LabelSelectorRequirement } from '../generated/shared.js';

/** A selector string that does not parse; `offset` is the 0-based character where it failed. */
export class SelectorSyntaxError extends Error {
  override readonly name = 'SelectorSyntaxError';
  readonly code = 'api.selector-syntax';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Token =
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '<' | '>'; at: number };

const SPECIAL = new Set(['=', '!', '(', ')', ',', '<', '>', ' ', '\t', '\n', '\r']);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
    } else if (ch === '=' || ch === '!') {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=') {
        out.push({ t: 'op', v: two, at: i });
        i += 2;
      } else {
        out.push({ t: 'op', v: ch, at: i });
        i++;
      }
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '<' || ch === '>') {
      out.push({ t: 'op', v: ch, at: i });
      i++;
    } else {
      const start = i;
      while (i < text.length && !SPECIAL.has(text[i])) i++;
      out.push({ t: 'id', v: text.slice(start, i), at: start });
    }
  }
  return out;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)))
    return `label key prefix ${JSON.stringify(prefix)} must be a DNS subdomain (lower case, '-', '.')`;
  if (name.length === 0 || name.length > 63 || !NAME.test(name))
    return `label key ${JSON.stringify(key)} must be 1-63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric, with an optional DNS prefix and '/'`;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value))
    return `label value ${JSON.stringify(value)} must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric`;
  return undefined;
}

interface Req {
  key: string;
  op: 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly toks: Token[],
  ) {}

  private fail(message: string, at?: number): never {
    throw new SelectorSyntaxError(message, at ?? this.toks[this.pos]?.at ?? this.text.length);
  }

  private peek(): Token | undefined {
    return this.toks[this.pos];
  }

  private next(): Token | undefined {
    return this.toks[this.pos++];
  }

  private key(): string {
    const t = this.next();
    if (t?.t !== 'id') this.fail('expected a label key', t?.at);
    const problem = labelKeyProblem(t.v);
    if (problem) this.fail(problem, t.at);
    return t.v;
  }

  private value(): string {
    const t = this.peek();
    // An empty value (`a=` or `a in (x,)`) is allowed, as in Kubernetes.
    if (t?.t !== 'id' || t.v === 'in' || t.v === 'notin') return '';
    this.pos++;
    const problem = labelValueProblem(t.v);
    if (problem) this.fail(problem, t.at);
    return t.v;
  }

  private valueList(key: string): string[] {
    const open = this.next();
    if (open?.t !== 'op' || open.v !== '(')
      this.fail(`expected "(" after in/notin of ${JSON.stringify(key)}`, open?.at);
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      const t = this.next();
      if (t?.t === 'op' && t.v === ')') break;
      if (t?.t === 'op' && t.v === ',') continue;
      this.fail(`expected "," or ")" in the value list of ${JSON.stringify(key)}`, t?.at);
    }
    if (values.length === 1 && values[0] === '')
      this.fail(`the value list of ${JSON.stringify(key)} is empty`);
    return [...new Set(values)].sort();
  }

  private requirement(): Req {
    const first = this.peek();
    if (first?.t === 'op' && first.v === '!') {
      this.pos++;
      return { key: this.key(), op: 'DoesNotExist', values: [] };
    }
    const key = this.key();
    const t = this.peek();
    if (!t || (t.t === 'op' && t.v === ',')) return { key, op: 'Exists', values: [] };
    this.pos++;
    if (t.t === 'id' && t.v === 'in') return { key, op: 'In', values: this.valueList(key) };
    if (t.t === 'id' && t.v === 'notin') return { key, op: 'NotIn', values: this.valueList(key) };
    if (t.t === 'op' && (t.v === '=' || t.v === '==')) return { key, op: 'Equals', values: [this.value()] };
    if (t.t === 'op' && t.v === '!=') return { key, op: 'NotIn', values: [this.value()] };
    if (t.t === 'op' && (t.v === '<' || t.v === '>'))
      this.fail(
        `"${t.v}" (on ${JSON.stringify(key)}) cannot be expressed in a LabelSelector; use in/notin`,
        t.at,
      );
    return this.fail(`expected =, ==, !=, in or notin after ${JSON.stringify(key)}`, t.at);
  }

  parse(): Req[] {
    const reqs: Req[] = [];
    if (this.toks.length === 0) return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const t = this.next();
      if (!t) break;
      if (t.t !== 'op' || t.v !== ',') this.fail('expected "," between requirements', t.at);
    }
    return reqs;
  }
}

/**
 * Parses a selector string into a LabelSelector. The empty string is the empty selector `{}`.
 * Throws SelectorSyntaxError (with the offset) on bad input.
 */
export function parseSelectorString(text: string): LabelSelector {
  const reqs = new Parser(text, tokenize(text)).parse();
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const r of reqs) {
    if (r.op === 'Equals') {
      // Kubernetes keeps the last `k=v` of a key in matchLabels.
      setOwn(matchLabels, r.key, r.values[0]);
    } else if (r.op === 'Exists' || r.op === 'DoesNotExist') {
      matchExpressions.push({ key: r.key, operator: r.op });
    } else {
      matchExpressions.push({ key: r.key, operator: r.op, values: r.values });
    }
  }
  const out: LabelSelector = {};
  if (Object.keys(matchLabels).length > 0) out.matchLabels = matchLabels;
  if (matchExpressions.length > 0) out.matchExpressions = matchExpressions;
  return out;
}

/**
 * The selector string of a LabelSelector (Kubernetes' canonical form). Throws Error naming the
 * bad part when the selector is invalid (unknown operator, In/NotIn without values).
 */
export function formatSelector(sel: LabelSelector): string {
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {}))
    parts.push({ key, text: `${key}=${value}` });
  for (const [i, e] of (sel.matchExpressions ?? []).entries()) {
    const values = [...new Set(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          throw new Error(`matchExpressions[${i}]: ${e.operator} needs at least one value`);
        parts.push({ key: e.key, text: `${e.key} ${e.operator.toLowerCase()} (${values.join(',')})` });
        break;
      case 'Exists':
        parts.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        parts.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        throw new Error(
          `matchExpressions[${i}]: operator ${JSON.stringify(e.operator)} is not In, NotIn, Exists or DoesNotExist`,
        );
    }
  }
  // Stable sort by key, as labels.Requirements are sorted.
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return parts.map((p) => p.text).join(',');
}
