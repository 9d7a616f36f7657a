/**
 * The parse tree: Go's text/template/parse node types, with Go's `String()` re-print
 * ({@link nodeString}). `pos` is a JS string index into the tree's source text.
 */

import { goQuote } from './lexer.js';

export interface TreeInfo {
  /** Name of the template this tree defines. */
  name: string;
  /** Name of the top-level template being parsed (used in error locations). */
  parseName: string;
  /** The full source text parsed (positions index into it). */
  text: string;
}

interface Base {
  pos: number;
  tree: TreeInfo;
}

export interface ListNode extends Base {
  type: 'list';
  nodes: Node[];
}
export interface TextNode extends Base {
  type: 'text';
  text: string;
}
export interface CommentNode extends Base {
  type: 'comment';
  text: string;
}
export interface PipeNode extends Base {
  type: 'pipe';
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface ActionNode extends Base {
  type: 'action';
  line: number;
  pipe: PipeNode;
}
export interface CommandNode extends Base {
  type: 'command';
  args: Node[];
}
export interface IdentifierNode extends Base {
  type: 'identifier';
  ident: string;
}
export interface VariableNode extends Base {
  type: 'variable';
  ident: string[];
}
export interface DotNode extends Base {
  type: 'dot';
}
export interface NilNode extends Base {
  type: 'nil';
}
export interface FieldNode extends Base {
  type: 'field';
  ident: string[];
}
export interface ChainNode extends Base {
  type: 'chain';
  node: Node;
  field: string[];
}
export interface BoolNode extends Base {
  type: 'bool';
  value: boolean;
}
export interface NumberNode extends Base {
  type: 'number';
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  /** Exact integer value when isInt (or isUint): a bigint. */
  int: bigint;
  float: number;
  /** Real and imaginary parts when isComplex. */
  re: number;
  im: number;
}
export interface StringNode extends Base {
  type: 'string';
  quoted: string;
  text: string;
}
export interface EndNode extends Base {
  type: 'end';
}
export interface ElseNode extends Base {
  type: 'else';
  line: number;
}
export interface BranchNode extends Base {
  type: 'if' | 'range' | 'with';
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export interface TemplateNode extends Base {
  type: 'template';
  line: number;
  name: string;
  pipe: PipeNode | null;
}
export interface BreakNode extends Base {
  type: 'break';
  line: number;
}
export interface ContinueNode extends Base {
  type: 'continue';
  line: number;
}

export type Node =
  | ListNode
  | TextNode
  | CommentNode
  | PipeNode
  | ActionNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | EndNode
  | ElseNode
  | BranchNode
  | TemplateNode
  | BreakNode
  | ContinueNode;

/** Go's Node.String(). With `quoteText`, text nodes print %q-quoted (as Go's parse tests do). */
export function nodeString(n: Node, quoteText = false): string {
  const s = (x: Node): string => nodeString(x, quoteText);
  switch (n.type) {
    case 'list':
      return n.nodes.map(s).join('');
    case 'text':
      return quoteText ? goQuote(n.text) : n.text;
    case 'comment':
      return `{{${n.text}}}`;
    case 'pipe': {
      let out = '';
      if (n.decl.length > 0) {
        out += n.decl.map(s).join(', ');
        out += n.isAssign ? ' = ' : ' := ';
      }
      return out + n.cmds.map(s).join(' | ');
    }
    case 'action':
      return `{{${s(n.pipe)}}}`;
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${s(a)})` : s(a))).join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return n.ident.map((i) => `.${i}`).join('');
    case 'chain': {
      const head = n.node.type === 'pipe' ? `(${s(n.node)})` : s(n.node);
      return head + n.field.map((f) => `.${f}`).join('');
    }
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
    case 'if':
    case 'range':
    case 'with': {
      let out = `{{${n.type} ${s(n.pipe)}}}${s(n.list)}`;
      if (n.elseList !== null) out += `{{else}}${s(n.elseList)}`;
      return `${out}{{end}}`;
    }
    case 'template':
      return n.pipe === null
        ? `{{template ${goQuote(n.name)}}}`
        : `{{template ${goQuote(n.name)} ${s(n.pipe)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
  }
}

/** Go's parse.IsEmptyTree: only whitespace text, comments and empty lists. */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim().length === 0;
    case 'comment':
      return true;
    default:
      return false;
  }
}

/** Go's ErrorContext: `NAME:LINE:COL` (COL in UTF-8 bytes) and the node's text. */
export function errorContext(n: Node): { location: string; context: string } {
  const text = n.tree.text.slice(0, n.pos);
  const nl = text.lastIndexOf('\n');
  const col = nl === -1 ? utf8Len(text) : utf8Len(text.slice(nl + 1));
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) line++;
  const context = nodeString(n);
  return { location: `${n.tree.parseName}:${line}:${col}`, context };
}

export function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
