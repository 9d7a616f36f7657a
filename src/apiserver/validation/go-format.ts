/**
 * Go `%#v` renderings of the typed values kube puts in a few messages (label selectors, string
 * maps, RBAC role references), so that errors read exactly as kube-apiserver's.
 */
import { goQuote, isObject } from './field-errors.js';

/** `map[string]string{"a":"b"}` (keys sorted), or `map[string]string(nil)`. */
export function goStringMap(v: unknown): string {
  if (!isObject(v)) return 'map[string]string(nil)';
  const parts = Object.keys(v)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(v[k]))}`);
  return `map[string]string{${parts.join(', ')}}`;
}

function goStrings(v: unknown): string {
  if (!Array.isArray(v)) return '[]string(nil)';
  return `[]string{${v.map((s) => goQuote(String(s))).join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:..., MatchExpressions:...}` (or `(*v1.LabelSelector)(nil)`). */
export function goLabelSelector(sel: unknown, pkg = 'v1'): string {
  if (!isObject(sel)) return `(*${pkg}.LabelSelector)(nil)`;
  const exprs = Array.isArray(sel.matchExpressions)
    ? `[]${pkg}.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => {
          const r = isObject(e) ? e : {};
          return `${pkg}.LabelSelectorRequirement{Key:${goQuote(String(r.key ?? ''))}, Operator:${goQuote(String(r.operator ?? ''))}, Values:${goStrings(r.values)}}`;
        })
        .join(', ')}}`
    : `[]${pkg}.LabelSelectorRequirement(nil)`;
  return `${pkg}.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** `rbac.RoleRef{APIGroup:"...", Kind:"...", Name:"..."}`. */
export function goRoleRef(ref: unknown): string {
  const r = isObject(ref) ? ref : {};
  const s = (k: string) => goQuote(typeof r[k] === 'string' ? (r[k] as string) : '');
  return `rbac.RoleRef{APIGroup:${s('apiGroup')}, Kind:${s('kind')}, Name:${s('name')}}`;
}

/** Does a label selector (matchLabels + matchExpressions) select these labels? */
export function selectorMatches(sel: unknown, labels: unknown): boolean {
  if (!isObject(sel)) return false;
  const l = isObject(labels) ? labels : {};
  if (isObject(sel.matchLabels)) {
    for (const [k, v] of Object.entries(sel.matchLabels)) if (l[k] !== v) return false;
  }
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!isObject(e)) return false;
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = key in l;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(String(l[key]))) return false;
        break;
      case 'NotIn':
        if (has && values.includes(String(l[key]))) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True when the selector has neither matchLabels nor matchExpressions. */
export function selectorEmpty(sel: unknown): boolean {
  if (!isObject(sel)) return true;
  const ml = isObject(sel.matchLabels) ? Object.keys(sel.matchLabels).length : 0;
  const me = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.length : 0;
  return ml + me === 0;
}
