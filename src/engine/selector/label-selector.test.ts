// Tables ported from k8s.io/apimachinery/pkg/labels/selector_test.go (as data), plus kube's
// error texts for bad input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SelectorError } from './errors.js';
import { lex, Tok } from './label-parser.js';
import { LabelSelector, parseLabelSelector, selectorFromSet } from './label-selector.js';
import { newRequirement, type Operator, type Requirement } from './requirement.js';

const req = (key: string, operator: Operator, values: string[] = []): Requirement => ({
  key,
  operator,
  values,
});

describe('labels.Parse: good and bad strings (TestSelectorParse)', () => {
  const good = ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'];
  for (const s of good) {
    it(`parses ${JSON.stringify(s)} and prints it back without spaces`, () => {
      assert.equal(parseLabelSelector(s).toString(), s.replaceAll(' ', ''));
    });
  }
  for (const s of ['x=a||y=b', 'x==a==b', '!x=a', 'x<a']) {
    it(`rejects ${JSON.stringify(s)}`, () => assert.throws(() => parseLabelSelector(s), SelectorError));
  }
  it('is deterministic (TestDeterministicParse)', () => {
    assert.equal(parseLabelSelector('x=a,a=x').toString(), parseLabelSelector('a=x,x=a').toString());
  });
});

describe('Selector.Matches (TestSelectorMatches)', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['foo=bar', { foo: 'bar', baz: 'blah' }, true],
    ['baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=blah', { foo: 'bar', baz: 'blah' }, false],
    ['baz=bar', { foo: 'bar', baz: 'blah' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
  ];
  for (const [sel, labels, want] of cases) {
    it(`${JSON.stringify(sel)} ${want ? 'matches' : 'does not match'} ${JSON.stringify(labels)}`, () => {
      assert.equal(parseLabelSelector(sel).matches(labels), want);
    });
  }
  it('matches through SelectorFromSet (TestSetMatches)', () => {
    const labels = { foo: 'bar', baz: 'blah' };
    const sets: Record<string, string>[] = [{}, { foo: 'bar' }, { baz: 'blah' }, { foo: 'bar', baz: 'blah' }];
    for (const set of sets) {
      assert.equal(selectorFromSet(set).matches(labels), true);
    }
    assert.equal(selectorFromSet({ foo: 'x' }).matches(labels), false);
    assert.equal(selectorFromSet(undefined).isEverything(), true);
    assert.equal(selectorFromSet({}).isEverything(), true);
  });
  it('never matches keys inherited from Object.prototype', () => {
    assert.equal(parseLabelSelector('constructor').matches({}), false);
    assert.equal(parseLabelSelector('!toString').matches({}), true);
  });
  it('treats missing labels as no labels', () => {
    assert.equal(parseLabelSelector('x').matches(undefined), false);
    assert.equal(parseLabelSelector('!x').matches(null), true);
    assert.equal(parseLabelSelector('x notin (a)').matches(undefined), true);
  });
});

describe('lexer (TestLexer, TestLexerSequence)', () => {
  const single: [string, Tok][] = [
    ['', Tok.EndOfString],
    [',', Tok.Comma],
    ['notin', Tok.NotIn],
    ['in', Tok.In],
    ['=', Tok.Equals],
    ['==', Tok.DoubleEquals],
    ['>', Tok.GreaterThan],
    ['<', Tok.LessThan],
    ['!', Tok.DoesNotExist],
    ['!=', Tok.NotEquals],
    ['(', Tok.OpenPar],
    [')', Tok.ClosedPar],
    ['~', Tok.Identifier],
    ['||', Tok.Identifier],
  ];
  for (const [s, t] of single) {
    it(`lexes ${JSON.stringify(s)}`, () => {
      const [first] = lex(s);
      assert.equal(first.tok, t);
      assert.equal(first.lit, s);
    });
  }
  const I = Tok.Identifier;
  const seqs: [string, Tok[]][] = [
    ['key in ( value )', [I, Tok.In, Tok.OpenPar, I, Tok.ClosedPar]],
    ['key notin ( value )', [I, Tok.NotIn, Tok.OpenPar, I, Tok.ClosedPar]],
    ['key in ( value1, value2 )', [I, Tok.In, Tok.OpenPar, I, Tok.Comma, I, Tok.ClosedPar]],
    ['key', [I]],
    ['!key', [Tok.DoesNotExist, I]],
    ['()', [Tok.OpenPar, Tok.ClosedPar]],
    ['x in (),y', [I, Tok.In, Tok.OpenPar, Tok.ClosedPar, Tok.Comma, I]],
    [
      '== != (), = notin',
      [Tok.DoubleEquals, Tok.NotEquals, Tok.OpenPar, Tok.ClosedPar, Tok.Comma, Tok.Equals, Tok.NotIn],
    ],
    ['key>2', [I, Tok.GreaterThan, I]],
    ['key<1', [I, Tok.LessThan, I]],
  ];
  for (const [s, toks] of seqs) {
    it(`lexes the sequence ${JSON.stringify(s)}`, () => {
      assert.deepEqual(
        lex(s).map((t) => t.tok),
        [...toks, Tok.EndOfString],
      );
    });
  }
});

