/**
 * A set of associated templates (Go's *template.Template with its common set): parse texts
 * into it, then execute any template by name. Parsing compiles once; executing is cheap.
 */

import { BUILTINS } from './builtins.js';
import { TemplateError } from './errors.js';
import {
  type Budget,
  DEFAULT_LIMITS,
  type ExecEnv,
  type Limits,
  type MissingKey,
  State,
} from './exec-state.js';
import { runTree } from './exec.js';
import type { FuncContext, FuncDef, FuncMap, Injected, TemplateRuntime } from './funcs-api.js';
import { TemplateAbort } from './funcs-api.js';
import { isEmptyTree } from './nodes.js';
import { ParseError, parseTrees, type Tree } from './parse.js';
import { MISSING, type NumberMode } from './value.js';

export interface TemplateSetOptions {
  /** Functions beyond Go's builtins (sprig, Helm, Sveltos...). They override builtins of the same name. */
  funcs?: FuncMap;
  /** Go `Option(...)` strings, e.g. `'missingkey=error'`. */
  option?: string | readonly string[];
  /** How raw JS numbers in the data are typed (default `int64`, Kubernetes data; Helm values use `float64`). */
  numbers?: NumberMode;
  /** Bounds on depth, output size and evaluation steps. */
  limits?: Partial<Limits>;
  /** Custom action delimiters (default `{{` and `}}`). */
  delims?: readonly [string, string];
}

export interface ExecuteOptions {
  /** Services for functions (random, time, lookup, getResource...). */
  injected?: Injected;
}

const NO_INJECTED: Injected = Object.freeze({});

export class TemplateSet {
  private readonly trees = new Map<string, Tree>();
  private readonly funcs: FuncMap;
  private readonly missingKey: MissingKey;
  private readonly numbers: NumberMode;
  private readonly limits: Limits;
  private readonly delims: readonly [string, string];

  constructor(opts: TemplateSetOptions = {}) {
    this.funcs = { ...BUILTINS, ...(opts.funcs ?? {}) };
    this.missingKey = 'default';
    const options = typeof opts.option === 'string' ? [opts.option] : (opts.option ?? []);
    for (const o of options) this.missingKey = parseOption(o);
    this.numbers = opts.numbers ?? 'int64';
    this.limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
    this.delims = opts.delims ?? ['{{', '}}'];
  }

  /**
   * Parses `text` as the template `name`, adding every `define`/`block` it holds to the set.
   * Throws a {@link TemplateError} (code `template.parse`) with Go's message.
   */
  parse(name: string, text: string): this {
    let trees: Map<string, Tree>;
    try {
      trees = parseTrees(name, text, this.delims[0], this.delims[1], (f) => Object.hasOwn(this.funcs, f));
    } catch (e) {
      if (e instanceof ParseError)
        throw new TemplateError('template.parse', e.message, e.templateName, e.line, 0, { cause: e });
      throw e;
    }
    for (const [n, tree] of trees) {
      const old = this.trees.get(n);
      // Go's associate: an empty template never replaces an existing one.
      if (old !== undefined && isEmptyTree(tree.root)) continue;
      this.trees.set(n, tree);
    }
    return this;
  }

  /** True when a template of that name exists in the set. */
  has(name: string): boolean {
    return this.trees.has(name);
  }

  /** Names of the templates in the set, sorted. */
  names(): string[] {
    return [...this.trees.keys()].sort();
  }

  /** A copy sharing parsed trees (and their compiled code); later parses do not affect the original. */
  clone(): TemplateSet {
    const c = Object.create(TemplateSet.prototype) as TemplateSet;
    Object.assign(c, this, { trees: new Map(this.trees), envCache: undefined });
    return c;
  }

  /** Executes template `name` with `data` as dot and returns the output. Throws {@link TemplateError}. */
  execute(name: string, data: unknown, opts: ExecuteOptions = {}): string {
    const budget: Budget = { steps: 0, depth: 0 };
    return this.run(name, data, opts.injected ?? NO_INJECTED, budget, true);
  }

