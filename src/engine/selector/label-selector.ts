import { SelectorError } from './errors.js';
import { parseRequirements } from './label-parser.js';
import {
  compileRequirement,
  newRequirement,
  type Operator,
  type Requirement,
  type RequirementTest,
  requirementString,
} from './requirement.js';
import { goQuote, isQualifiedName, isValidLabelValue, type SelectorFieldError } from './validation.js';

export type Labels = Readonly<Record<string, string>> | undefined | null;

/**
 * A compiled label selector: build it once, then `matches` many label sets. Immutable.
 * `toString()` gives kube's canonical form (requirements sorted by key, values sorted).
 */
export class LabelSelector {
  /** Matches every label set (`labels.Everything()`). */
  static readonly everything = new LabelSelector([], 'everything');
  /** Matches no label set (`labels.Nothing()`); its string form is empty, as upstream. */
  static readonly nothing = new LabelSelector([], 'nothing');

  private readonly tests: RequirementTest[];

  private constructor(
    readonly requirements: readonly Requirement[],
    private readonly kind: 'everything' | 'nothing' | 'requirements',
  ) {
    this.tests = requirements.map(compileRequirement);
  }

  /** Builds a selector from already validated requirements (sorted by key, stable). */
  static of(requirements: readonly Requirement[]): LabelSelector {
    if (requirements.length === 0) return LabelSelector.everything;
    const sorted = requirements
      .map((r, i) => ({ r, i }))
      .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
      .map((x) => x.r);
    return new LabelSelector(sorted, 'requirements');
  }

  matches(labels: Labels): boolean {
    if (this.kind === 'nothing') return false;
    const tests = this.tests;
    for (let i = 0; i < tests.length; i++) if (!tests[i](labels)) return false;
    return true;
  }

  /** True when the selector does not restrict anything (matches everything). */
  isEverything(): boolean {
    return this.kind === 'everything';
  }

  /** True for `nothing`: the selector matches no object at all. */
  isNothing(): boolean {
    return this.kind === 'nothing';
  }

  /** A new selector with extra requirements (`Selector.Add`). */
  add(...reqs: Requirement[]): LabelSelector {
    if (this.kind === 'nothing') return this;
    return LabelSelector.of([...this.requirements, ...reqs]);
  }

  /** The single value the selector requires for `key` (`=`, `==`, or `in` with one value), if any. */
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r) return undefined;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1)
      return r.values[0];
    return undefined;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** Parses a label selector string as `labels.Parse` does; throws `SelectorError` with kube's message. */
export function parseLabelSelector(selector: string): LabelSelector {
  return LabelSelector.of(parseRequirements(selector));
}

/** `labels.SelectorFromSet` (no validation): every key must equal its value. Empty matches everything. */
export function selectorFromSet(set: Labels): LabelSelector {
  if (!set) return LabelSelector.everything;
  return LabelSelector.of(
    Object.keys(set).map((k) => ({ key: k, operator: '=' as Operator, values: [set[k]] })),
  );
}

/** `labels.ValidatedSelectorFromSet`: as `selectorFromSet`, validating keys and values. */
export function validatedSelectorFromSet(set: Labels): LabelSelector {
  if (!set) return LabelSelector.everything;
  return LabelSelector.of(Object.keys(set).map((k) => newRequirement(k, '=', [set[k]])));
}

/** `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[];
}

/** `metav1.LabelSelector`, as found in specs (`selector`, `clusterSelector`, ...). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementObject[] | null;
}

export interface FromObjectOptions {
  /**
   * What a selector with neither `matchLabels` nor `matchExpressions` selects. Kubernetes objects
   * (`LabelSelectorAsSelector`): `everything`. Sveltos' `clusterSelector`: `nothing` (an empty
   * selector must never deploy to the whole fleet).
   */
  emptyMatches: 'everything' | 'nothing';
  /** What a missing (null/undefined) selector selects; kube: `nothing`. Defaults to `nothing`. */
  nullMatches?: 'everything' | 'nothing';
}

