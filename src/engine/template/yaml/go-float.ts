/**
 * Go's float formatting (strconv.FormatFloat with precision -1, and encoding/json's float rule).
 * JS and Go both produce the shortest round-tripping digits, so only the layout differs.
 */

/** Shortest decimal digits and decimal-point position of a finite, non-zero |x|. */
function shortestDigits(x: number): { digits: string; dp: number } {
  const [mant, expPart] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, dp: Number(expPart) + 1 };
}

function expSuffix(exp: number): string {
  const sign = exp < 0 ? '-' : '+';
  const a = Math.abs(exp);
  return `e${sign}${a < 10 ? `0${a}` : String(a)}`;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  return undefined;
}

/** strconv.FormatFloat(x, 'e', -1, 64). */
export function formatFloatE(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const neg = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${neg}0e+00`;
  const { digits, dp } = shortestDigits(x);
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${neg}${mant}${expSuffix(dp - 1)}`;
}

/** strconv.FormatFloat(x, 'f', -1, 64). */
export function formatFloatF(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const neg = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${neg}0`;
  const { digits, dp } = shortestDigits(x);
  if (dp <= 0) return `${neg}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${neg}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${neg}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** strconv.FormatFloat(x, 'g', -1, 64): what Go's `%v` prints for a float64. */
export function formatFloatG(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // With shortest precision Go picks %e when the exponent is < -4 or >= 6 (eprec = 6).
  const exp = shortestDigits(x).dp - 1;
  if (exp < -4 || exp >= 6) return formatFloatE(x);
  return formatFloatF(x);
}

/** encoding/json's float64 encoding; undefined for NaN and ±Inf (json: unsupported value). */
export function formatJsonFloat(x: number): string | undefined {
  if (!Number.isFinite(x)) return undefined;
  if (Object.is(x, -0)) return '-0';
  // JS switches to exponent form at exactly Go's thresholds (< 1e-6, >= 1e21) and writes
  // exponents without padding, as Go's json cleanup does.
  return String(x);
}
