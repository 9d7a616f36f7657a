/**
 * Field selectors as `k8s.io/apimachinery/pkg/fields.ParseSelector` parses them: `a=b`, `a==b`,
 * `a!=b`, joined by `,`, with `\`, `,` and `=` escaped by a backslash in values. Terms are sorted
 * (upstream sorts the raw terms), and the API server then checks every field is supported.
 */
import { SelectorError } from './errors.js';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Returns an object's value for a field label, `undefined` when absent (compares as ""). */
export type FieldGetter = (field: string) => string | undefined;

const TERM_OPERATORS: readonly FieldOperator[] = ['!=', '==', '='];

/** `fields.EscapeValue`. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}

/** `fields.UnescapeValue`; throws with upstream's messages. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') {
        out += c;
        inSlash = false;
        continue;
      }
      throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') {
      // Upstream formats the rune with %v, which prints its code point.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  if (inSlash) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** `fields.splitTerms`: splits on commas not preceded by an escaping backslash. */
export function splitFieldTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** `fields.splitTerm`: the first operator found left to right (`!=` before `==` before `=`). */
export function splitFieldTerm(term: string): { lhs: string; op: FieldOperator; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** A compiled field selector. Immutable; `matches` takes a getter so objects need no field map. */
export class FieldSelector {
  static readonly everything = new FieldSelector([]);

  constructor(readonly requirements: readonly FieldRequirement[]) {}

  matches(get: FieldGetter): boolean {
    for (const r of this.requirements) {
      const v = get(r.field) ?? '';
      if (r.operator === '!=' ? v === r.value : v !== r.value) return false;
    }
    return true;
  }

  /** True when the selector does not restrict anything. */
  isEverything(): boolean {
    return this.requirements.length === 0;
  }

  /** The value the selector requires for `field` (`=` or `==`), if any. */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
  }

  /** Kube's canonical form: `==` prints as `=`, values re-escaped. */
  toString(): string {
    return this.requirements
      .map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`)
      .join(',');
  }
}

export interface ParseFieldSelectorOptions {
  /**
   * The field labels the resource supports. When given, any other field fails with
   * `field label not supported: <field>` (the API server's wording for a list or watch), or with
   * `unsupportedMessage(field)` when given (see `fieldLabelsFor`).
   */
  supportedFields?: ReadonlySet<string> | readonly string[];
  unsupportedMessage?: (field: string) => string;
}

/** Parses a field selector; throws `SelectorError` with kube's message for bad input. */
export function parseFieldSelector(selector: string, opts: ParseFieldSelectorOptions = {}): FieldSelector {
  const parts = splitFieldTerms(selector).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitFieldTerm(part);
    if (!t) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    reqs.push({ field: t.lhs, operator: t.op, value: unescapeFieldValue(t.rhs) });
  }
  if (opts.supportedFields) {
    const supported =
      opts.supportedFields instanceof Set
        ? opts.supportedFields
        : new Set(opts.supportedFields as readonly string[]);
    for (const r of reqs) {
      if (!supported.has(r.field)) {
        throw new SelectorError(
          opts.unsupportedMessage?.(r.field) ?? `field label not supported: ${r.field}`,
        );
      }
    }
  }
  return reqs.length === 0 ? FieldSelector.everything : new FieldSelector(reqs);
}

/** `fields.SelectorFromSet`: every field must equal its value. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>> | undefined): FieldSelector {
  if (!set) return FieldSelector.everything;
  return new FieldSelector(
    Object.keys(set).map((field) => ({ field, operator: '=' as const, value: set[field] })),
  );
}