const OBJECT_OPERATORS: Record<string, Operator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * `metav1.LabelSelectorAsSelector`: converts a `metav1.LabelSelector` into a compiled selector.
 * Throws `SelectorError` worded as upstream (e.g. `"Foo" is not a valid label selector operator`).
 */
export function labelSelectorFromObject(
  sel: LabelSelectorObject | null | undefined,
  opts: FromObjectOptions,
): LabelSelector {
  if (sel == null)
    return (opts.nullMatches ?? 'nothing') === 'nothing' ? LabelSelector.nothing : LabelSelector.everything;
  const labels = sel.matchLabels ?? {};
  const exprs = sel.matchExpressions ?? [];
  const keys = Object.keys(labels);
  if (keys.length + exprs.length === 0) {
    return opts.emptyMatches === 'nothing' ? LabelSelector.nothing : LabelSelector.everything;
  }
  const reqs: Requirement[] = keys.map((k) => newRequirement(k, '=', [labels[k]]));
  for (const e of exprs) {
    const op = Object.hasOwn(OBJECT_OPERATORS, e.operator) ? OBJECT_OPERATORS[e.operator] : undefined;
    if (!op) throw new SelectorError(`${goQuote(String(e.operator))} is not a valid label selector operator`);
    // Upstream copies the values with append([]string(nil), ...): an empty list prints as nil.
    reqs.push(newRequirement(e.key, op, e.values && e.values.length > 0 ? e.values : undefined));
  }
  return LabelSelector.of(reqs);
}

/**
 * `metav1validation.ValidateLabelSelector`: the field errors of a `metav1.LabelSelector` found at
 * `path` (e.g. `spec.clusterSelector`), for API validation (422 causes).
 */
export function validateLabelSelector(
  sel: LabelSelectorObject | null | undefined,
  path: string,
  opts: { allowInvalidLabelValueInSelector?: boolean } = {},
): SelectorFieldError[] {
  const errs: SelectorFieldError[] = [];
  if (sel == null) return errs;
  const labelsPath = `${path}.matchLabels`;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalidAt(labelsPath, goQuote(k), m));
    for (const m of isValidLabelValue(String(v))) errs.push(invalidAt(labelsPath, goQuote(String(v)), m));
  }
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errs.push({
            type: 'FieldValueRequired',
            field: `${p}.values`,
            message: "Required value: must be specified when `operator` is 'In' or 'NotIn'",
          });
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push({
            type: 'FieldValueForbidden',
            field: `${p}.values`,
            message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          });
        }
        break;
      default:
        errs.push(invalidAt(`${p}.operator`, goQuote(String(e.operator)), 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(String(e.key ?? '')))
      errs.push(invalidAt(`${p}.key`, goQuote(String(e.key ?? '')), m));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, j) => {
        for (const m of isValidLabelValue(String(v)))
          errs.push(invalidAt(`${p}.values[${j}]`, goQuote(String(v)), m));
      });
    }
  });
  return errs;
}

function invalidAt(field: string, bad: string, detail: string): SelectorFieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${bad}: ${detail}` };
}

const compiled = {
  everything: new WeakMap<object, LabelSelector>(),
  nothing: new WeakMap<object, LabelSelector>(),
};

/**
 * `labelSelectorFromObject`, compiled once per selector object (a WeakMap keyed by identity):
 * controllers match one profile's selector against every cluster on each reconcile. Only for
 * selector objects that are never mutated (informer-cache objects are replaced, not edited).
 */
export function cachedLabelSelector(
  sel: LabelSelectorObject | null | undefined,
  opts: FromObjectOptions,
): LabelSelector {
  if (sel == null || opts.nullMatches !== undefined) return labelSelectorFromObject(sel, opts);
  const cache = compiled[opts.emptyMatches];
  let s = cache.get(sel);
  if (!s) {
    s = labelSelectorFromObject(sel, opts);
    cache.set(sel, s);
  }
  return s;
}
