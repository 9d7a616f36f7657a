/**
 * Runs the Go text/template conformance vectors (testdata/*.json, recorded from Go 1.23) and
 * reports per-case outcomes. Used by conformance.test.ts; kept separate so that a failing case
 * can be inspected from a script.
 */

import { sprintln } from './fmt.js';
import { def, type FuncMap } from './funcs-api.js';
import { nodeString } from './nodes.js';
import { parseTrees } from './parse.js';
import { TemplateSet } from './template-set.js';
import { mkInt, withGoType } from './value.js';

export interface CaseResult {
  id: string;
  pass: boolean;
  detail: string;
}

interface ExecCase {
  id: string;
  name: string;
  template: string;
  data: unknown;
  expected?: string;
  expectError?: boolean;
  goError?: string;
  funcs?: string[];
  associated?: string[];
}

interface OptionsCase extends ExecCase {
  option?: string;
  numbers: 'int64' | 'float64';
  stripNoValue?: boolean;
}

interface ParseCase {
  id: string;
  name: string;
  template: string;
  ok: boolean;
  tree?: string;
  errorContains?: string;
}

/** The helper functions of exec_test.go, with the semantics in exec.json's `helperFuncs`. */
export function helperFuncs(): FuncMap {
  return {
    zeroArgs: def('zeroArgs', [], () => 'zeroArgs'),
    oneArg: def('oneArg', ['string'], (_c, a: string) => `oneArg=${a}`),
    twoArgs: def('twoArgs', ['string', 'string'], (_c, a: string, b: string) => `twoArgs=${a}${b}`),
    dddArg: def('dddArg', ['int', '...string'], (c, a: number, ...b: string[]) =>
      sprintln([mkInt(a), withGoType(b, '[]string')], c.numbers),
    ),
    add: def('add', ['...int'], (_c, ...xs: number[]) => mkInt(xs.reduce((s, x) => s + x, 0))),
    echo: def('echo', ['any'], (_c, a: unknown) => a),
    makemap: def('makemap', ['...string'], (_c, ...kv: string[]) => {
      if (kv.length % 2 !== 0) throw new Error('bad makemap');
      const m: Record<string, string> = {};
      for (let i = 0; i < kv.length; i += 2) m[kv[i] as string] = kv[i + 1] as string;
      return withGoType(m, 'map[string]string');
    }),
    mapOfThree: def('mapOfThree', [], () => withGoType({ three: mkInt(3) }, 'map[string]int')),
    returnInt: def('returnInt', [], () => mkInt(7)),
    valueString: def('valueString', ['string'], () => 'value is ignored'),
    die: def('die', [], () => {
      throw new Error('die');
    }),
  };
}

function render(
  c: ExecCase,
  funcs: FuncMap,
  option?: string,
  numbers: 'int64' | 'float64' = 'int64',
): { out?: string; err?: string } {
  try {
    const set = new TemplateSet({ funcs, ...(option === undefined ? {} : { option }), numbers });
    (c.associated ?? []).forEach((t, i) => {
      set.parse(`associated${i}`, t);
    });
    set.parse(c.name, c.template);
    return { out: set.execute(c.name, c.data) };
  } catch (e) {
    return { err: (e as Error).message };
  }
}

function judge(
  id: string,
  c: ExecCase,
  r: { out?: string; err?: string },
  transform = (s: string) => s,
): CaseResult {
  if (c.expectError) {
    return r.err !== undefined
      ? { id, pass: true, detail: '' }
      : { id, pass: false, detail: `expected error ${c.goError}; got output ${JSON.stringify(r.out)}` };
  }
  if (r.err !== undefined) return { id, pass: false, detail: `unexpected error: ${r.err}` };
  const out = transform(r.out as string);
  return out === c.expected
    ? { id, pass: true, detail: '' }
    : { id, pass: false, detail: `want ${JSON.stringify(c.expected)} got ${JSON.stringify(out)}` };
}

export function runExecCases(cases: ExecCase[]): CaseResult[] {
  const funcs = helperFuncs();
  return cases.map((c) => judge(c.id, c, render(c, funcs)));
}

export function runOptionsCases(cases: OptionsCase[], funcs: FuncMap): CaseResult[] {
  return cases.map((c) =>
    judge(c.id, c, render(c, funcs, c.option, c.numbers), (s) =>
      c.stripNoValue ? s.replaceAll('<no value>', '') : s,
    ),
  );
}

const BUILTIN_NAMES =
  'and or not len index slice print printf println html js urlquery call eq ne lt le gt ge'.split(' ');

export function runParseCases(cases: ParseCase[]): CaseResult[] {
  return cases.map((c) => {
    // parseTests run with printf and contains defined; errorTests with no extra functions.
    const extra = c.id.startsWith('errors/') ? [] : ['printf', 'contains'];
    const known = new Set([...BUILTIN_NAMES, ...extra]);
    let got: string;
    let ok = true;
    try {
      const trees = parseTrees(c.name, c.template, '{{', '}}', (n) => known.has(n));
      const t = trees.get(c.name);
      got = t === undefined ? '' : nodeString(t.root, true);
    } catch (e) {
      ok = false;
      got = (e as Error).message;
    }
    let pass: boolean;
    if (c.ok) pass = ok && got === c.tree;
    else pass = !ok && (c.errorContains === undefined || got.includes(c.errorContains));
    return { id: c.id, pass, detail: pass ? '' : `want ${c.ok ? c.tree : c.errorContains} got ${got}` };
  });
}

/**
 * Differential vectors recorded from Go (testdata/differential.json): the output must match
 * exactly, and for error cases Go's full error message too.
 */
export function runDifferentialCases(cases: OptionsCase[]): CaseResult[] {
  return cases.map((c) => {
    const r = render({ ...c, name: 't' }, {}, c.option, c.numbers);
    const base = judge(c.id, c, r);
    if (!base.pass || !c.expectError) return base;
    return r.err === c.goError
      ? base
      : { id: c.id, pass: false, detail: `error message differs: want ${c.goError} got ${r.err}` };
  });
}
