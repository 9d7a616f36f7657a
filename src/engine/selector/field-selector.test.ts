// Tables ported from k8s.io/apimachinery/pkg/fields/selector_test.go (as data).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SelectorError } from './errors.js';
import {
  escapeFieldValue,
  fieldSelectorFromSet,
  parseFieldSelector,
  splitFieldTerm,
  splitFieldTerms,
  unescapeFieldValue,
} from './field-selector.js';
import { builtinFieldLabels, customFieldLabels, objectFieldGetter } from './object-fields.js';

const getter = (set: Record<string, string>) => (f: string) => set[f];

describe('splitTerms (TestSplitTerms)', () => {
  const cases: [string, string[]][] = [
    ['a', ['a']],
    ['a=avalue', ['a=avalue']],
    ['a=avalue,b=bvalue', ['a=avalue', 'b=bvalue']],
    ['a=avalue,b==bvalue,c!=cvalue', ['a=avalue', 'b==bvalue', 'c!=cvalue']],
    ['', []],
    ['a=a,', ['a=a', '']],
    [',a=a', ['', 'a=a']],
    ['k=\\,,k2=v2', ['k=\\,', 'k2=v2']],
    ['k=\\\\,k2=v2', ['k=\\\\', 'k2=v2']],
    ['k=\\\\\\,,k2=v2', ['k=\\\\\\,', 'k2=v2']],
    ['k=\\a\\b\\', ['k=\\a\\b\\']],
    ['k=\\', ['k=\\']],
    ['함=수,목=록', ['함=수', '목=록']],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => assert.deepEqual(splitFieldTerms(input), want));
  }
});

describe('splitTerm (TestSplitTerm)', () => {
  const cases: [string, [string, string, string] | undefined][] = [
    ['a=value', ['a', '=', 'value']],
    ['b==value', ['b', '==', 'value']],
    ['c!=value', ['c', '!=', 'value']],
    ['', undefined],
    ['a', undefined],
    ['k=\\,', ['k', '=', '\\,']],
    ['k=\\=', ['k', '=', '\\=']],
    ['k=\\\\\\a\\b\\=\\,\\', ['k', '=', '\\\\\\a\\b\\=\\,\\']],
    ['함=수', ['함', '=', '수']],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => {
      const t = splitFieldTerm(input);
      assert.deepEqual(t ? [t.lhs, t.op, t.rhs] : undefined, want);
    });
  }
});

describe('EscapeValue / UnescapeValue (TestEscapeValue)', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ];
  for (const [raw, escaped] of cases) {
    it(`round-trips ${JSON.stringify(raw)}`, () => {
      assert.equal(escapeFieldValue(raw), escaped);
      assert.equal(unescapeFieldValue(escaped), raw);
    });
  }
  for (const bad of ['\\', '\\\\\\', '\\a']) {
    it(`rejects ${JSON.stringify(bad)} as an invalid escape sequence`, () => {
      assert.throws(() => unescapeFieldValue(bad), /invalid field selector: invalid escape sequence/);
    });
  }
  it('words an unescaped = as upstream (the rune printed with %v)', () => {
    assert.throws(() => parseFieldSelector('a=b=c'), {
      message: 'invalid field selector: unescaped character in value: 61',
    });
  });
});

describe('ParseSelector (TestSelectorParse, TestDeterministicParse)', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
    it(`parses and prints back ${JSON.stringify(s)}`, () =>
      assert.equal(parseFieldSelector(s).toString(), s));
  }
  for (const s of ['x=a||y=b', 'x==a==b', 'x=a,b', 'x in (a)', 'x in (a,b,c)', 'x']) {
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseFieldSelector(s), SelectorError));
  }
  it('words a term without operator as upstream', () => {
    assert.throws(() => parseFieldSelector('x=a,b'), {
      message: "invalid selector: 'x=a,b'; can't understand 'b'",
    });
  });
  it('is deterministic', () => {
    assert.equal(parseFieldSelector('x=a,a=x').toString(), parseFieldSelector('a=x,x=a').toString());
  });
  it('prints == as =', () => assert.equal(parseFieldSelector('a==b').toString(), 'a=b'));
});

