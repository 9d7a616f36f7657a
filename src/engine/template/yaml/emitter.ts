/**
 * A port of the parts of go-yaml's emitter (libyaml's emitterc.go) that encoding a plain value
 * tree reaches: block mappings and sequences, flow `[]`/`{}` for empty collections, scalar style
 * selection (plain, single-quoted, double-quoted, literal) and line folding at the best width.
 * Output must be byte-identical to gopkg.in/yaml.v2 (`v3: false`) or yaml.v3 with SetIndent(2).
 */

export type ScalarStyle = 'plain' | 'double' | 'literal';

export type YNode =
  | { readonly t: 'scalar'; readonly value: string; readonly style: ScalarStyle }
  | { readonly t: 'seq'; readonly items: readonly YNode[] }
  | { readonly t: 'map'; readonly entries: readonly (readonly [YNode, YNode])[] };

export interface EmitOptions {
  /** yaml.v3 indentation rules (sequences inside mappings are indented). */
  readonly v3: boolean;
  /** Fold plain/quoted scalars past this column (go-yaml v2: 80; v3: never). */
  readonly width: number;
  readonly indent: number;
}

interface ScalarData {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

type StateKind = 'seq-item' | 'map-key' | 'map-value' | 'doc';

const isBreak = (c: number): boolean =>
  c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x09;
const isBlankz = (c: number | undefined): boolean => c === undefined || c === 0 || isBlank(c) || isBreak(c);
function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

const INDICATOR_FIRST = new Set(Array.from('#,[]{}&*!|>\'"%@`', (c) => c.charCodeAt(0)));
const FLOW_INDICATOR = new Set(Array.from(',?[]{}', (c) => c.charCodeAt(0)));
const PLAIN_SAFE: ScalarData = {
  multiline: false,
  flowPlain: true,
  blockPlain: true,
  singleQuoted: true,
  block: true,
};

/**
 * Printable ASCII that never sets an indicator/special flag in the middle of a scalar: everything
 * from space to `~` except the flow indicators `,?[]{}`, `:` and `#` (conservatively).
 * SAFE_FIRST additionally excludes space, the first-character indicators, `-` and `.` (`---`, `...`).
 */
const SAFE_MID = new Uint8Array(128);
const SAFE_FIRST = new Uint8Array(128);
for (let c = 0x20; c <= 0x7e; c++) {
  if (!',?[]{}:#'.includes(String.fromCharCode(c))) SAFE_MID[c] = 1;
  if (SAFE_MID[c] === 1 && c !== 0x20 && c !== 0x2d && c !== 0x2e && !INDICATOR_FIRST.has(c))
    SAFE_FIRST[c] = 1;
}

/** Whether `value` is printable ASCII that analyze() would find plain-safe (exact subset). */
function plainSafeAscii(value: string, n: number): boolean {
  const c0 = value.charCodeAt(0);
  if (c0 >= 128 || SAFE_FIRST[c0] !== 1 || value.charCodeAt(n - 1) === 0x20) return false;
  for (let i = 1; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || SAFE_MID[c] !== 1) return false;
  }
  return true;
}

