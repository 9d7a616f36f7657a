/** Execution state of a template invocation: output, variables, error formatting, budgets. */

import { TemplateError } from './errors.js';
import type { FuncContext, FuncDef, ParamType } from './funcs-api.js';
import { errorContext, type Node } from './nodes.js';
import type { Tree } from './parse.js';
import type { NumberMode } from './value.js';

export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

/** Configurable bounds of one render. */
export interface Limits {
  /** Maximum nesting of `template`/`include`/`tpl` calls (Go: 100000; Helm caps include at 1000). */
  maxDepth: number;
  /** Maximum output size in UTF-16 code units. */
  maxOutput: number;
  /** Maximum evaluation steps (actions, iterations, calls). */
  maxSteps: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 1000, maxOutput: 64 * 1024 * 1024, maxSteps: 50_000_000 };

/** What the executor needs from the template set. */
export interface ExecEnv {
  lookupTree(name: string): Tree | undefined;
  lookupFunc(name: string): FuncDef | undefined;
  /** The function map (identity used to cache lookups in compiled code). */
  readonly funcs: object;
  readonly missingKey: MissingKey;
  readonly numbers: NumberMode;
  readonly limits: Limits;
  makeContext(state: State): FuncContext;
}

/** Shared by every state of one top-level execution (includes count too). */
export interface Budget {
  steps: number;
  depth: number;
}

export type Exec = (s: State, dot: unknown) => number; // 0 normal, 1 break, 2 continue
export type Eval = (s: State, dot: unknown) => unknown;
export type CmdEval = (s: State, dot: unknown, final: unknown) => unknown;
export type ArgEval = (s: State, dot: unknown, t: ParamType) => unknown;

/** Marks "no final argument" (Go's missingVal). */
export const NO_FINAL: unique symbol = Symbol('noFinal');

export const BREAK = 1;
export const CONTINUE = 2;

/** The execution state of one template invocation. */
export class State {
  out = '';
  node: Node | null = null;
  varNames: string[] = ['$'];
  /** True while dot is an element of a range over []interface{}/map (static type interface {}). */
  dotIface = false;
  varValues: unknown[];
  private ctx: FuncContext | undefined;

  constructor(
    readonly env: ExecEnv,
    readonly tmplName: string,
    readonly budget: Budget,
    dot: unknown,
  ) {
    this.varValues = [dot];
  }

  get mode(): NumberMode {
    return this.env.numbers;
  }

  context(): FuncContext {
    if (this.ctx === undefined) this.ctx = this.env.makeContext(this);
    return this.ctx;
  }

  at(n: Node): void {
    this.node = n;
  }

  write(str: string): void {
    this.out += str;
    if (this.out.length > this.env.limits.maxOutput) {
      this.limitError(
        `output exceeds the limit of ${this.env.limits.maxOutput} characters; raise limits.maxOutput or render less`,
      );
    }
  }

  step(): void {
    if (++this.budget.steps > this.env.limits.maxSteps) {
      this.limitError(
        `evaluation exceeds the step budget of ${this.env.limits.maxSteps}; raise limits.maxSteps or simplify the template`,
      );
    }
  }

  limitError(msg: string): never {
    const e = this.makeError(msg, 'template.limit');
    throw e;
  }

  errorf(msg: string): never {
    throw this.makeError(msg, 'template.exec');
  }

  makeError(msg: string, code: 'template.exec' | 'template.limit'): TemplateError {
    const name = this.tmplName;
    if (this.node === null) return new TemplateError(code, `template: ${name}: ${msg}`, name);
    const { location, context } = errorContext(this.node);
    const [, line, col] = location.split(/:(?=\d+:\d+$)|:(?=\d+$)/);
    return new TemplateError(
      code,
      `template: ${location}: executing ${JSON.stringify(name)} at <${context}>: ${msg}`,
      name,
      Number(line) || 0,
      Number(col) || 0,
    );
  }

  mark(): number {
    return this.varNames.length;
  }
  pop(mark: number): void {
    // Popping is much faster in V8 than truncating through `length =`.
    const names = this.varNames;
    const values = this.varValues;
    while (names.length > mark) {
      names.pop();
      values.pop();
    }
  }
  push(name: string, v: unknown): void {
    this.varNames.push(name);
    this.varValues.push(v);
  }
  setVar(name: string, v: unknown): void {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) {
        this.varValues[i] = v;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, v: unknown): void {
    this.varValues[this.varValues.length - n] = v;
  }
  varValue(name: string): unknown {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) return this.varValues[i];
    }
    return this.errorf(`undefined variable: ${name}`);
  }
}