  private run(name: string, data: unknown, injected: Injected, budget: Budget, top: boolean): string {
    const tree = this.trees.get(name);
    if (tree === undefined) {
      // Go's ExecuteTemplate message, plus what the set does define.
      const known = this.names();
      const msg = `template: no template ${JSON.stringify(name)} associated with template set${
        top ? ` (defined: ${known.length > 0 ? known.join(', ') : 'none; parse one first'})` : ''
      }`;
      throw new TemplateError('template.undefined', msg, name);
    }
    const dot = data === null || data === undefined ? MISSING : data;
    const env = this.env(injected);
    const s = new State(env, name, budget, dot);
    try {
      runTree(s, tree, dot);
    } catch (e) {
      if (e instanceof RangeError && e.message.includes('call stack')) {
        throw s.makeError(
          `template recursion exhausted the JavaScript stack at depth ${budget.depth} (limits.maxDepth is ${this.limits.maxDepth}); fix the recursion`,
          'template.limit',
        );
      }
      throw e;
    }
    return s.out;
  }

  private envCache: { injected: Injected; env: ExecEnv } | undefined;

  private env(injected: Injected): ExecEnv {
    if (this.envCache?.injected === injected) return this.envCache.env;
    const env: ExecEnv = {
      lookupTree: (n) => this.trees.get(n),
      funcs: this.funcs,
      lookupFunc: (n): FuncDef | undefined => (Object.hasOwn(this.funcs, n) ? this.funcs[n] : undefined),
      missingKey: this.missingKey,
      numbers: this.numbers,
      limits: this.limits,
      makeContext: (state: State): FuncContext => new SetFuncContext(this, state, injected, this.numbers),
    };
    this.envCache = { injected, env };
    return env;
  }

  /** @internal The runtime behind a function context (used by SetFuncContext). */
  runtimeFor(state: State, injected: Injected): TemplateRuntime {
    const enter = (): void => {
      if (state.budget.depth >= this.limits.maxDepth) {
        throw new TemplateAbort(
          'template.limit',
          `exceeded maximum template depth (${this.limits.maxDepth}): a template includes itself too deeply; raise limits.maxDepth or fix the recursion`,
        );
      }
      state.budget.depth++;
    };
    return {
      hasTemplate: (n) => this.trees.has(n),
      executeTemplate: (n, data) => {
        enter();
        try {
          if (!this.trees.has(n)) {
            throw new Error(
              `template: no template ${JSON.stringify(n)} associated with template ${JSON.stringify(state.tmplName)}`,
            );
          }
          return this.run(n, data, injected, state.budget, false);
        } finally {
          state.budget.depth--;
        }
      },
      parseAndExecute: (n, text, data) => {
        enter();
        try {
          const c = this.clone();
          c.parse(n, text);
          return c.run(n, data, injected, state.budget, false);
        } finally {
          state.budget.depth--;
        }
      },
    };
  }
}

/** A function's view of the render (a class: one stable shape, no per-call getter closures). */
class SetFuncContext implements FuncContext {
  readonly templateName: string;
  private rt: TemplateRuntime | undefined;

  constructor(
    private readonly set: TemplateSet,
    private readonly state: State,
    readonly injected: Injected,
    readonly numbers: NumberMode,
  ) {
    this.templateName = state.tmplName;
  }

  /** Built on first use: most function calls never run templates. */
  get runtime(): TemplateRuntime {
    if (this.rt === undefined) this.rt = this.set.runtimeFor(this.state, this.injected);
    return this.rt;
  }
}

function parseOption(o: string): MissingKey {
  const m = /^missingkey=(default|invalid|zero|error)$/.exec(o);
  if (m === null) throw new TemplateError('template.exec', `unrecognized option: ${o}`, '');
  return m[1] as MissingKey;
}
