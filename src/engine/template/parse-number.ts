/** Go's parse.newNumber: how a number literal is typed (int, uint, float, complex). */

import { goQuote, type Item, T } from './lexer.js';
import type { NumberNode, TreeInfo } from './nodes.js';
import { parseFloat64, parseInt64, parseUint, unquoteRune } from './strconv.js';

export function newNumber(
  token: Item,
  base: { pos: number; tree: TreeInfo },
  errorf: (msg: string) => never,
): NumberNode {
  const text = token.val;
  const n: NumberNode = {
    type: 'number',
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int: 0n,
    float: 0,
    re: 0,
    im: 0,
    ...base,
  };
  if (token.typ === T.CharConstant) {
    let r: number;
    try {
      r = unquoteRune(text);
    } catch (e) {
      return errorf((e as Error).message);
    }
    n.int = BigInt(r);
    n.isInt = n.isUint = n.isFloat = true;
    n.float = r;
    return n;
  }
  if (token.typ === T.Complex) {
    const m = /^([+-]?.*?[^eEpP])([+-].*)i$/.exec(text);
    const re = m === null ? undefined : parseFloat64(m[1] as string);
    const im = m === null ? undefined : parseFloat64(m[2] as string);
    if (re === undefined || im === undefined)
      return errorf(`expected complex number; found ${goQuote(text)}`);
    return simplifyComplex(n, re, im);
  }
  if (text.endsWith('i')) {
    const f = parseFloat64(text.slice(0, -1));
    if (f !== undefined) return simplifyComplex(n, 0, f);
  }
  const u = parseUint(text);
  if (u !== undefined) {
    n.isUint = true;
    n.int = u;
  }
  const i = parseInt64(text);
  if (i !== undefined) {
    n.isInt = true;
    n.int = i;
    if (i === 0n) n.isUint = true;
  }
  if (n.isInt || n.isUint) {
    n.isFloat = true;
    n.float = Number(n.int);
  } else {
    const f = parseFloat64(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) errorf(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f)) {
        const b = BigInt(f);
        if (b >= -(2n ** 63n) && b < 2n ** 63n) {
          n.isInt = true;
          n.int = b;
        }
        if (b >= 0n && b < 2n ** 64n) {
          n.isUint = true;
          n.int = b;
        }
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) errorf(`illegal number syntax: ${goQuote(text)}`);
  return n;
}
/** Go's NumberNode.simplifyComplex: a complex with zero imaginary part is also a float (and int). */
function simplifyComplex(n: NumberNode, re: number, im: number): NumberNode {
  n.isComplex = true;
  n.re = re;
  n.im = im;
  if (im === 0) {
    n.isFloat = true;
    n.float = re;
    if (Number.isInteger(re)) {
      n.int = BigInt(re);
      n.isInt = true;
      n.isUint = re >= 0;
    }
  }
  return n;
}