/** libyaml's yaml_emitter_analyze_scalar, over code points. */
function analyze(value: string): ScalarData {
  const n = value.length;
  if (n === 0)
    return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  if (plainSafeAscii(value, n)) return PLAIN_SAFE;
  let blockInd = false;
  let flowInd = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) {
    blockInd = true;
    flowInd = true;
  }
  let precededByWs = true;
  for (let i = 0; i < n; ) {
    let c = value.charCodeAt(i);
    let w = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        w = 2;
      }
    }
    const next = i + w < n ? value.charCodeAt(i + w) : -1;
    const followedByWs = next === -1 || next === 0x20 || next === 0x09;
    if (i === 0) {
      if (INDICATOR_FIRST.has(c)) {
        flowInd = true;
        blockInd = true;
      } else if (c === 0x3f || c === 0x3a) {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === 0x2d && followedByWs) {
        flowInd = true;
        blockInd = true;
      }
    } else if (FLOW_INDICATOR.has(c)) {
      flowInd = true;
    } else if (c === 0x3a) {
      flowInd = true;
      if (followedByWs) blockInd = true;
    } else if (c === 0x23 && precededByWs) {
      flowInd = true;
      blockInd = true;
    }
    if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i + w === n) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + w === n) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankz(c);
    i += w;
  }
  if (
    !(
      blockInd ||
      flowInd ||
      lineBreaks ||
      special ||
      leadingSpace ||
      leadingBreak ||
      trailingSpace ||
      trailingBreak
    )
  ) {
    return PLAIN_SAFE;
  }
  const d: ScalarData = {
    multiline: lineBreaks,
    flowPlain: true,
    blockPlain: true,
    singleQuoted: true,
    block: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    d.flowPlain = false;
    d.blockPlain = false;
  }
  if (trailingSpace) d.block = false;
  if (breakSpace) {
    d.flowPlain = false;
    d.blockPlain = false;
    d.singleQuoted = false;
  }
  if (spaceBreak || special) {
    d.flowPlain = false;
    d.blockPlain = false;
    d.singleQuoted = false;
    d.block = false;
  }
  if (lineBreaks) {
    d.flowPlain = false;
    d.blockPlain = false;
  }
  if (flowInd) d.flowPlain = false;
  if (blockInd) d.blockPlain = false;
  return d;
}

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  openEnded = false;
  indent = -1;
  readonly indents: number[] = [];
  readonly states: StateKind[] = [];
  flowLevel = 0;
  rootContext = false;
  mappingContext = false;
  simpleKeyContext = false;

  constructor(readonly opts: EmitOptions) {}

  put(s: string): void {
    this.out += s;
    this.column += s.length;
  }

  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(ind: string, needWs: boolean, isWs: boolean, isIndention: boolean): void {
    if (needWs && !this.whitespace) this.put(' ');
    this.put(ind);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    const best = this.opts.indent;
    if (this.indent < 0) {
      this.indent = flow ? best : 0;
    } else if (!indentless) {
      if (this.opts.v3) {
        if (this.states[this.states.length - 1] === 'seq-item') this.indent += 2;
        else this.indent = best * Math.floor((this.indent + best) / best);
      } else {
        this.indent += best;
      }
    }
  }

  popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  node(n: YNode, root: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    switch (n.t) {
      case 'scalar':
        this.scalar(n.value, n.style);
        return;
      case 'seq':
        if (this.flowLevel > 0 || n.items.length === 0) this.flowSeq(n.items);
        else this.blockSeq(n.items);
        return;
      case 'map':
        if (this.flowLevel > 0 || n.entries.length === 0) this.flowMap(n.entries);
        else this.blockMap(n.entries);
        return;
    }
  }

  flowSeq(items: readonly YNode[]): void {
    this.writeIndicator('[', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > this.opts.width) this.writeIndent();
      this.node(item, false, false, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false, false, false);
  }

  flowMap(entries: readonly (readonly [YNode, YNode])[]): void {
    this.writeIndicator('{', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    entries.forEach(([k, v], i) => {
      if (i > 0) this.writeIndicator(',', false, false, false);
      if (this.column > this.opts.width) this.writeIndent();
      this.node(k, false, true, true);
      this.writeIndicator(':', false, false, false);
      this.node(v, false, true, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false, false, false);
  }

  blockSeq(items: readonly YNode[]): void {
    this.increaseIndent(false, !this.opts.v3 && this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.states.push('seq-item');
      this.node(item, false, false, false);
      this.states.pop();
    }
    this.popIndent();
  }

  blockMap(entries: readonly (readonly [YNode, YNode])[]): void {
    this.increaseIndent(false, false);
    for (const [k, v] of entries) {
      this.writeIndent();
      if (isSimpleKey(k)) {
        this.states.push('map-value');
        this.node(k, false, true, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.states.push('map-value');
        this.node(k, false, true, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.states.pop();
      this.states.push('map-key');
      this.node(v, false, true, false);
      this.states.pop();
    }
    this.popIndent();
  }

  scalar(value: string, requested: ScalarStyle): void {
    const d = analyze(value);
    let style: ScalarStyle | 'single' = requested;
    if (this.simpleKeyContext && d.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !d.flowPlain) || (this.flowLevel === 0 && !d.blockPlain)) style = 'single';
      if (value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
    }
    if (style === 'single' && !d.singleQuoted) style = 'double';
    if (style === 'literal' && (!d.block || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double';
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    switch (style) {
      case 'plain':
        this.plain(value, allowBreaks);
        break;
      case 'single':
        this.singleQuoted(value, allowBreaks);
        break;
      case 'double':
        this.doubleQuoted(value, allowBreaks);
        break;
      case 'literal':
        this.literal(value);
        break;
    }
    this.popIndent();
  }

  plain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    // Fast path: no space can be reached past the best width, so nothing folds.
    if (!allowBreaks || this.column + value.length <= this.opts.width || !value.includes(' ')) {
      this.out += value;
      this.column += value.length;
      this.whitespace = false;
      this.indention = false;
      return;
    }
    const cps = Array.from(value);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.opts.width && cps[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  singleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const cps = Array.from(value);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i]!;
      if (ch === ' ') {
        if (
          allowBreaks &&
          !spaces &&
          this.column > this.opts.width &&
          i > 0 &&
          i < cps.length - 1 &&
          cps[i + 1] !== ' '
        ) {
          this.writeIndent();
        } else this.put(ch);
        spaces = true;
      } else {
        if (ch === "'") this.put("'");
        this.put(ch);
        this.indention = false;
        spaces = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  doubleQuoted(value: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const cps = Array.from(value);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i]!;
      const c = ch.codePointAt(0)!;
      if (!isPrintable(c) || c === 0xfeff || isBreak(c) || ch === '"' || ch === '\\') {
        this.put(escapeChar(c));
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.opts.width && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (cps[i + 1] === ' ') this.put('\\');
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  literal(value: string): void {
    this.writeIndicator('|', true, false, false);
    const cps = Array.from(value);
    const first = cps[0];
    if (first !== undefined && (first === ' ' || isBreak(first.codePointAt(0)!))) {
      this.writeIndicator(String(this.opts.indent), false, false, false);
    }
    this.openEnded = false;
    let chomp = '';
    const last = cps[cps.length - 1];
    if (cps.length === 0 || !isBreak(last!.codePointAt(0)!)) chomp = '-';
    else if (cps.length === 1 || isBreak(cps[cps.length - 2]!.codePointAt(0)!)) chomp = '+';
    // go-yaml sets open_ended for '+' but the indicator write clears it again.
    if (chomp !== '') this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of cps) {
      if (isBreak(ch.codePointAt(0)!)) {
        if (ch === '\r' || ch === '\n') this.putBreak();
        else {
          this.out += ch;
          this.column = 0;
        }
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

function escapeChar(c: number): string {
  switch (c) {
    case 0x00:
      return '\\0';
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x09:
      return '\\t';
    case 0x0a:
      return '\\n';
    case 0x0b:
      return '\\v';
    case 0x0c:
      return '\\f';
    case 0x0d:
      return '\\r';
    case 0x1b:
      return '\\e';
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
    case 0x85:
      return '\\N';
    case 0xa0:
      return '\\_';
    case 0x2028:
      return '\\L';
    case 0x2029:
      return '\\P';
  }
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (c <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

function utf8Length(s: string): number {
  let n = 0;
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 0x80;
  if (ascii) return s.length;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

function isSimpleKey(k: YNode): boolean {
  switch (k.t) {
    case 'scalar':
      // A UTF-16 code unit is at most 3 UTF-8 bytes: up to 42 units always fit in 128 bytes.
      return !analyze(k.value).multiline && (k.value.length <= 42 || utf8Length(k.value) <= 128);
    case 'seq':
      return k.items.length === 0;
    case 'map':
      return k.entries.length === 0;
  }
}

/** Emits one implicit document holding `root`, as yaml.Marshal / Encoder.Encode do. */
export function emitDocument(root: YNode, opts: EmitOptions): string {
  const e = new Emitter(opts);
  e.states.push('doc');
  e.node(root, true, false, false);
  e.writeIndent();
  if (e.openEnded) {
    e.writeIndicator('...', true, false, false);
    e.writeIndent();
  }
  return e.out;
}
