/** Field access (Go's evalField), constants and value printing for the executor. */

import { TemplateError, type TemplateErrorCode } from './errors.js';
import { type CallArgs, callFunc } from './exec-call.js';
import { NO_FINAL, type State } from './exec-state.js';
import { formatValue } from './fmt.js';
import type { FuncDef } from './funcs-api.js';
import { type Node, type NumberNode, nodeString } from './nodes.js';
import {
  GO_TYPE,
  GoComplex,
  GoNumber,
  HOST,
  isGoFunc,
  isHostObject,
  MISSING,
  mkInt,
  mkNumber,
  NO_FIELD,
  typeName,
} from './value.js';

export function printable(s: State, n: Node, v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === MISSING || v === null || v === undefined) return '<no value>';
  if (isGoFunc(v)) s.errorf(`can't print ${nodeString(n)} of type ${typeName(v, s.mode)}`);
  return formatValue(v, s.mode);
}
export function idealConstant(s: State, n: NumberNode): unknown {
  s.at(n);
  if (n.isComplex) return new GoComplex(n.re, n.im);
  const t = n.text;
  const hexInt = t.length > 2 && t[0] === '0' && (t[1] === 'x' || t[1] === 'X') && !/[pP]/.test(t);
  const runeInt = t[0] === "'";
  if (n.isFloat && !hexInt && !runeInt && /[.eEpP]/.test(t)) return new GoNumber('float64', n.float);
  if (n.isInt) return mkInt(n.int);
  if (n.isUint) return s.errorf(`${t} overflows int`);
  return MISSING;
}
export function evalField(
  s: State,
  dot: unknown,
  fieldName: string,
  node: Node,
  args: CallArgs | null,
  final: unknown,
  receiver: unknown,
): unknown {
  if (receiver === MISSING || receiver === undefined) {
    if (s.env.missingKey === 'error') s.errorf(`nil data; no entry for key ${JSON.stringify(fieldName)}`);
    return MISSING;
  }
  if (receiver === null) s.errorf(`nil pointer evaluating interface {}.${fieldName}`);
  const hasArgs = (args !== null && args.nodes.length > 0) || final !== NO_FINAL;
  if (!hasArgs && typeof receiver === 'object') {
    // Fast path for plain maps: a defined own value that is not inherited from Object.prototype.
    const v = (receiver as Record<string | symbol, unknown>)[fieldName];
    if (v !== undefined && typeof v !== 'function' && v !== Object.prototype && isPlainMap(receiver))
      return v;
  }
  if (isHostObject(receiver)) {
    const method = receiver.method(fieldName);
    if (method !== undefined) {
      const def: FuncDef = {
        name: fieldName,
        params: method.params,
        ...(method.variadic === undefined ? {} : { variadic: method.variadic }),
        fn: (_ctx, ...a) => method.fn(...a),
      };
      return callFunc(s, dot, def, false, node, fieldName, args, final);
    }
    const v = receiver.field(fieldName);
    if (v !== NO_FIELD) {
      if (hasArgs) s.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      return v;
    }
    return s.errorf(`can't evaluate field ${fieldName} in type ${receiver.goTypeName()}`);
  }
  if (
    typeof receiver === 'object' &&
    !Array.isArray(receiver) &&
    !(receiver instanceof GoNumber) &&
    !isGoFunc(receiver)
  ) {
    if (hasArgs) s.errorf(`${fieldName} is not a method but has arguments`);
    const m = receiver as Record<string, unknown>;
    if (Object.hasOwn(m, fieldName)) {
      const v = m[fieldName];
      return v === undefined ? null : v;
    }
    switch (s.env.missingKey) {
      case 'zero':
        return zeroOfElem(receiver);
      case 'error':
        return s.errorf(`map has no entry for key ${JSON.stringify(fieldName)}`);
      default:
        return MISSING;
    }
  }
  return s.errorf(`can't evaluate field ${fieldName} in type ${typeName(receiver, s.mode)}`);
}

export function zeroOfElem(m: object): unknown {
  const t = (m as { [GO_TYPE]?: string })[GO_TYPE];
  if (t === undefined) return null;
  const elem = t.slice(t.indexOf(']') + 1);
  if (elem === 'string') return '';
  if (elem === 'bool') return false;
  if (/^(u?int(8|16|32|64)?|float(32|64))$/.test(elem)) return mkNumber(elem as 'int', 0);
  return null;
}
export function isPlainMap(v: object): boolean {
  return (
    (v as { [HOST]?: unknown })[HOST] === undefined &&
    !Array.isArray(v) &&
    !(v instanceof GoNumber) &&
    !(v instanceof GoComplex)
  );
}

/**
 * Go names the receiver's static type in "can't evaluate field" errors: a value read out of a
 * map[string]interface{} (any link after the first in a chain) has static type interface {}.
 */
export function staticTypeInError(e: unknown, field: string): unknown {
  if (e instanceof TemplateError && e.message.includes(`can't evaluate field ${field} in type `)) {
    const msg = e.message.replace(
      /can't evaluate field (\S+) in type .*$/,
      "can't evaluate field $1 in type interface {}",
    );
    return new TemplateError(e.code as TemplateErrorCode, msg, e.templateName, e.line, e.col, {
      cause: e.cause,
    });
  }
  return e;
}
