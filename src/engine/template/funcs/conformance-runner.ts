/** Runs a conformance case (sprig.json / helm-funcs.json format) against a function map. Test support. */

import type { FuncMap, Injected } from '../funcs-api.js';
import { TemplateSet } from '../template-set.js';
import { mkFloat64 } from '../value.js';

export interface ConformanceCase {
  readonly id: string;
  readonly template: string;
  readonly data: unknown;
  readonly expected?: string;
  readonly expectError?: boolean;
  readonly numbers?: string;
}

/** JSON data as Go decodes it: integral numbers int64 (raw), others float64; float64 mode wraps integers. */
function decode(v: unknown, float: boolean): unknown {
  if (typeof v === 'number') return float && Number.isInteger(v) ? mkFloat64(v) : v;
  if (Array.isArray(v)) return v.map((x) => decode(x, float));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x, float)]));
  }
  return v;
}

/** Returns undefined when the case passes, else a description of the difference. */
export function runCase(c: ConformanceCase, funcs: FuncMap, injected: Injected): string | undefined {
  let out: string;
  try {
    const set = new TemplateSet({ funcs }).parse('test', c.template);
    out = set.execute('test', decode(c.data, c.numbers === 'float64'), { injected });
  } catch (e) {
    if (c.expectError === true) return undefined;
    return `error: ${(e as Error).message}`;
  }
  if (c.expectError === true) return `expected an error, got ${JSON.stringify(out)}`;
  return out === c.expected ? undefined : `got ${JSON.stringify(out)}, want ${JSON.stringify(c.expected)}`;
}
