import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FuncMap, Injected } from '../funcs-api.js';
import { TemplateSet } from '../template-set.js';
import { nodeTemplateInjected } from '../../../lib/template-host.js';
import { helmFuncs, sprigFuncs, sveltosFuncs } from './index.js';

const injected: Injected = { now: () => Date.UTC(2024, 0, 1), random: () => 0.5 };

function run(
  text: string,
  data: unknown = {},
  funcs: FuncMap = helmFuncs(),
  numbers: 'int64' | 'float64' = 'int64',
) {
  return new TemplateSet({ funcs, numbers }).parse('t', text).execute('t', data, { injected });
}

test('function maps: Helm drops env/expandenv, Sveltos keeps them and adds resource functions', () => {
  const helm = helmFuncs();
  const sveltos = sveltosFuncs();
  assert.equal(helm.env, undefined);
  assert.ok(sprigFuncs().env !== undefined && sveltos.expandenv !== undefined);
  for (const f of ['include', 'tpl', 'required', 'lookup', 'toYamlPretty']) assert.ok(helm[f], f);
  for (const f of [
    'getResource',
    'copy',
    'getField',
    'setField',
    'removeField',
    'chainSetField',
    'chainRemoveField',
  ]) {
    assert.ok(sveltos[f], f);
    assert.equal(helm[f], undefined, f);
  }
});

test('regex: empty matches next to a match are skipped; named groups expand', () => {
  assert.equal(run('{{ regexFindAll "a*" "baaab" -1 }}'), '[ aaa ]');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go regexp expansion syntax
  assert.equal(run('{{ regexReplaceAll "(?P<x>a)(b)" "cab" "${x}-$2" }}'), 'ca-b');
  assert.equal(run('{{ regexMatch "(?i)^HELLO$" "hello" }}'), 'true');
  assert.equal(run('{{ regexSplit "[[:space:]]+" "a  b\tc" -1 }}'), '[a b c]');
  assert.throws(() => run('{{ mustRegexMatch "(" "x" }}'), /error parsing regexp: missing closing \)/);
});

test('dates: Go layouts, durations and the injected clock', () => {
  assert.equal(run('{{ now | date "2006-01-02T15:04:05Z07:00" }}'), '2024-01-01T00:00:00Z');
  assert.equal(
    run('{{ toDate "2006-01-02 15:04" "2020-05-06 17:08" | date "Mon Jan 2, 2006 at 3:04pm (MST)" }}'),
    'Wed May 6, 2020 at 5:08pm (UTC)',
  );
  assert.equal(
    run('{{ duration 90061 }}|{{ durationRound "90m" }}|{{ durationRound "49h" }}'),
    '25h1m1s|1h|2d',
  );
  assert.equal(run('{{ toDate "2006-01-02" "2023-12-31" | ago }}'), '24h0m0s');
  assert.equal(
    run('{{ dateModify "-1.5h" (toDate "2006-01-02" "2020-01-01") | date "2006-01-02 15:04" }}'),
    '2019-12-31 22:30',
  );
});

test('TOML: BurntSushi layout out, typed numbers in', () => {
  assert.equal(
    run('{{ toToml . }}', { s: 'x', a: 1, t: { u: true }, arr: [1, 2] }),
    'a = 1\narr = [1, 2]\ns = "x"\n\n[t]\n  u = true\n',
  );
  assert.equal(run('{{ toToml . }}', { f: 1 }, helmFuncs(), 'float64'), 'f = 1.0\n');
  assert.equal(
    run('{{ $t := fromToml "a = 1\\nb = 1.5\\n[c]\\nd = \'x\'" }}{{ typeOf $t.a }} {{ $t.b }} {{ $t.c.d }}'),
    'int64 1.5 x',
  );
});