describe('NewRequirement (TestRequirementConstructor)', () => {
  const cases: [string, Operator, string[] | undefined, boolean][] = [
    ['x', 'in', undefined, false],
    ['x', 'notin', [], false],
    ['x', 'in', ['foo'], true],
    ['x', 'notin', ['foo'], true],
    ['x', 'exists', undefined, true],
    ['x', '!', undefined, true],
    ['1foo', 'in', ['bar'], true],
    ['1234', 'in', ['bar'], true],
    ['y', 'gt', ['1'], true],
    ['z', 'lt', ['6'], true],
    ['foo', 'gt', ['bar'], false],
    ['barz', 'lt', ['blah'], false],
    ['a'.repeat(254), 'exists', undefined, false],
  ];
  for (const [key, op, vals, ok] of cases) {
    it(`${ok ? 'accepts' : 'rejects'} ${key.slice(0, 10)} ${op} ${JSON.stringify(vals)}`, () => {
      if (ok) newRequirement(key, op, vals);
      else assert.throws(() => newRequirement(key, op, vals), SelectorError);
    });
  }
});

describe('String (TestToString)', () => {
  const cases: [Requirement[], string][] = [
    [
      [req('x', 'in', ['abc', 'def']), req('y', 'notin', ['jkl']), req('z', 'exists')],
      'x in (abc,def),y notin (jkl),z',
    ],
    [
      [req('x', 'notin', ['abc', 'def']), req('y', '!=', ['jkl']), req('z', '!')],
      'x notin (abc,def),y!=jkl,!z',
    ],
    [
      [req('x', 'notin', ['abc']), req('y', 'in', ['jkl', 'mno']), req('z', 'notin', [''])],
      'x notin (abc),y in (jkl,mno),z notin ()',
    ],
    [
      [req('x', '=', ['abc']), req('y', '==', ['jkl']), req('z', '!=', ['a']), req('z', 'exists')],
      'x=abc,y==jkl,z!=a,z',
    ],
    [[req('x', 'gt', ['2']), req('y', 'lt', ['8']), req('z', 'exists')], 'x>2,y<8,z'],
    [[req('x', 'in', ['def', 'abc'])], 'x in (abc,def)'],
  ];
  for (const [reqs, want] of cases) {
    it(`prints ${want}`, () => assert.equal(LabelSelector.of(reqs).toString(), want));
  }
});

describe('requirement matching (TestRequirementSelectorMatching)', () => {
  const cases: [Record<string, string>, Requirement[], boolean][] = [
    [{ x: 'foo', y: 'baz' }, [req('x', 'in', ['foo']), req('y', 'notin', ['alpha'])], true],
    [{ x: 'foo', y: 'baz' }, [req('x', 'in', ['foo']), req('y', 'in', ['alpha'])], false],
    [{ y: '' }, [req('x', 'notin', ['']), req('y', 'exists')], true],
    [{ y: '' }, [req('x', '!'), req('y', 'exists')], true],
    [{ y: '' }, [req('x', 'notin', ['']), req('y', '!')], false],
    [{ y: 'baz' }, [req('x', 'in', [''])], false],
    [{ z: '2' }, [req('z', 'gt', ['1'])], true],
    [{ z: 'v2' }, [req('z', 'gt', ['1'])], false],
    [{ z: '9223372036854775807' }, [req('z', 'gt', ['9223372036854775806'])], true],
    [{ z: '9223372036854775808' }, [req('z', 'gt', ['1'])], false],
  ];
  cases.forEach(([labels, reqs, want], i) => {
    it(`case ${i}`, () => assert.equal(LabelSelector.of(reqs).matches(labels), want));
  });
});

