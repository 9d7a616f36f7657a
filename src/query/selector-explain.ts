import type { LabelSelector } from '../api/index.js';

/** One term of a cluster selector and whether a cluster's labels satisfy it. */
export interface SelectorTerm {
  /** The term as written, e.g. `env=prod` or `zone in (eu, us)`. */
  readonly term: string;
  readonly matched: boolean;
  /** Why it did or did not match, e.g. `label env is "dev"` or `label env is missing`. */
  readonly reason: string;
}

export interface SelectorExplanation {
  /** True when every term matched; an empty selector matches nothing (as Sveltos). */
  readonly matched: boolean;
  readonly empty: boolean;
  readonly terms: readonly SelectorTerm[];
}

function has(labels: Readonly<Record<string, string>>, key: string): boolean {
  return Object.hasOwn(labels, key);
}

function actual(labels: Readonly<Record<string, string>>, key: string): string {
  return has(labels, key) ? `label ${key} is ${JSON.stringify(labels[key])}` : `label ${key} is missing`;
}

/**
 * Evaluates a profile's `clusterSelector` against a cluster's labels term by term, so that a
 * user can see which label matched and which did not (the matchers of the controllers only say
 * yes or no).
 */
export function explainSelector(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, string>>,
): SelectorExplanation {
  const terms: SelectorTerm[] = [];
  for (const [key, want] of Object.entries(selector?.matchLabels ?? {})) {
    const matched = has(labels, key) && labels[key] === want;
    terms.push({ term: `${key}=${want}`, matched, reason: actual(labels, key) });
  }
  for (const e of selector?.matchExpressions ?? []) {
    const values = e.values ?? [];
    const list = `(${values.join(', ')})`;
    const present = has(labels, e.key);
    switch (e.operator) {
      case 'In':
        terms.push({
          term: `${e.key} in ${list}`,
          matched: present && values.includes(labels[e.key]),
          reason: actual(labels, e.key),
        });
        break;
      case 'NotIn':
        terms.push({
          term: `${e.key} notin ${list}`,
          matched: !present || !values.includes(labels[e.key]),
          reason: actual(labels, e.key),
        });
        break;
      case 'Exists':
        terms.push({ term: e.key, matched: present, reason: actual(labels, e.key) });
        break;
      case 'DoesNotExist':
        terms.push({ term: `!${e.key}`, matched: !present, reason: actual(labels, e.key) });
        break;
      default:
        terms.push({
          term: `${e.key} ${e.operator} ${list}`,
          matched: false,
          reason: `operator ${JSON.stringify(e.operator)} is not In, NotIn, Exists or DoesNotExist`,
        });
    }
  }
  const empty = terms.length === 0;
  return { matched: !empty && terms.every((t) => t.matched), empty, terms };
}
