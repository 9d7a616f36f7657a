/**
 * Records differential test vectors from real Go: generates random templates and data from a
 * small grammar (seeded, reproducible), renders them with Go 1.23 text/template
 * (bench/go/render), and writes src/engine/template/testdata/differential.json.
 *
 *   npx tsc -p . && node dist/bench/go/record-differential.js [SEED] [COUNT]
 *   node dist/bench/go/record-differential.js --cases bench/go/handwritten-cases.json
 *     (records a fixed list instead, into testdata/differential-handwritten.json)
 *
 * Needs the Debian packages golang-1.23-go and golang-github-masterminds-sprig-dev.
 * Cases where Go 1.23 rejects `range` over an integer are dropped: flotilla supports it
 * (Go 1.24 semantics, which Helm and Sveltos builds use).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let seed = Number(process.argv[2] === '--cases' ? 1 : (process.argv[2] ?? 20261121));
const count = Number(process.argv[3] ?? 600);

function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
const KEYS = ['a', 'b', 'c', 'd'];
const SCALARS = [0, 1, -3, 42, 1000000, 2.5, -0.125, 1e-7, 'x', 'hello world', '', '<&>', true, false, null];

function value(depth: number): unknown {
  const r = rnd();
  if (depth > 2 || r < 0.35) return pick(SCALARS);
  if (r < 0.65) {
    const o: Record<string, unknown> = {};
    for (const k of KEYS) if (rnd() < 0.6) o[k] = value(depth + 1);
    return o;
  }
  return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
}
function field(): string {
  let s = '';
  const n = 1 + Math.floor(rnd() * 2);
  for (let i = 0; i < n; i++) s += `.${pick(KEYS)}`;
  return s;
}
function operand(d: number): string {
  const r = rnd();
  if (r < 0.4) return field();
  if (r < 0.5) return pick(['.', '$', '$x']);
  if (r < 0.65)
    return pick(['1', '0', '-2', '2.5', '1e3', '"s"', '`r`', 'true', 'false', "'a'", 'nil', '0x10']);
  if (d < 2) return `(${command(d + 1)})`;
  return field();
}
const FUNCS = [
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'len',
  'index',
  'print',
  'printf',
  'println',
  'not',
  'and',
  'or',
  'html',
  'js',
  'urlquery',
  'slice',
];
const VERBS = [
  '%v',
  '%d',
  '%s',
  '%q',
  '%x',
  '%5.2f',
  '%T',
  '%v-%v',
  '%+v',
  '%e',
  '%g',
  '%t',
  '%c',
  '%08.3f',
  '%-4d|',
];
function command(d: number): string {
  if (rnd() < 0.3) return operand(d);
  const f = pick(FUNCS);
  const n = f === 'len' || f === 'not' ? 1 : 1 + Math.floor(rnd() * 3);
  const args: string[] = [];
  if (f === 'printf') args.push(JSON.stringify(pick(VERBS)));
  for (let i = 0; i < n; i++) args.push(operand(d));
  return `${f} ${args.join(' ')}`;
}
function pipeline(d: number): string {
  let p = command(d);
  if (rnd() < 0.2) p += ` | ${pick(['print', 'len', 'printf "%v"', 'html', 'not', 'eq 1'])}`;
  return p;
}
function body(d: number): string {
  let s = '';
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.25) s += pick(['x', ' ', '\n', '-']);
    else if (r < 0.6 || d > 1) s += `{{${pipeline(d)}}}`;
    else if (r < 0.7)
      s += `{{if ${pipeline(d)}}}${body(d + 1)}${rnd() < 0.5 ? `{{else}}${body(d + 1)}` : ''}{{end}}`;
    else if (r < 0.8)
      s += `{{range ${rnd() < 0.4 ? '$i, $e := ' : ''}${pipeline(d)}}}${body(d + 1)}{{else}}E{{end}}`;
    else if (r < 0.9) s += `{{with ${pipeline(d)}}}${body(d + 1)}{{end}}`;
    else s += `{{$x = ${pipeline(d)}}}`;
  }
  return s;
}

const fixedList = process.argv[2] === '--cases' ? (process.argv[3] as string) : undefined;
type Case = { template: string; data: unknown; option: string; float: boolean; nosprig: boolean };
const cases: Case[] = fixedList
  ? (JSON.parse(readFileSync(fixedList, 'utf8')) as Partial<Case>[]).map((c) => ({
      template: c.template ?? '',
      data: c.data ?? null,
      option: c.option ?? '',
      float: c.float ?? false,
      nosprig: true,
    }))
  : Array.from({ length: count }, () => ({
      template: `{{$x := 0}}${body(0)}`,
      data: value(0),
      option: rnd() < 0.2 ? 'missingkey=error' : '',
      float: rnd() < 0.2,
      nosprig: true,
    }));
const goBin = process.env.GO_BIN ?? '/usr/lib/go-1.23/bin/go';
const r = spawnSync(goBin, ['run', 'main.go'], {
  cwd: `${root}bench/go/render`,
  input: JSON.stringify(cases),
  encoding: 'utf8',
  maxBuffer: 1 << 28,
  env: { ...process.env, GOPATH: process.env.GOPATH ?? '/usr/share/gocode', GO111MODULE: 'off' },
});
if (r.status !== 0) {
  process.stderr.write(`go render failed: ${r.error?.message ?? r.stderr}\n`);
  process.exit(1);
}
const results = JSON.parse(r.stdout) as { out?: string; err?: string }[];
const out = cases
  .map((c, i) => ({ c, g: results[i] as { out?: string; err?: string } }))
  .filter(({ g }) => !(g.err !== undefined && /range can't iterate over -?\d+$/.test(g.err)))
  .map(({ c, g }, i) => ({
    id: `${fixedList ? 'hand' : 'diff'}/${String(i).padStart(3, '0')}`,
    template: c.template,
    data: c.data,
    ...(c.option ? { option: c.option } : {}),
    numbers: c.float ? 'float64' : 'int64',
    ...(g.err === undefined ? { expected: g.out } : { expectError: true, goError: g.err }),
  }));
const file = `${root}src/engine/template/testdata/${fixedList ? 'differential-handwritten' : 'differential'}.json`;
writeFileSync(
  file,
  `${JSON.stringify({ suite: fixedList ? 'differential-handwritten' : 'differential', oracle: 'go1.23.5 text/template (builtins only)', seed: fixedList ? null : Number(process.argv[2] ?? 20261121), cases: out }, null, 1)}\n`,
);
process.stdout.write(`${out.length} cases written to ${file}\n`);
