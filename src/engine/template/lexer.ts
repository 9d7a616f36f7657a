/**
 * The template lexer: a port of Go's text/template/parse/lex.go state machine (synchronous,
 * as since Go 1.20). Positions are JS string indexes; error columns are converted to UTF-8
 * byte offsets where Go reports them.
 */

export enum T {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords appear after all the rest.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Item {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, T> = {
  '.': T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

/** Go's item.String(), used in parse error messages. */
export function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF';
  if (i.typ === T.Error) return i.val;
  if (i.typ > T.Keyword) return `<${i.val}>`;
  if ([...i.val].length > 10) return `${goQuote([...i.val].slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}

const EOF = -1;
const TRIM = '-';

function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;
function isAlphaNumeric(r: number): boolean {
  if (r < 0) return false;
  if (r < 128) {
    return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  }
  return LETTER_OR_DIGIT.test(String.fromCodePoint(r));
}
function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length >= at + 2 && s[at] === TRIM && isSpace(s.charCodeAt(at + 1));
}
function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length >= at + 2 && isSpace(s.charCodeAt(at)) && s[at + 1] === TRIM;
}
const SPACE_CHARS = ' \t\r\n';

type StateFn = ((l: Lexer) => StateFn) | null;

export class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private item: Item = { typ: T.EOF, pos: 0, val: 'EOF', line: 0 };
  private insideAction = false;

  constructor(
    readonly name: string,
    public input: string,
    readonly leftDelim: string,
    readonly rightDelim: string,
    readonly emitComment = false,
  ) {}

  /** The next item; after EOF or an error, keeps returning EOF. */
  nextItem(): Item {
    this.item = { typ: T.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let st: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (st !== null) st = st(this);
    return this.item;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) as number;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 10) this.line++;
    return r;
  }
  private lastWidth(): number {
    const c = this.input.charCodeAt(this.pos - 1);
    return c >= 0xdc00 && c <= 0xdfff && this.pos >= 2 ? 2 : 1;
  }
  private peek(): number {
    if (this.pos >= this.input.length) return EOF;
    return this.input.codePointAt(this.pos) as number;
  }
  private backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const w = this.lastWidth();
      this.pos -= w;
      if (this.input.charCodeAt(this.pos) === 10) this.line--;
    }
  }
  private thisItem(t: T): Item {
    const i: Item = {
      typ: t,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.startLine,
    };
    this.start = this.pos;
    this.startLine = this.line;
    return i;
  }
  emit(t: T): null {
    return this.emitItem(this.thisItem(t));
  }
  emitItem(i: Item): null {
    this.item = i;
    return null;
  }
  private ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }
  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }
  private acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }
  errorf(msg: string): StateFn {
    this.item = { typ: T.Error, pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return null;
  }
  private atRightDelim(): { delim: boolean; trim: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + 2)) {
      return { delim: true, trim: true };
    }
    if (this.input.startsWith(this.rightDelim, this.pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  }
  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 46: // .
      case 44: // ,
      case 124: // |
      case 58: // :
      case 41: // )
      case 40: // (
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  // --- state functions (static so they can be referenced before definition) ---

  static lexText(l: Lexer): StateFn {
    const x = l.input.indexOf(l.leftDelim, l.pos);
    if (x >= 0) {
      if (x > l.pos) {
        l.pos = x;
        let trimLength = 0;
        const delimEnd = l.pos + l.leftDelim.length;
        if (hasLeftTrimMarker(l.input, delimEnd)) {
          trimLength = rightTrimLength(l.input.slice(l.start, l.pos));
        }
        l.pos -= trimLength;
        l.line += countNewlines(l.input, l.start, l.pos);
        const i = l.thisItem(T.Text);
        l.pos += trimLength;
        l.ignore();
        if (i.val.length > 0) return l.emitItem(i);
      }
      return lexLeftDelim;
    }
    l.pos = l.input.length;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input, l.start, l.pos);
      return l.emit(T.Text);
    }
    return l.emit(T.EOF);
  }

  static lexLeftDelim(l: Lexer): StateFn {
    l.pos += l.leftDelim.length;
    const trimSpace = hasLeftTrimMarker(l.input, l.pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (l.input.startsWith('/*', l.pos + afterMarker)) {
      l.pos += afterMarker;
      l.ignore();
      return lexComment;
    }
    const i = l.thisItem(T.LeftDelim);
    l.insideAction = true;
    l.pos += afterMarker;
    l.ignore();
    l.parenDepth = 0;
    return l.emitItem(i);
  }

  static lexComment(l: Lexer): StateFn {
    l.pos += 2;
    const x = l.input.indexOf('*/', l.pos);
    if (x < 0) return l.errorf('unclosed comment');
    l.pos = x + 2;
    const { delim, trim } = l.atRightDelim();
    if (!delim) return l.errorf('comment ends before closing delimiter');
    const i = l.thisItem(T.Comment);
    if (trim) l.pos += 2;
    l.pos += l.rightDelim.length;
    if (trim) l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
    if (l.emitComment) return l.emitItem(i);
    return lexText;
  }

  static lexRightDelim(l: Lexer): StateFn {
    const { trim } = l.atRightDelim();
    if (trim) {
      l.pos += 2;
      l.ignore();
    }
    l.pos += l.rightDelim.length;
    const i = l.thisItem(T.RightDelim);
    if (trim) {
      l.pos += leftTrimLength(l.input, l.pos);
      l.ignore();
    }
    l.insideAction = false;
    return l.emitItem(i);
  }

  static lexInsideAction(l: Lexer): StateFn {
    const { delim } = l.atRightDelim();
    if (delim) {
      if (l.parenDepth === 0) return lexRightDelim;
      return l.errorf('unclosed left paren');
    }
    const r = l.next();
    if (r === EOF) return l.errorf('unclosed action');
    if (isSpace(r)) {
      l.backup();
      return lexSpace;
    }
    switch (r) {
      case 61: // =
        return l.emit(T.Assign);
      case 58: // :
        if (l.next() !== 61) return l.errorf('expected :=');
        return l.emit(T.Declare);
      case 124:
        return l.emit(T.Pipe);
      case 34:
        return lexQuote;
      case 96:
        return lexRawQuote;
      case 36:
        return lexVariable;
      case 39:
        return lexChar;
      case 40:
        l.parenDepth++;
        return l.emit(T.LeftParen);
      case 41:
        l.parenDepth--;
        if (l.parenDepth < 0) return l.errorf('unexpected right paren');
        return l.emit(T.RightParen);
    }
    if (r === 46) {
      if (l.pos < l.input.length) {
        const c = l.input.charCodeAt(l.pos);
        if (c < 48 || c > 57) return lexField;
      }
      l.backup();
      return lexNumber;
    }
    if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
      l.backup();
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      l.backup();
      return lexIdentifier;
    }
    if (r < 128 && r >= 32 && r !== 127) {
      return l.emit(T.Char);
    }
    return l.errorf(`unrecognized character in action: ${fmtU(r)}`);
  }

  static lexSpace(l: Lexer): StateFn {
    let numSpaces = 0;
    for (;;) {
      const r = l.peek();
      if (!isSpace(r)) break;
      l.next();
      numSpaces++;
    }
    if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(l.rightDelim, l.pos - 1 + 2)) {
      l.backup();
      if (numSpaces === 1) return lexRightDelim;
    }
    return l.emit(T.Space);
  }

  static lexIdentifier(l: Lexer): StateFn {
    for (;;) {
      const r = l.next();
      if (isAlphaNumeric(r)) continue;
      l.backup();
      const word = l.input.slice(l.start, l.pos);
      if (!l.atTerminator()) return l.errorf(`bad character ${fmtU(r)}`);
      const kw = KEYWORDS[word];
      if (kw !== undefined && Object.hasOwn(KEYWORDS, word) && kw > T.Keyword) return l.emit(kw);
      if (word[0] === '.') return l.emit(T.Field);
      if (word === 'true' || word === 'false') return l.emit(T.Bool);
      return l.emit(T.Identifier);
    }
  }

  static lexField(l: Lexer): StateFn {
    return lexFieldOrVariable(l, T.Field);
  }

  static lexVariable(l: Lexer): StateFn {
    if (l.atTerminator()) {
      return l.emit(T.Variable);
    }
    return lexFieldOrVariable(l, T.Variable);
  }

  static lexFieldOrVariable(l: Lexer, typ: T): StateFn {
    if (l.atTerminator()) {
      return l.emit(typ === T.Variable ? T.Variable : T.Dot);
    }
    let r: number;
    for (;;) {
      r = l.next();
      if (!isAlphaNumeric(r)) {
        l.backup();
        break;
      }
    }
    if (!l.atTerminator()) return l.errorf(`bad character ${fmtU(r)}`);
    return l.emit(typ);
  }

  static lexChar(l: Lexer): StateFn {
    for (;;) {
      let r = l.next();
      if (r === 92) {
        r = l.next();
        if (r !== EOF && r !== 10) continue;
        return l.errorf('unterminated character constant');
      }
      if (r === EOF || r === 10) return l.errorf('unterminated character constant');
      if (r === 39) break;
    }
    return l.emit(T.CharConstant);
  }

  static lexNumber(l: Lexer): StateFn {
    if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
    const sign = l.peek();
    if (sign === 43 || sign === 45) {
      if (!l.scanNumber() || l.input[l.pos - 1] !== 'i') {
        return l.errorf(`bad number syntax: ${goQuote(l.input.slice(l.start, l.pos))}`);
      }
      return l.emit(T.Complex);
    }
    return l.emit(T.Number);
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  static lexQuote(l: Lexer): StateFn {
    for (;;) {
      let r = l.next();
      if (r === 92) {
        r = l.next();
        if (r !== EOF && r !== 10) continue;
        return l.errorf('unterminated quoted string');
      }
      if (r === EOF || r === 10) return l.errorf('unterminated quoted string');
      if (r === 34) break;
    }
    return l.emit(T.String);
  }

  static lexRawQuote(l: Lexer): StateFn {
    for (;;) {
      const r = l.next();
      if (r === EOF) return l.errorf('unterminated raw quoted string');
      if (r === 96) break;
    }
    return l.emit(T.RawString);
  }
}

const lexText = Lexer.lexText;
const lexLeftDelim = Lexer.lexLeftDelim;
const lexComment = Lexer.lexComment;
const lexRightDelim = Lexer.lexRightDelim;
const lexInsideAction = Lexer.lexInsideAction;
const lexSpace = Lexer.lexSpace;
const lexIdentifier = Lexer.lexIdentifier;
const lexField = Lexer.lexField;
const lexVariable = Lexer.lexVariable;
const lexFieldOrVariable = Lexer.lexFieldOrVariable;
const lexChar = Lexer.lexChar;
const lexNumber = Lexer.lexNumber;
const lexQuote = Lexer.lexQuote;
const lexRawQuote = Lexer.lexRawQuote;

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
function rightTrimLength(s: string): number {
  let i = s.length;
  while (i > 0 && SPACE_CHARS.includes(s[i - 1] as string)) i--;
  return s.length - i;
}
function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && SPACE_CHARS.includes(s[i] as string)) i++;
  return i - from;
}

/** Go's `%#U` of a rune: `U+0021 '!'`. */
export function fmtU(r: number): string {
  const hex = r.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} '${String.fromCodePoint(r)}'`;
}

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0) as number;
    switch (r) {
      case 7:
        out += '\\a';
        continue;
      case 8:
        out += '\\b';
        continue;
      case 12:
        out += '\\f';
        continue;
      case 10:
        out += '\\n';
        continue;
      case 13:
        out += '\\r';
        continue;
      case 9:
        out += '\\t';
        continue;
      case 11:
        out += '\\v';
        continue;
      case 92:
        out += '\\\\';
        continue;
      case 34:
        out += '\\"';
        continue;
    }
    if (r === 0xfffd && ch !== '\ufffd') {
      out += '\\ufffd';
      continue;
    }
    if (isPrint(r)) {
      out += ch;
    } else if (r < 0x20 || r === 0x7f) {
      out += `\\x${r.toString(16).padStart(2, '0')}`;
    } else if (r >= 0xd800 && r <= 0xdfff) {
      out += '\\ufffd';
    } else if (r < 0x10000) {
      out += `\\u${r.toString(16).padStart(4, '0')}`;
    } else {
      out += `\\U${r.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}\u0020]/u;
/** Go's strconv.IsPrint (approximation via Unicode categories L, M, N, P, S and ASCII space). */
export function isPrint(r: number): boolean {
  if (r < 0x7f) return r >= 0x20;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(r));
}