test('YAML in: numbers are float64 and YAML 1.1 booleans are read as go-yaml v2 does', () => {
  assert.equal(
    run('{{ $m := fromYaml "a: 1\\nb: yes\\nc: [x]" }}{{ typeOf $m.a }} {{ $m.b }} {{ $m.c }}'),
    'float64 true [x]',
  );
  assert.match(run('{{ fromYaml "a: [" }}'), /^map\[Error:error converting YAML to JSON: yaml: /);
  assert.equal(run('{{ fromYamlArray "- a\\n- 2" | toJson }}'), '["a",2]');
});

test('toYaml in templates: int64 data, float64 Helm values and nindent pipelines', () => {
  const values = { replicas: 3, resources: { limits: { cpu: '500m', memory: '128Mi' } }, ratio: 0.5 };
  assert.equal(
    run('spec:{{ toYaml . | nindent 2 }}', values, helmFuncs(), 'float64'),
    'spec:\n  ratio: 0.5\n  replicas: 3\n  resources:\n    limits:\n      cpu: 500m\n      memory: 128Mi',
  );
  assert.equal(run('{{ toYaml (list "on" "08" "a: b") }}'), '- "on"\n- "08"\n- \'a: b\'');
});

test('typed parameters: int64 data is rejected where sprig declares int', () => {
  assert.throws(
    () => run('{{ trunc .n "abcdef" }}', { n: 2 }),
    /wrong type for value; expected int; got int64/,
  );
  assert.equal(run('{{ trunc (int .n) "abcdef" }}', { n: 2 }), 'ab');
  assert.equal(
    run('{{ add .a 1 | typeOf }} {{ len "abc" | typeOf }} {{ until 2 | first | typeOf }}', { a: 1 }),
    'int64 int int',
  );
});

test('decimal float arithmetic and random functions through the injected source', () => {
  assert.equal(
    run('{{ mulf 1.2 2.4 10 4 }} {{ addf 0.1 0.2 }} {{ divf 1 3 }}'),
    '115.2 0.3 0.3333333333333333',
  );
  assert.equal(run('{{ randInt 0 10 }} {{ randAlpha 3 }} {{ randNumeric 2 }}'), '5 AAA 55');
  assert.match(run('{{ uuidv4 }}'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.throws(
    () => new TemplateSet({ funcs: sprigFuncs() }).parse('t', '{{ randAlpha 3 }}').execute('t', {}),
    /no random source injected/,
  );
});

test('Helm: include, tpl, required and lookup', () => {
  const set = new TemplateSet({ funcs: helmFuncs() })
    .parse(
      't',
      '{{ define "name" }}app-{{ .n }}{{ end }}{{ include "name" . | upper }}|{{ tpl "{{ .n }}!" . }}',
    )
    .parse('r', '{{ required "n is required" .missing }}');
  assert.equal(set.execute('t', { n: 'x' }, { injected }), 'APP-X|x!');
  assert.throws(() => set.execute('r', {}, { injected }), /n is required/);
  const lookup: Injected['lookup'] = (_a, kind, _ns, name) => ({ kind, metadata: { name } });
  assert.equal(
    new TemplateSet({ funcs: helmFuncs() })
      .parse('l', '{{ (lookup "v1" "Namespace" "" "prod").metadata.name }}')
      .execute('l', {}, { injected: { lookup } }),
    'prod',
  );
});

test('dates in zones: offsets and abbreviations from the tz database, unknown zones fall back to UTC', () => {
  const t = 1560458379; // 2019-06-13 20:39:39 UTC
  assert.equal(
    run(`{{ dateInZone "2006-01-02 15:04 -07:00 MST" ${t} "America/New_York" }}`),
    '2019-06-13 16:39 -04:00 EDT',
  );
  assert.equal(run(`{{ dateInZone "15:04 Z07:00" ${t} "Asia/Kolkata" }}`), '02:09 +05:30');
  assert.equal(run(`{{ htmlDateInZone ${t} "Asia/Tokyo" }}`), '2019-06-14');
  assert.equal(run(`{{ dateInZone "15:04 MST" ${t} "Not/AZone" }}`), '20:39 UTC');
});

test('Helm: tpl strips <no value> and names the failing text; mustToYaml fails where toYaml is empty', () => {
  assert.equal(run('[{{ tpl "{{ .a }}{{ .missing }}" . }}]', { a: 'x' }), '[x]');
  assert.throws(
    () => run('{{ tpl "{{ fail \\"boom\\" }}" . }}'),
    /error during tpl function execution for "\{\{ fail \\"boom\\" \}\}".*boom/,
  );
  assert.equal(run('{{ toYaml .n }}', { n: Number.NaN }, helmFuncs(), 'float64'), '');
  assert.throws(
    () => run('{{ mustToYaml .n }}', { n: Number.NaN }, helmFuncs(), 'float64'),
    /unsupported value/,
  );
  assert.equal(sveltosFuncs().mustToYaml, undefined);
});

test('fromYaml keeps timestamps as their text, as go-yaml v2 does for interface{}', () => {
  assert.equal(
    run('{{ $m := fromYaml "d: 2024-01-02\\nt: 2001-12-14t21:59:43.10-05:00" }}{{ $m.d }} {{ typeOf $m.t }}'),
    '2024-01-02 string',
  );
});

test('TOML: nested tables are indented without blank lines; arrays of tables repeat their header', () => {
  assert.equal(
    run('{{ toToml . }}', { a: { b: { c: 1 }, d: 2 }, list: [{ x: 1 }, { x: 2 }] }),
    '[a]\n  d = 2\n  [a.b]\n    c = 1\n\n[[list]]\n  x = 1\n\n[[list]]\n  x = 2\n',
  );
});

test('with the Node host injected, random and crypto functions work end to end', () => {
  const inj: Injected = nodeTemplateInjected({ now: () => Date.UTC(2024, 0, 1) });
  const render = (t: string) =>
    new TemplateSet({ funcs: helmFuncs() }).parse('t', t).execute('t', {}, { injected: inj });
  assert.equal(render('{{ randAlphaNum 12 | len }} {{ randBytes 9 | len }}'), '12 12');
  assert.equal(
    render(
      '{{ $ca := genCA "ca" 10 }}{{ $c := genSignedCert "svc" (list "10.0.0.1") (list "svc") 5 $ca }}{{ hasPrefix "-----BEGIN CERTIFICATE-----" $c.Cert }}',
    ),
    'true',
  );
  assert.equal(render('{{ "s3cret" | encryptAES "pw" | decryptAES "pw" }}'), 's3cret');
  assert.match(render('{{ htpasswd "admin" "pw" }}'), /^admin:\$2a\$10\$/);
});

test('strings: trunc/substr count UTF-8 bytes as Go does; title uses Go word separators', () => {
  assert.equal(run('{{ trunc 3 "héllo" }}|{{ substr 1 3 "héllo" }}|{{ trunc -3 "héllo" }}'), 'hé|é|llo');
  assert.equal(run('{{ title "hello wOrld-foo_bar émile" }}'), 'Hello WOrld-Foo_bar Émile');
});

test('fromYaml reads the first document only, like go-yaml v2', () => {
  assert.equal(run('{{ fromYaml "a: 1\\n---\\nb: 2" }}'), 'map[a:1]');
  assert.equal(run('{{ fromYaml "" }}|{{ fromYamlArray "" }}'), 'map[]|[]');
});

test('regex translation: RE2 escapes and classes; Perl-only syntax rejected as Go does', () => {
  assert.equal(run('{{ regexReplaceAll "\\\\s+" "a\\u00a0b c" "_" }}'), 'a\u00a0b_c');
  assert.equal(
    run('{{ regexMatch "^\\\\Qa.b*\\\\E$" "a.b*" }}|{{ regexMatch "^\\\\Qa.b\\\\E$" "axb" }}'),
    'true|false',
  );
  assert.equal(run('{{ regexFindAll "[[:alpha:]]+\\\\-\\\\pN" "ab-1 cd-x" -1 }}'), '[ab-1]');
  assert.equal(run('{{ regexReplaceAll "(?m)\\\\Aa|b\\\\z" "a\\nab\\nb" "X" }}'), 'X\nab\nX');
  assert.throws(
    () => run('{{ mustRegexMatch "a(?=b)" "ab" }}'),
    /invalid or unsupported Perl syntax: `\(\?=`/,
  );
  assert.throws(() => run('{{ mustRegexMatch "(a)\\\\1" "aa" }}'), /invalid escape sequence: `\\1`/);
  assert.equal(run('{{ regexMatch "(a)\\\\1" "aa" }}'), 'false');
});

test('sveltosFuncs without resource functions (reference-name templates); getHostByName via the host', () => {
  assert.equal(sveltosFuncs({ resourceFunctions: false }).getResource, undefined);
  assert.ok(sveltosFuncs({ resourceFunctions: false }).toYaml);
  const set = new TemplateSet({ funcs: sprigFuncs() }).parse('t', '{{ getHostByName "db" }}');
  assert.equal(
    set.execute('t', {}, { injected: { resolveHost: () => ['10.1.2.3', '10.1.2.4'] } }),
    '10.1.2.3',
  );
  assert.throws(() => set.execute('t', {}), /no DNS resolver injected/);
});
