/**
 * Number to string conversion as gopher-lua (the Lua VM of Sveltos) prints numbers: every Lua
 * number is a float64; integral values that fit an int64 print as integers, every other value
 * as Go's `fmt.Sprint(float64)` (shortest round-trip digits, exponent form when the decimal
 * exponent is below -4 or at least 6), `+Inf`, `-Inf`, `NaN`.
 */

const INT64_LIMIT = 2 ** 63;

/** The decimal digits and exponent of the shortest representation that round-trips. */
export function shortestDigits(n: number): { digits: string; exp: number } {
  const e = Math.abs(n).toExponential();
  const at = e.indexOf('e');
  const digits = e.slice(0, at).replace('.', '');
  return { digits, exp: Number(e.slice(at + 1)) };
}

function expSuffix(exp: number): string {
  const sign = exp < 0 ? '-' : '+';
  const a = Math.abs(exp);
  return 'e' + sign + (a < 10 ? '0' + a : String(a));
}

/** Go strconv.FormatFloat(n, 'g', -1, 64) for a finite non-zero magnitude. */
export function goShortestG(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const neg = n < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(n);
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return neg + mant + expSuffix(exp);
  }
  if (exp < 0) return neg + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return neg + digits + '0'.repeat(exp + 1 - digits.length);
  return neg + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

/** gopher-lua `LNumber.String()`. */
export function luaNumberToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isInteger(n) && n >= -INT64_LIMIT && n < INT64_LIMIT) {
    if (Math.abs(n) <= Number.MAX_SAFE_INTEGER) return String(n === 0 ? 0 : n);
    return BigInt(n).toString();
  }
  return goShortestG(n);
}
