import { SelectorError } from './errors.js';
import {
  aggregateMessage,
  fieldErrorString,
  goQuote,
  goStringSlice,
  invalid,
  isQualifiedName,
  isValidLabelValue,
  type SelectorFieldError,
} from './validation.js';

/** The operators of `k8s.io/apimachinery/pkg/selection`, spelled as kube spells them. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const ALL_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, 'exists', '!'];

/** One requirement of a label selector: key, operator and values (as given; `toString` sorts them). */
export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

const INT64_RE = /^[+-]?[0-9]+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.ParseInt(s, 10, 64)`; undefined when it would fail. */
export function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/**
 * `labels.NewRequirement`: validates and returns the field errors. `path` is the field path
 * prefix kube uses (`undefined` renders as the bare `key`/`values` children, as upstream does).
 */
export function requirementErrors(
  key: string,
  op: string,
  values: readonly string[] | undefined,
  path = '',
): SelectorFieldError[] {
  const errs: SelectorFieldError[] = [];
  const child = (name: string) => (path ? `${path}.${name}` : name);
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(invalid(child('key'), goQuote(key), keyErrs.join('; ')));
  const vals = values ?? [];
  const valuePath = child('values');
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) {
        errs.push(
          invalid(valuePath, goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"),
        );
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) {
        errs.push(
          invalid(valuePath, goStringSlice(values), 'exact-match compatibility requires one single value'),
        );
      }
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) {
        errs.push(
          invalid(valuePath, goStringSlice(values), 'values set must be empty for exists and does not exist'),
        );
      }
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) {
        errs.push(
          invalid(
            valuePath,
            goStringSlice(values),
            "for 'Gt', 'Lt' operators, exactly one value is required",
          ),
        );
      }
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(
            invalid(
              `${valuePath}[${i}]`,
              goQuote(v),
              "for 'Gt', 'Lt' operators, the value must be an integer",
            ),
          );
        }
      });
      break;
    default:
      errs.push({
        type: 'FieldValueNotSupported',
        field: child('operator'),
        message: `Unsupported value: ${goQuote(op)}: supported values: ${ALL_OPERATORS.map(goQuote).join(', ')}`,
      });
  }
  vals.forEach((v, i) => {
    const valErrs = isValidLabelValue(v);
    if (valErrs.length > 0) errs.push(invalid(`${valuePath}[${i}][${key}]`, goQuote(v), valErrs.join('; ')));
  });
  return errs;
}

/** `labels.NewRequirement`, throwing `SelectorError` with kube's aggregated message. */
export function newRequirement(
  key: string,
  op: Operator,
  values: readonly string[] | undefined,
  path = '',
): Requirement {
  const errs = requirementErrors(key, op, values, path);
  if (errs.length > 0) throw new SelectorError(aggregateMessage(errs.map(fieldErrorString)), errs);
  return { key, operator: op, values: [...(values ?? [])] };
}

/** `Requirement.String()`: kube's canonical text (values sorted, `in`/`notin` in parentheses). */
export function requirementString(r: Requirement): string {
  const prefix = r.operator === '!' ? '!' : '';
  let op: string;
  switch (r.operator) {
    case 'exists':
    case '!':
      return prefix + r.key;
    case 'in':
      op = ' in ';
      break;
    case 'notin':
      op = ' notin ';
      break;
    case 'gt':
      op = '>';
      break;
    case 'lt':
      op = '<';
      break;
    default:
      op = r.operator;
  }
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort(compareGo).join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${r.key}${op}(${vals})` : `${r.key}${op}${vals}`;
}

/** Byte-order comparison, as Go's `sort.Strings` (same as UTF-16 order outside astral planes). */
export function compareGo(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Labels = Readonly<Record<string, string>> | undefined | null;
export type RequirementTest = (labels: Labels) => boolean;

/** Compiles one requirement into a closure: match many times without re-inspecting it. */
export function compileRequirement(r: Requirement): RequirementTest {
  const { key } = r;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==': {
      if (r.values.length === 1) {
        const want = r.values[0];
        return (ls) => ls != null && ls[key] === want;
      }
      const set = new Set(r.values);
      return (ls) => {
        const v = ls?.[key];
        return typeof v === 'string' && set.has(v);
      };
    }
    case 'notin':
    case '!=': {
      const set = new Set(r.values);
      return (ls) => {
        const v = ls?.[key];
        return typeof v !== 'string' || !set.has(v);
      };
    }
    case 'exists':
      return (ls) => typeof ls?.[key] === 'string';
    case '!':
      return (ls) => typeof ls?.[key] !== 'string';
    case 'gt':
    case 'lt': {
      const bound = r.values.length === 1 ? parseInt64(r.values[0]) : undefined;
      if (bound === undefined) return () => false;
      const gt = r.operator === 'gt';
      return (ls) => {
        const v = ls?.[key];
        if (typeof v !== 'string') return false;
        const n = parseInt64(v);
        if (n === undefined) return false;
        return gt ? n > bound : n < bound;
      };
    }
  }
}
