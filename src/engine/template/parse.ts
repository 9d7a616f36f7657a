/**
 * The template parser: a port of Go's text/template/parse/parse.go. `parseTrees` turns one
 * source text into the map of trees it defines (the main one plus every `define`/`block`).
 */

import { goQuote, type Item, itemString, Lexer, T } from './lexer.js';
import {
  type BranchNode,
  type CommandNode,
  type ElseNode,
  type EndNode,
  isEmptyTree,
  type ListNode,
  type Node,
  type NumberNode,
  nodeString,
  type PipeNode,
  type TemplateNode,
  type TreeInfo,
  type VariableNode,
} from './nodes.js';
import { newNumber } from './parse-number.js';
import { unquote } from './strconv.js';

/** A parsed template body. */
export interface Tree extends TreeInfo {
  root: ListNode;
}

/** A parse failure; `message` is Go's (`template: NAME:LINE: ...`). */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly templateName: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Parses `text` as template `name`. `hasFunc` tells which function names exist (builtins
 * included). Returns every tree defined, keyed by name.
 */
export function parseTrees(
  name: string,
  text: string,
  leftDelim: string,
  rightDelim: string,
  hasFunc: (name: string) => boolean,
): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const lex = new Lexer(name, text, leftDelim || '{{', rightDelim || '}}');
  const p = new Parser(name, name, text, lex, treeSet, hasFunc);
  p.parse();
  p.add();
  return treeSet;
}

