import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  def,
  type GoFunc,
  goStruct,
  GoNumber,
  HOST,
  type HostMethod,
  type HostObject,
  mkFloat64,
  mkInt,
  NO_FIELD,
  TemplateError,
  TemplateSet,
  type TemplateSetOptions,
} from './index.js';

function render(text: string, data: unknown, opts: TemplateSetOptions = {}): string {
  return new TemplateSet(opts).parse('t', text).execute('t', data);
}

function renderError(text: string, data: unknown, opts: TemplateSetOptions = {}): TemplateError {
  try {
    render(text, data, opts);
  } catch (e) {
    assert.ok(e instanceof TemplateError, `expected TemplateError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

/** A Helm-like `.Capabilities` host object. */
function capabilities(versions: string[]): HostObject {
  const apiVersions: HostObject = {
    [HOST]: true,
    goTypeName: () => 'chartutil.VersionSet',
    field: () => NO_FIELD,
    method: (name): HostMethod | undefined =>
      name === 'Has' ? { params: ['string'], fn: (v) => versions.includes(v as string) } : undefined,
    format: () => `[${versions.join(' ')}]`,
  };
  return {
    [HOST]: true,
    goTypeName: () => '*chartutil.Capabilities',
    field: (name) =>
      name === 'APIVersions' ? apiVersions : name === 'KubeVersion' ? { Version: 'v1.32.0' } : NO_FIELD,
    method: () => undefined,
  };
}

describe('TemplateSet', () => {
  it('parses once and renders many times with different data', () => {
    const set = new TemplateSet().parse('t', 'Hello {{.name}}!');
    assert.equal(set.execute('t', { name: 'a' }), 'Hello a!');
    assert.equal(set.execute('t', { name: 'b' }), 'Hello b!');
  });

  it('calls host-object methods and reads host-object fields by Go name', () => {
    const data = { Capabilities: capabilities(['apps/v1']) };
    assert.equal(render('{{.Capabilities.APIVersions.Has "apps/v1"}}', data), 'true');
    assert.equal(render('{{if .Capabilities.APIVersions.Has "x/v1"}}y{{else}}n{{end}}', data), 'n');
    assert.equal(render('{{.Capabilities.KubeVersion.Version}}', data), 'v1.32.0');
    assert.equal(render('{{.Capabilities.APIVersions}}', data), '[apps/v1]');
    const e = renderError('{{.Capabilities.Nope}}', data);
    assert.match(e.message, /can't evaluate field Nope in type interface \{\}/);
    const e2 = renderError('{{.Capabilities.APIVersions.Has 3}}', data);
    assert.match(e2.message, /expected string; found 3/);
  });

  it('converts arguments to declared parameter types like Go reflection', () => {
    const funcs = {
      rep: def('rep', ['int', 'string'], (_c, n: number, s: string) => s.repeat(n)),
      sum: def('sum', ['...float64'], (_c, ...xs: number[]) => mkFloat64(xs.reduce((a, b) => a + b, 0))),
      boom: def('boom', [], () => {
        throw new Error('kaput');
      }),
    };
    assert.equal(render('{{rep 3 "ab"}}', {}, { funcs }), 'ababab');
    assert.match(
      renderError('{{rep .n "ab"}}', { n: 3 }, { funcs }).message,
      /wrong type for value; expected int; got int64/,
    );
    assert.equal(render('{{sum 1 2.5}}', {}, { funcs }), '3.5');
    assert.equal(render('{{sum 1000000 0}}', {}, { funcs }), '1e+06');
    const e = renderError('x{{boom}}', {}, { funcs });
    assert.equal(e.message, 'template: t:1:3: executing "t" at <boom>: error calling boom: kaput');
    assert.equal(e.line, 1);
    assert.equal(e.col, 3);
    assert.equal(e.code, 'template.exec');
  });

  it('goStruct: Go struct data (Sveltos template data) rejects unknown fields and prints like Go', () => {
    const data = goStruct('*controllers.currentObject', {
      Cluster: { metadata: { name: 'c1' } },
      MgmtResources: {},
      Replicas: 3,
    });
    assert.equal(render('{{.Cluster.metadata.name}}', data, { option: 'missingkey=error' }), 'c1');
    const e = renderError('{{.Clusters}}', data);
    assert.match(e.message, /can't evaluate field Clusters in type \*controllers\.currentObject/);
    assert.equal(render('{{.}}', data), '&{map[metadata:map[name:c1]] map[] 3}');
    assert.equal(
      render('{{printf "%v" .}}', goStruct('chart.Metadata', { Name: 'x', Version: '1.0' })),
      '{x 1.0}',
    );
  });

  it('calls function values with call, converting arguments to the declared types', () => {
    const add: GoFunc = {
      [HOST]: 'func',
      name: 'add',
      params: ['int', 'int'],
      fn: (a, b) => mkInt((a as number) + (b as number)),
    };
    assert.equal(render('{{call .add 2 3}}', { add }), '5');
    assert.match(
      renderError('{{call .add 2}}', { add }).message,
      /error calling call: wrong number of args for \.add: got 1 want 2/,
    );
    assert.match(
      renderError('{{call .x}}', { x: 1 }).message,
      /error calling call: non-function \.x of type int64/,
    );
  });

  it('types raw numbers by the number mode', () => {
    assert.equal(render('{{.n}} {{printf "%T" .n}}', { n: 1000000 }), '1000000 int64');
    assert.equal(
      render('{{.n}} {{printf "%T" .n}}', { n: 1000000 }, { numbers: 'float64' }),
      '1e+06 float64',
    );
    assert.equal(render('{{len .}} {{printf "%T" (len .)}}', [1, 2]), '2 int');
    assert.ok(new GoNumber('uint8', 3) instanceof GoNumber);
    assert.equal(render('{{printf "%d %v" . .}}', mkInt(7)), '7 7');
  });

  it('honours missingkey options', () => {
    assert.equal(render('{{.a}}', {}), '<no value>');
    assert.equal(render('{{.a}}', {}, { option: 'missingkey=zero' }), '<no value>');
    const e = renderError('{{.a}}', {}, { option: 'missingkey=error' });
    assert.equal(e.message, 'template: t:1:2: executing "t" at <.a>: map has no entry for key "a"');
    assert.throws(() => new TemplateSet({ option: 'missingkey=bogus' }), /unrecognized option/);
  });

  it('supports custom delimiters and template sets', () => {
    const set = new TemplateSet({ delims: ['[[', ']]'] });
    set.parse('lib', '[[define "greet"]]hi [[.]][[end]]');
    set.parse('main', '[[template "greet" "bob"]] {{x}}');
    assert.equal(set.execute('main', null), 'hi bob {{x}}');
    assert.deepEqual(set.names(), ['greet', 'lib', 'main']);
  });

  it('reports parse errors with Go messages', () => {
    assert.throws(
      () => new TemplateSet().parse('p', 'a\n{{if}}'),
      (e: unknown) =>
        e instanceof TemplateError &&
        e.code === 'template.parse' &&
        e.message === 'template: p:2: missing value for if',
    );
  });

  it('stops runaway recursion at the depth limit', () => {
    const set = new TemplateSet({ limits: { maxDepth: 50 } });
    set.parse('t', '{{define "r"}}x{{template "r" .}}{{end}}{{template "r" .}}');
    assert.throws(
      () => set.execute('t', {}),
      (e: unknown) =>
        e instanceof TemplateError &&
        e.code === 'template.limit' &&
        /maximum template depth \(50\)/.test(e.message),
    );
  });

  it('stops at the output limit and the step budget', () => {
    const big = new TemplateSet({ limits: { maxOutput: 1000 } }).parse('t', '{{range .}}0123456789{{end}}');
    assert.equal(big.execute('t', Array(100).fill(0)).length, 1000);
    assert.throws(() => big.execute('t', Array(101).fill(0)), /output exceeds the limit of 1000/);
    const slow = new TemplateSet({ limits: { maxSteps: 500 } }).parse(
      't',
      '{{range .}}{{range $}}{{end}}{{end}}',
    );
    assert.throws(
      () => slow.execute('t', Array(100).fill(0)),
      (e: unknown) =>
        e instanceof TemplateError && e.code === 'template.limit' && /step budget of 500/.test(e.message),
    );
  });

  it('lets functions run named templates and parse new ones through the runtime', () => {
    const funcs = {
      include: def('include', ['string', 'any'], (c, name: string, data: unknown) =>
        c.runtime.executeTemplate(name, data),
      ),
      tpl: def('tpl', ['string', 'any'], (c, text: string, data: unknown) =>
        c.runtime.parseAndExecute('tpl', text, data),
      ),
    };
    const set = new TemplateSet({ funcs, limits: { maxDepth: 20 } });
    set.parse('t', '{{define "n"}}[{{.}}]{{end}}{{include "n" 1}}{{tpl "{{.a}}-{{include \\"n\\" 2}}" .}}');
    assert.equal(set.execute('t', { a: 'A' }), '[1]A-[2]');
    assert.equal(set.has('tpl'), false, 'tpl templates do not leak into the set');
    set.parse('t2', '{{tpl "{{define \\"d\\"}}D{{.}}{{end}}{{template \\"d\\" .a}}" .}}');
    assert.equal(set.execute('t2', { a: 1 }), 'D1');
    assert.equal(set.has('d'), false);
    set.parse('loop', '{{define "self"}}{{include "self" .}}{{end}}{{include "self" .}}');
    assert.throws(
      () => set.execute('loop', {}),
      (e: unknown) =>
        e instanceof TemplateError &&
        e.code === 'template.limit' &&
        /exceeded maximum template depth \(20\)/.test(e.message) &&
        e.message.length < 400,
    );
    assert.throws(
      () => set.execute('nope', {}),
      /no template "nope" associated with template set \(defined: loop, n, self, t, t2\)/,
    );
    // With the default limit (1000) the JS stack may run out first: still a clean, short limit error.
    const deep = new TemplateSet({ funcs });
    deep.parse('loop', '{{define "self"}}{{include "self" .}}{{end}}{{include "self" .}}');
    assert.throws(
      () => deep.execute('loop', {}),
      (e: unknown) => e instanceof TemplateError && e.code === 'template.limit' && e.message.length < 400,
    );
  });
});
