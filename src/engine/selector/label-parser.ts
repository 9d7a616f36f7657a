/**
 * The label selector grammar of `k8s.io/apimachinery/pkg/labels.Parse`:
 *
 *   selector    ::= requirement | requirement "," selector
 *   requirement ::= [!] KEY [ set-based | exact-match ]
 *   set-based   ::= ("in" | "notin") "(" VALUE ("," VALUE)* ")"
 *   exact-match ::= ("=" | "==" | "!=" | ">" | "<") VALUE
 *
 * Same tokens, same error texts (`found 'x', expected: ...`), same quirks (`in`/`notin` are values
 * inside parentheses, `()` means the empty value, values are deduplicated and sorted).
 */
import { SelectorError } from './errors.js';
import { BINARY_OPERATORS, type Operator, type Requirement, requirementErrors } from './requirement.js';
import { aggregateMessage, fieldErrorString, goQuote, invalid, isQualifiedName } from './validation.js';

export enum Tok {
  Error = 0,
  EndOfString = 1,
  ClosedPar = 2,
  Comma = 3,
  DoesNotExist = 4,
  DoubleEquals = 5,
  Equals = 6,
  GreaterThan = 7,
  Identifier = 8,
  In = 9,
  LessThan = 10,
  NotEquals = 11,
  NotIn = 12,
  OpenPar = 13,
}

const KEYWORDS: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
};

function keyword(s: string): Tok | undefined {
  return Object.hasOwn(KEYWORDS, s) ? KEYWORDS[s] : undefined;
}

const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string) =>
  ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';

export interface Token {
  tok: Tok;
  lit: string;
}

/** Splits a selector into tokens; the last one is always `EndOfString`. */
export function lex(s: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length) {
      out.push({ tok: Tok.EndOfString, lit: '' });
      return out;
    }
    if (isSpecial(s[pos])) {
      // Longest special-symbol sequence that is still a token ("!=" over "!", "==" over "=").
      let buf = '';
      let last: Token | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        buf += s[pos];
        const t = keyword(buf);
        if (t !== undefined) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      out.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    const start = pos;
    while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) pos++;
    const word = s.slice(start, pos);
    out.push({ tok: keyword(word) ?? Tok.Identifier, lit: word });
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly items: Token[]) {}

  /** In the values context the keywords `in` and `notin` are plain identifiers. */
  private static asValue(t: Token): Token {
    return t.tok === Tok.In || t.tok === Tok.NotIn ? { tok: Tok.Identifier, lit: t.lit } : t;
  }

  lookahead(values: boolean): Token {
    const t = this.items[this.pos];
    return values ? Parser.asValue(t) : t;
  }

  consume(values: boolean): Token {
    const t = this.items[this.pos++];
    return values ? Parser.asValue(t) : t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.lookahead(true);
      switch (t.tok) {
        case Tok.Identifier:
        case Tok.DoesNotExist: {
          reqs.push(this.requirementOrThrow());
          const next = this.consume(true);
          if (next.tok === Tok.EndOfString) return reqs;
          if (next.tok === Tok.Comma) {
            const t2 = this.lookahead(true);
            if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) {
              throw new SelectorError(`found '${t2.lit}', expected: identifier after ','`);
            }
            break;
          }
          throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
        }
        case Tok.EndOfString:
          return reqs;
        default:
          throw new SelectorError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private requirementOrThrow(): Requirement {
    try {
      return this.requirement();
    } catch (err) {
      if (err instanceof SelectorError) {
        throw new SelectorError(`unable to parse requirement: ${err.message}`, err.causes, { cause: err });
      }
      throw err;
    }
  }

  private requirement(): Requirement {
    const { key, op: inferred } = this.keyAndInferOperator();
    let op: Operator;
    let values: string[];
    if (inferred === 'exists' || inferred === '!') {
      op = inferred;
      values = [];
    } else {
      op = this.operator();
      values = op === 'in' || op === 'notin' ? this.setValues() : [this.exactValue()];
      values = [...new Set(values)].sort();
    }
    const errs = requirementErrors(key, op, values);
    if (errs.length > 0) throw new SelectorError(aggregateMessage(errs.map(fieldErrorString)), errs);
    return { key, operator: op, values };
  }

  private keyAndInferOperator(): { key: string; op: Operator | undefined } {
    let op: Operator | undefined;
    let t = this.consume(true);
    if (t.tok === Tok.DoesNotExist) {
      op = '!';
      t = this.consume(true);
    }
    if (t.tok !== Tok.Identifier) throw new SelectorError(`found '${t.lit}', expected: identifier`);
    const keyErrs = isQualifiedName(t.lit);
    if (keyErrs.length > 0) {
      // Upstream validates the key against a nil field path, which prints as `<nil>`.
      const e = invalid('<nil>', goQuote(t.lit), keyErrs.join('; '));
      throw new SelectorError(fieldErrorString(e), [e]);
    }
    const next = this.lookahead(true).tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && op !== '!') op = 'exists';
    return { key: t.lit, op };
  }

  private operator(): Operator {
    const t = this.consume(false);
    switch (t.tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new SelectorError(`found '${t.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private setValues(): string[] {
    let t = this.consume(true);
    if (t.tok !== Tok.OpenPar) throw new SelectorError(`found '${t.lit}' expected: '('`);
    t = this.lookahead(true);
    switch (t.tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.identifierList();
        if (this.consume(true).tok !== Tok.ClosedPar)
          throw new SelectorError(`found '${t.lit}', expected: ')'`);
        return s;
      }
      case Tok.ClosedPar:
        this.consume(true);
        return [''];
      default:
        throw new SelectorError(`found '${t.lit}', expected: ',', ')' or identifier`);
    }
  }

  private identifierList(): string[] {
    const s: string[] = [];
    for (;;) {
      const t = this.consume(true);
      if (t.tok === Tok.Identifier) {
        s.push(t.lit);
        const t2 = this.lookahead(true);
        if (t2.tok === Tok.Comma) continue;
        if (t2.tok === Tok.ClosedPar) return s;
        throw new SelectorError(`found '${t2.lit}', expected: ',' or ')'`);
      }
      if (t.tok === Tok.Comma) {
        if (s.length === 0) s.push(''); // "(,"
        const t2 = this.lookahead(true).tok;
        if (t2 === Tok.ClosedPar) {
          s.push(''); // ",)"
          return s;
        }
        if (t2 === Tok.Comma) {
          this.consume(true);
          s.push(''); // ",,"
        }
        continue;
      }
      throw new SelectorError(`found '${t.lit}', expected: ',', or identifier`);
    }
  }

  private exactValue(): string {
    const t = this.lookahead(true);
    if (t.tok === Tok.EndOfString || t.tok === Tok.Comma) return '';
    const v = this.consume(true);
    if (v.tok === Tok.Identifier) return v.lit;
    throw new SelectorError(`found '${v.lit}', expected: identifier`);
  }
}

/** Parses a label selector string into its requirements, sorted by key (stable), as `labels.Parse`. */
export function parseRequirements(selector: string): Requirement[] {
  const reqs = new Parser(lex(selector)).parse();
  return reqs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
    .map((x) => x.r);
}
