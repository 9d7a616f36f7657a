/**
 * FieldError constructors worded exactly as k8s.io/apimachinery/pkg/util/validation/field does
 * (`ErrorBody()`), plus Go's value formatting (`%q`, `%v`, `%#v`) that kube uses in messages.
 */
import type { FieldError } from '../contracts.js';

/** A Go-style quoted string (`strconv.Quote`). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0x80 && cp < 0xa0) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function goNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // Go's %v for float64 is the shortest 'g' form: exponent for exp < -4 || exp >= 21.
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Go's `%#v` of an unstructured value (maps sorted by key). */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goNumber(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    const parts = keys.map((k) => `${goQuote(k)}:${goSyntax((v as Record<string, unknown>)[k])}`);
    return `map[string]interface {}{${parts.join(', ')}}`;
  }
  return String(v);
}

/** How field.Error renders a bad value. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'bigint') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  return goSyntax(v);
}

function withDetail(s: string, detail?: string): string {
  return detail ? `${s}: ${detail}` : s;
}

export function required(field: string, detail?: string): FieldError {
  return { type: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

export function invalid(field: string, value: unknown, detail?: string): FieldError {
  return {
    type: 'FieldValueInvalid',
    field,
    message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
  };
}

export function typeInvalid(field: string, value: unknown, detail?: string): FieldError {
  return {
    type: 'FieldValueTypeInvalid',
    field,
    message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
  };
}

export function notSupported(field: string, value: unknown, supported: readonly unknown[]): FieldError {
  const detail = supported.length
    ? 'supported values: ' + supported.map((s) => goQuote(typeof s === 'string' ? s : String(s))).join(', ')
    : undefined;
  return {
    type: 'FieldValueNotSupported',
    field,
    message: withDetail(`Unsupported value: ${formatValue(value)}`, detail),
  };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatValue(value)}` };
}

export function tooLong(field: string, max: number): FieldError {
  const detail =
    max >= 0 ? `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}` : 'value is too long';
  return { type: 'FieldValueTooLong', field, message: `Too long: ${detail}` };
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items';
  const value = actual >= 0 ? `: ${actual}` : '';
  return { type: 'FieldValueTooMany', field, message: `Too many${value}: ${detail}` };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
