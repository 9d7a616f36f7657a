/**
 * Correctly rounded decimal digits of a float64, as Go's strconv produces them: from the exact
 * binary value, rounding half to even. (JS toFixed/toExponential round exact ties up, so
 * `%.1f` of 0.25 would print 0.3 where Go prints 0.2.)
 */

/** Exact decimal expansion of |x|: value = 0.DIGITS × 10^point (digits without leading zeros). */
function exactDecimal(x: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (bexp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = bexp - 1075;
  }
  if (mant === 0n) return { digits: '', point: 0 };
  let digits: string;
  let point: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    point = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    point = digits.length + e2;
  }
  digits = digits.replace(/0+$/, '');
  return { digits, point };
}

/** Rounds the digit string to `keep` digits, half to even. Returns digits and the new point. */
function roundDigits(digits: string, point: number, keep: number): { digits: string; point: number } {
  if (keep < 0) return { digits: '', point };
  if (digits.length <= keep) return { digits: digits.padEnd(keep, '0'), point };
  const next = digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (/[1-9]/.test(digits.slice(keep + 1))) up = true;
  else up = keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1;
  let kept = digits.slice(0, keep);
  if (up) {
    const n = (BigInt(kept === '' ? '0' : kept) + 1n).toString();
    if (n.length > keep) {
      // Carry out of the top digit: 999 -> 1000.
      return { digits: n.slice(0, Math.max(keep, 1)), point: point + 1 };
    }
    kept = n.padStart(keep, '0');
  }
  return { digits: kept, point };
}

/** Digits for %e with `prec` digits after the point: { d, exp } with d of length prec+1. */
export function digitsE(x: number, prec: number): { d: string; exp: number } {
  const { digits, point } = exactDecimal(x);
  if (digits === '') return { d: '0'.repeat(prec + 1), exp: 0 };
  const r = roundDigits(digits, point, prec + 1);
  return { d: r.digits, exp: r.point - 1 };
}

/** |x| formatted as %f with `prec` digits after the point (no sign). */
export function fixedAbs(x: number, prec: number): string {
  const { digits, point } = exactDecimal(x);
  if (digits === '') return prec > 0 ? `0.${'0'.repeat(prec)}` : '0';
  const keep = point + prec;
  let r: { digits: string; point: number };
  if (keep < 0) r = { digits: '', point };
  else if (keep === 0) {
    // Only the rounding of 0.xxx to 0 or 1 remains.
    const first = digits.charCodeAt(0) - 48;
    const up = first > 5 || (first === 5 && /[1-9]/.test(digits.slice(1)));
    r = up ? { digits: '1', point: point + 1 } : { digits: '', point };
  } else r = roundDigits(digits, point, keep);
  let intPart: string;
  let frac: string;
  if (r.point <= 0) {
    intPart = '0';
    frac = ('0'.repeat(-r.point) + r.digits).padEnd(prec, '0').slice(0, prec);
  } else {
    const all = r.digits.padEnd(r.point + prec, '0');
    intPart = all.slice(0, r.point) || '0';
    frac = all.slice(r.point, r.point + prec);
  }
  return prec > 0 ? `${intPart}.${frac}` : intPart;
}

/** strconv.FormatFloat(x, 'x', prec, 64): hexadecimal mantissa and binary exponent (%x on floats). */
export function formatHexFloat(x: number, prec: number, upper: boolean): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  let mant: bigint;
  let exp: number;
  if (x === 0) {
    mant = 0n;
    exp = 0;
  } else {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, Math.abs(x));
    const hi = view.getUint32(0);
    const bexp = (hi >>> 20) & 0x7ff;
    mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    if (bexp === 0) {
      // Subnormal: normalise so that the leading bit is at position 52.
      exp = -1022;
      while ((mant & (1n << 52n)) === 0n) {
        mant <<= 1n;
        exp--;
      }
      mant &= (1n << 52n) - 1n;
    } else exp = bexp - 1023;
  }
  // 52 fraction bits = 13 hex digits.
  let frac = mant.toString(16).padStart(13, '0');
  if (prec < 0) frac = frac.replace(/0+$/, '');
  else if (prec < 13) {
    // Round half to even at `prec` hex digits.
    const all = BigInt(`0x1${frac}`);
    const shift = BigInt((13 - prec) * 4);
    let kept = all >> shift;
    const rest = all & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
    let lead = kept >> BigInt(prec * 4);
    if (lead > 1n) {
      kept >>= 1n;
      exp++;
      lead = 1n;
    }
    frac = prec === 0 ? '' : (kept & ((1n << BigInt(prec * 4)) - 1n)).toString(16).padStart(prec, '0');
  } else frac = frac.padEnd(prec, '0');
  const lead = x === 0 ? '0' : '1';
  const e = Math.abs(exp);
  const s = `${sign}0x${lead}${frac ? `.${frac}` : ''}p${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  return upper ? s.toUpperCase() : s;
}