describe('Matches (TestSelectorMatches, TestSetMatches)', () => {
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fieldset, true],
    ['baz=blah', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['baz=bar', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    ['missing=', fieldset, true],
    ['missing!=', fieldset, false],
  ];
  for (const [sel, set, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'}`, () => {
      assert.equal(parseFieldSelector(sel).matches(getter(set)), want);
    });
  }
  it('SelectorFromSet', () => {
    const labels = { foo: 'bar', baz: 'blah' };
    assert.equal(fieldSelectorFromSet({}).matches(getter(labels)), true);
    assert.equal(fieldSelectorFromSet({ foo: 'bar', baz: 'blah' }).matches(getter(labels)), true);
    assert.equal(fieldSelectorFromSet({ foo: '=blah' }).matches(getter(labels)), false);
    assert.equal(
      fieldSelectorFromSet({ foo: '=bar', foobar: 'bar', baz: 'blah' }).matches(getter(labels)),
      false,
    );
  });
  it('RequiresExactMatch (TestRequiresExactMatch)', () => {
    assert.equal(parseFieldSelector('test=b').requiresExactMatch('test'), 'b');
    assert.equal(parseFieldSelector('test=').requiresExactMatch('test'), '');
    assert.equal(parseFieldSelector('test!=b').requiresExactMatch('test'), undefined);
    assert.equal(parseFieldSelector('a=b').requiresExactMatch('test'), undefined);
    assert.equal(parseFieldSelector('').requiresExactMatch('test'), undefined);
  });
});

describe('supported field labels', () => {
  it('rejects a label a built-in kind does not register, in kube words', () => {
    assert.throws(() => parseFieldSelector('spec.nodeName=x', builtinFieldLabels('', 'Secret')), {
      message: 'field label not supported: spec.nodeName',
    });
    assert.throws(() => parseFieldSelector('data.x=y', builtinFieldLabels('', 'ConfigMap')), {
      message: '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    });
    parseFieldSelector('spec.nodeName=n1,status.phase!=Running', builtinFieldLabels('', 'Pod'));
  });
  it("accepts a CRD version's selectableFields", () => {
    const opts = customFieldLabels(['.spec.color']);
    assert.equal(parseFieldSelector('spec.color=red', opts).toString(), 'spec.color=red');
    assert.throws(() => parseFieldSelector('spec.size=1', opts), {
      message: 'field label not supported: spec.size',
    });
  });
  it('reads field values from objects as the Go field sets render them', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: { nodeName: 'n1' },
      status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] },
    };
    const get = objectFieldGetter('', 'Pod', pod);
    assert.equal(parseFieldSelector('metadata.name=p,spec.nodeName=n1').matches(get), true);
    assert.equal(parseFieldSelector('spec.hostNetwork=false').matches(get), true);
    assert.equal(parseFieldSelector('status.phase!=Running').matches(get), false);
    const job = objectFieldGetter('batch', 'Job', { status: { succeeded: 1 } });
    assert.equal(parseFieldSelector('status.successful=1').matches(job), true);
    const ev = objectFieldGetter('', 'Event', {
      source: { component: 'kubelet' },
      involvedObject: { kind: 'Pod' },
    });
    assert.equal(parseFieldSelector('source=kubelet,involvedObject.kind=Pod').matches(ev), true);
    const node = objectFieldGetter('', 'Node', { metadata: { name: 'n' } });
    assert.equal(parseFieldSelector('spec.unschedulable=false').matches(node), true);
    const cm = objectFieldGetter('', 'ConfigMap', { metadata: { name: 'c' } });
    assert.equal(parseFieldSelector('metadata.namespace=').matches(cm), true);
  });
});