describe('set-based parsing (TestSetSelectorParser)', () => {
  // [input, expected requirements (undefined: do not compare), valid]
  const cases: [string, Requirement[] | undefined, boolean][] = [
    ['', [], true],
    ['\rx', [req('x', 'exists')], true],
    [
      'this-is-a-dns.domain.com/key-with-dash',
      [req('this-is-a-dns.domain.com/key-with-dash', 'exists')],
      true,
    ],
    [
      'this-is-another-dns.domain.com/key-with-dash in (so,what)',
      [req('this-is-another-dns.domain.com/key-with-dash', 'in', ['so', 'what'])],
      true,
    ],
    [
      '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
      [req('0.1.2.domain/99', 'notin', ['10.10.100.1', 'tick.tack.clock'])],
      true,
    ],
    ['foo  in\t (abc)', [req('foo', 'in', ['abc'])], true],
    ['x notin\n (abc)', [req('x', 'notin', ['abc'])], true],
    ['x  notin\t\t\t(abc,def)', [req('x', 'notin', ['abc', 'def'])], true],
    ['x in (abc,def)', [req('x', 'in', ['abc', 'def'])], true],
    ['x in (abc,)', [req('x', 'in', ['', 'abc'])], true],
    ['x in ()', [req('x', 'in', [''])], true],
    [
      'x notin (abc,def),bar,z in (),w',
      [req('bar', 'exists'), req('w', 'exists'), req('x', 'notin', ['abc', 'def']), req('z', 'in', [''])],
      true,
    ],
    ['x,y in (a)', undefined, true],
    ['x=a', [req('x', '=', ['a'])], true],
    ['x>1', [req('x', 'gt', ['1'])], true],
    ['x<7', [req('x', 'lt', ['7'])], true],
    ['x=a,y!=b', [req('x', '=', ['a']), req('y', '!=', ['b'])], true],
    [
      'x=a,y!=b,z in (h,i,j)',
      [req('x', '=', ['a']), req('y', '!=', ['b']), req('z', 'in', ['h', 'i', 'j'])],
      true,
    ],
    ['x=a||y=b', undefined, false],
    ['x,y', [req('x', 'exists'), req('y', 'exists')], true],
    [',x,y', undefined, false],
    ['x nott in (y)', undefined, false],
    ['x notin ( )', [req('x', 'notin', [''])], true],
    ['x notin (, a)', [req('x', 'notin', ['', 'a'])], true],
    ['a in (xyz),', undefined, false],
    ['a in (xyz)b notin ()', undefined, false],
    ['a ', [req('a', 'exists')], true],
    ['a in (x,y,notin, z,in)', [req('a', 'in', ['in', 'notin', 'x', 'y', 'z'])], true],
    ['a in (xyz abc)', undefined, false],
    ['a notin(', undefined, false],
    ['a (', undefined, false],
    ['(', undefined, false],
  ];
  for (const [input, want, valid] of cases) {
    it(`${valid ? 'parses' : 'rejects'} ${JSON.stringify(input)}`, () => {
      if (!valid) {
        assert.throws(() => parseLabelSelector(input), SelectorError);
        return;
      }
      const sel = parseLabelSelector(input);
      if (want) assert.deepEqual(sel.requirements, want);
    });
  }
});

describe('kube error messages', () => {
  const QN =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const LV =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const cases: [string, string][] = [
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LV}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    [
      'x<a',
      `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['-a', `unable to parse requirement: <nil>: Invalid value: "-a": name part ${QN}`],
    [
      'Example.com/a=b',
      "unable to parse requirement: <nil>: Invalid value: \"Example.com/a\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
    [
      `x=${'v'.repeat(64)}`,
      `unable to parse requirement: values[0][x]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`,
    ],
    [
      'a/b/c',
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${QN} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  ];
  for (const [input, message] of cases) {
    it(`for ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseLabelSelector(input),
        (err: unknown) => {
          assert.ok(err instanceof SelectorError);
          assert.equal(err.message, message);
          return true;
        },
      );
    });
  }
});

describe('Add and RequiresExactMatch', () => {
  it('adds requirements keeping key order (TestAdd)', () => {
    const s = LabelSelector.everything.add(req('key', 'in', ['value'])).add(req('key2', '=', ['value2']));
    assert.deepEqual(s.requirements, [req('key', 'in', ['value']), req('key2', '=', ['value2'])]);
  });
  it('reports the exact value a selector requires', () => {
    const s = parseLabelSelector('a=1,b in (2),c in (3,4),d!=5');
    assert.equal(s.requiresExactMatch('a'), '1');
    assert.equal(s.requiresExactMatch('b'), '2');
    assert.equal(s.requiresExactMatch('c'), undefined);
    assert.equal(s.requiresExactMatch('d'), undefined);
    assert.equal(s.requiresExactMatch('z'), undefined);
  });
  it('nothing matches nothing and prints as the empty string', () => {
    assert.equal(LabelSelector.nothing.matches({}), false);
    assert.equal(LabelSelector.nothing.toString(), '');
    assert.equal(LabelSelector.everything.matches({}), true);
  });
});