class Parser {
  private readonly info: TreeInfo;
  private root: ListNode | null = null;
  private readonly token: Item[] = [
    { typ: T.EOF, pos: 0, val: '', line: 0 },
    { typ: T.EOF, pos: 0, val: '', line: 0 },
    { typ: T.EOF, pos: 0, val: '', line: 0 },
  ];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    name: string,
    parseName: string,
    text: string,
    private readonly lex: Lexer,
    private readonly treeSet: Map<string, Tree>,
    private readonly hasFunc: (name: string) => boolean,
  ) {
    this.info = { name, parseName, text };
  }

  // --- token buffer ---
  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount] as Item;
  }
  private backup(): void {
    this.peekCount++;
  }
  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  private nextNonSpace(): Item {
    for (;;) {
      const t = this.next();
      if (t.typ !== T.Space) return t;
    }
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // --- errors ---
  private errorf(msg: string): never {
    const line = (this.token[0] as Item).line;
    throw new ParseError(`template: ${this.info.parseName}:${line}: ${msg}`, this.info.parseName, line);
  }
  private expect(expected: T, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }
  private expectOneOf(e1: T, e2: T, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== e1 && t.typ !== e2) this.unexpected(t, context);
    return t;
  }
  private unexpected(token: Item, context: string): never {
    if (token.typ === T.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.info.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }
  private unquoteOrFail(s: string): string {
    try {
      return unquote(s);
    } catch (e) {
      return this.errorf((e as Error).message);
    }
  }

  // --- node constructors ---
  private base(pos: number) {
    return { pos, tree: this.info };
  }
  private newList(pos: number): ListNode {
    return { type: 'list', nodes: [], ...this.base(pos) };
  }

  // --- grammar ---
  parse(): void {
    this.root = this.newList(this.peek().pos);
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === T.Define) {
          const nt = new Parser(
            'definition',
            this.info.parseName,
            this.info.text,
            this.lex,
            this.treeSet,
            this.hasFunc,
          );
          nt.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  /** Adds this tree to the tree set (Go's Tree.add). */
  add(): void {
    const root = this.root ?? this.newList(0);
    const existing = this.treeSet.get(this.info.name);
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(this.info.name, { ...this.info, root });
      return;
    }
    if (!isEmptyTree(root))
      this.errorf(`template: multiple definition of template ${goQuote(this.info.name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(T.String, T.RawString, context);
    this.info.name = this.unquoteOrFail(name.val);
    this.expect(T.RightDelim, context);
    const [list, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.root = list;
    this.add();
  }

  private itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    return this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Text:
        return { type: 'text', text: token.val, ...this.base(token.pos) };
      case T.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case T.Comment:
        return { type: 'comment', text: token.val, ...this.base(token.pos) };
      default:
        return this.unexpected(token, 'input');
    }
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Block:
        return this.blockControl();
      case T.Break:
        return this.breakControl(token, 'break');
      case T.Continue:
        return this.breakControl(token, 'continue');
      case T.Else:
        return this.elseControl();
      case T.End:
        return this.endControl();
      case T.If:
        return this.branch('if');
      case T.Range:
        return this.branch('range');
      case T.Template:
        return this.templateControl();
      case T.With:
        return this.branch('with');
    }
    this.backup();
    const t = this.peek();
    return {
      type: 'action',
      line: t.line,
      pipe: this.pipeline('command', T.RightDelim),
      ...this.base(t.pos),
    };
  }

  private breakControl(tok: Item, kind: 'break' | 'continue'): Node {
    const token = this.nextNonSpace();
    if (token.typ !== T.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, line: tok.line, ...this.base(tok.pos) };
  }

  private pipeline(context: string, end: T): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = {
      type: 'pipe',
      line: token.line,
      isAssign: false,
      decl: [],
      cmds: [],
      ...this.base(token.pos),
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== T.Variable) break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === T.Assign || next.typ === T.Declare) {
        pipe.isAssign = next.typ === T.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.typ === T.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const pk = this.peekNonSpace().typ;
          if (pk === T.Variable || pk === T.RightDelim || pk === T.RightParen) continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === T.Space) {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case T.Bool:
        case T.CharConstant:
        case T.Complex:
        case T.Dot:
        case T.Field:
        case T.Identifier:
        case T.Number:
        case T.Nil:
        case T.RawString:
        case T.String:
        case T.Variable:
        case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = (c.args[0] as Node).type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const nvars = this.vars.length;
    try {
      const pipe = this.pipeline(context, T.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, first] = this.itemList();
      let next = first;
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if (context === 'if' && this.peek().typ === T.If) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch('if'));
        } else if (context === 'with' && this.peek().typ === T.With) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branch('with'));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, line: pipe.line, pipe, list, elseList, ...this.base(pipe.pos) };
    } finally {
      this.vars.length = nvars;
    }
  }

  private branch(context: 'if' | 'range' | 'with'): BranchNode {
    return this.parseControl(context);
  }

  private endControl(): EndNode {
    return { type: 'end', ...this.base(this.expect(T.RightDelim, 'end').pos) };
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === T.If || peek.typ === T.With)
      return { type: 'else', line: peek.line, ...this.base(peek.pos) };
    const token = this.expect(T.RightDelim, 'else');
    return { type: 'else', line: token.line, ...this.base(token.pos) };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = new Parser(name, this.info.parseName, this.info.text, this.lex, this.treeSet, this.hasFunc);
    const [list, end] = block.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.root = list;
    block.add();
    return { type: 'template', line: token.line, name, pipe, ...this.base(token.pos) };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { type: 'template', line: token.line, name, pipe, ...this.base(token.pos) };
  }

  private parseTemplateName(token: Item, context: string): string {
    if (token.typ === T.String || token.typ === T.RawString) return this.unquoteOrFail(token.val);
    return this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', args: [], ...this.base(this.peekNonSpace().pos) };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === T.Space) continue;
      if (token.typ === T.RightDelim || token.typ === T.RightParen) this.backup();
      else if (token.typ !== T.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): Node | null {
    let node = this.term();
    if (node === null) return null;
    if (this.peek().typ === T.Field) {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === T.Field) fields.push(this.next().val.slice(1));
      const chain: Node = { type: 'chain', node, field: fields, ...this.base(chainPos) };
      switch (node.type) {
        case 'field':
          node = { type: 'field', ident: nodeString(chain).slice(1).split('.'), ...this.base(chainPos) };
          break;
        case 'variable':
          node = this.newVariable(chainPos, nodeString(chain));
          break;
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          node = chain;
      }
    }
    return node;
  }

  private term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Identifier:
        if (!this.hasFunc(token.val)) this.errorf(`function ${JSON.stringify(token.val)} not defined`);
        return { type: 'identifier', ident: token.val, ...this.base(token.pos) };
      case T.Dot:
        return { type: 'dot', ...this.base(token.pos) };
      case T.Nil:
        return { type: 'nil', ...this.base(token.pos) };
      case T.Variable:
        return this.useVar(token.pos, token.val);
      case T.Field:
        return { type: 'field', ident: token.val.slice(1).split('.'), ...this.base(token.pos) };
      case T.Bool:
        return { type: 'bool', value: token.val === 'true', ...this.base(token.pos) };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        return this.newNumber(token);
      case T.LeftParen:
        return this.pipeline('parenthesized pipeline', T.RightParen);
      case T.String:
      case T.RawString:
        return {
          type: 'string',
          quoted: token.val,
          text: this.unquoteOrFail(token.val),
          ...this.base(token.pos),
        };
    }
    this.backup();
    return null;
  }

  private newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', ident: name.split('.'), ...this.base(pos) };
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (this.vars.includes(v.ident[0] as string)) return v;
    return this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
  }

  private newNumber(token: Item): NumberNode {
    return newNumber(token, this.base(token.pos), (m) => this.errorf(m));
  }
}
