/**
 * go-yaml's implicit tag resolution of a plain scalar, used by the emitter to decide whether a
 * string must be quoted (a string that would read back as a bool, number, null or timestamp).
 */

const BOOLS_V2 = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
]);
const OTHERS = new Set([
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  '<<',
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** go-yaml's isBase60Float: such strings are quoted on output for YAML 1.1 readers. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0]!;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/** strconv.ParseInt/ParseUint(s, 0, 64) acceptance (Go syntax with base prefix). */
function goParsesAsInt(s: string): boolean {
  let t = s;
  let neg = false;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (t === '') return false;
  let digits: string;
  let base: number;
  if (/^0[xX]/.test(t)) {
    base = 16;
    digits = t.slice(2);
  } else if (/^0[bB]/.test(t)) {
    base = 2;
    digits = t.slice(2);
  } else if (/^0[oO]/.test(t)) {
    base = 8;
    digits = t.slice(2);
  } else if (t.length > 1 && t[0] === '0') {
    base = 8;
    digits = t.slice(1);
  } else {
    base = 10;
    digits = t;
  }
  if (digits === '') return false;
  const re = base === 16 ? /^[0-9a-fA-F]+$/ : base === 2 ? /^[01]+$/ : base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!re.test(digits)) return false;
  const v = BigInt(base === 10 ? digits : `0${base === 16 ? 'x' : base === 2 ? 'b' : 'o'}${digits}`);
  return neg ? v <= 2n ** 63n : v <= 2n ** 64n - 1n;
}

/** Go strconv.ParseFloat acceptance for the strings reaching it here (decimal forms). */
function goParsesAsFloat(s: string): boolean {
  return (
    /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s) || /^[-+]?(inf|infinity|nan)$/i.test(s)
  );
}

const TIMESTAMP_FORMATS: RegExp[] = [
  /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/,
  /^\d{4}-\d{1,2}-\d{1,2}$/,
];

function isTimestamp(s: string): boolean {
  if (!/^\d{4}-/.test(s)) return false;
  if (!TIMESTAMP_FORMATS.some((re) => re.test(s))) return false;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ Tt](\d{1,2}):(\d{1,2}):(\d{1,2}))?/.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59)) return false;
  return true;
}

/**
 * True when go-yaml would read the plain scalar `s` as something other than a string, so the
 * encoder must quote it. `v3` selects yaml.v3 (YAML 1.2 booleans, but the old YAML 1.1
 * booleans are still quoted by its encoder, so the answer is the same for them).
 */
export function resolvesToNonString(s: string): boolean {
  if (BOOLS_V2.has(s) || OTHERS.has(s)) return true;
  const c = s[0]!;
  if (c === '.') return goParsesAsFloat(s);
  const isDigit = c >= '0' && c <= '9';
  if (!(isDigit || c === '+' || c === '-')) return false;
  if (isTimestamp(s)) return true;
  const plain = s.replaceAll('_', '');
  if (goParsesAsInt(plain)) return true;
  if (YAML_STYLE_FLOAT.test(plain) && goParsesAsFloat(plain)) return true;
  if (plain.startsWith('-0b') && /^[01]+$/.test(plain.slice(3))) return true;
  return false;
}

/** Whether the encoder writes string `s` plain (subject to the emitter's own checks). */
export function canUsePlain(s: string): boolean {
  return !resolvesToNonString(s) && !isBase60Float(s);
}
