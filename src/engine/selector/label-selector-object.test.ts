// metav1.LabelSelector conversion (LabelSelectorAsSelector) and validation (ValidateLabelSelector).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SelectorError } from './errors.js';
import {
  cachedLabelSelector,
  type LabelSelectorObject,
  labelSelectorFromObject,
  parseLabelSelector,
  validateLabelSelector,
} from './label-selector.js';

const K8S = { emptyMatches: 'everything' } as const;
const SVELTOS = { emptyMatches: 'nothing' } as const;

describe('LabelSelectorAsSelector (upstream TestLabelSelectorAsSelector)', () => {
  const matchLabels = { foo: 'bar' };
  const matchExpressions = [{ key: 'baz', operator: 'In', values: ['qux', 'norf'] }];
  const cases: [LabelSelectorObject | undefined, string | 'nothing' | 'error'][] = [
    [undefined, 'nothing'],
    [{}, ''],
    [{ matchLabels }, 'foo=bar'],
    [{ matchExpressions }, 'baz in (norf,qux)'],
    [{ matchLabels, matchExpressions }, 'baz in (norf,qux),foo=bar'],
    [{ matchExpressions: [{ key: 'baz', operator: 'Exists', values: ['qux', 'norf'] }] }, 'error'],
  ];
  cases.forEach(([input, want], i) => {
    it(`case ${i}: ${want}`, () => {
      const copy = structuredClone(input);
      if (want === 'error') {
        assert.throws(() => labelSelectorFromObject(input, K8S), SelectorError);
      } else {
        const sel = labelSelectorFromObject(input, K8S);
        if (want === 'nothing') assert.equal(sel.isNothing(), true);
        else assert.equal(sel.toString(), want);
        assert.deepEqual(parseLabelSelector(sel.toString()).toString(), sel.toString());
      }
      assert.deepEqual(input, copy, 'the input is not modified');
    });
  });
});

describe('labelSelectorFromObject', () => {
  it('an empty selector matches everything for Kubernetes objects and nothing for Sveltos', () => {
    assert.equal(labelSelectorFromObject({}, K8S).matches({ a: 'b' }), true);
    assert.equal(
      labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }, K8S).isEverything(),
      true,
    );
    assert.equal(labelSelectorFromObject({}, SVELTOS).matches({ a: 'b' }), false);
    assert.equal(labelSelectorFromObject({}, SVELTOS).isNothing(), true);
  });
  it('a missing selector matches nothing unless told otherwise', () => {
    assert.equal(labelSelectorFromObject(undefined, K8S).matches({}), false);
    assert.equal(labelSelectorFromObject(null, { ...K8S, nullMatches: 'everything' }).matches({}), true);
  });
  it("combines matchLabels and matchExpressions and prints kube's canonical string", () => {
    const sel = labelSelectorFromObject(
      {
        matchLabels: { env: 'prod', tier: 'web' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['b', 'a'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'region', operator: 'NotIn', values: ['eu'] },
          { key: 'team', operator: 'Exists' },
        ],
      },
      SVELTOS,
    );
    assert.equal(sel.toString(), '!canary,env=prod,region notin (eu),team,tier=web,zone in (a,b)');
    assert.equal(sel.matches({ env: 'prod', tier: 'web', zone: 'a', team: 'x' }), true);
    assert.equal(sel.matches({ env: 'prod', tier: 'web', zone: 'a', team: 'x', region: 'eu' }), false);
    assert.equal(sel.matches({ env: 'prod', tier: 'web', zone: 'a', team: 'x', canary: '' }), false);
    assert.equal(sel.matches({ env: 'prod', tier: 'web', zone: 'c', team: 'x' }), false);
  });
  it('words errors as LabelSelectorAsSelector', () => {
    assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, K8S), {
      message: '"Foo" is not a valid label selector operator',
    });
    assert.throws(
      () => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, K8S),
      {
        message:
          "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
      },
    );
    assert.throws(
      () =>
        labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, K8S),
      {
        message:
          'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
      },
    );
    assert.throws(
      () => labelSelectorFromObject({ matchLabels: { 'a b': 'c' } }, K8S),
      (err: unknown) => {
        assert.ok(err instanceof SelectorError);
        assert.match(err.message, /^key: Invalid value: "a b": name part must consist of/);
        assert.equal(err.causes[0].field, 'key');
        return true;
      },
    );
  });
});

describe('cachedLabelSelector', () => {
  it('compiles a selector object once per empty-selector policy', () => {
    const sel = { matchLabels: { env: 'prod' } };
    const a = cachedLabelSelector(sel, SVELTOS);
    assert.equal(cachedLabelSelector(sel, SVELTOS), a);
    assert.equal(a.matches({ env: 'prod' }), true);
    const empty = {};
    assert.equal(cachedLabelSelector(empty, SVELTOS).isNothing(), true);
    assert.equal(cachedLabelSelector(empty, K8S).isEverything(), true);
    assert.throws(
      () => cachedLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Nope' }] }, K8S),
      SelectorError,
    );
  });
});

describe('validateLabelSelector', () => {
  it('returns no errors for a valid selector', () => {
    assert.deepEqual(
      validateLabelSelector(
        { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] },
        'spec.s',
      ),
      [],
    );
  });
  it('reports each problem with its field path, as ValidateLabelSelector', () => {
    const errs = validateLabelSelector(
      {
        matchLabels: { a: '-bad' },
        matchExpressions: [
          { key: 'k', operator: 'In' },
          { key: 'k', operator: 'Exists', values: ['x'] },
          { key: 'k', operator: 'Between' },
          { key: '', operator: 'NotIn', values: ['ok', 'not ok'] },
        ],
      },
      'spec.clusterSelector',
    );
    const want = WANT;
    assert.deepEqual(
      errs.map((e, i) => [e.type, e.field, e.message.slice(0, want[i]?.[2].length)]),
      want,
    );
  });
});

const WANT: [string, string, string][] = [
  [
    'FieldValueInvalid',
    'spec.clusterSelector.matchLabels',
    'Invalid value: "-bad": a valid label must be an empty string o',
  ],
  [
    'FieldValueRequired',
    'spec.clusterSelector.matchExpressions[0].values',
    "Required value: must be specified when `operator` is 'In' or",
  ],
  [
    'FieldValueForbidden',
    'spec.clusterSelector.matchExpressions[1].values',
    "Forbidden: may not be specified when `operator` is 'Exists' o",
  ],
  [
    'FieldValueInvalid',
    'spec.clusterSelector.matchExpressions[2].operator',
    'Invalid value: "Between": not a valid selector operator',
  ],
  [
    'FieldValueInvalid',
    'spec.clusterSelector.matchExpressions[3].key',
    'Invalid value: "": name part must be non-empty',
  ],
  [
    'FieldValueInvalid',
    'spec.clusterSelector.matchExpressions[3].key',
    'Invalid value: "": name part must consist of alphanumeric char',
  ],
  [
    'FieldValueInvalid',
    'spec.clusterSelector.matchExpressions[3].values[1]',
    'Invalid value: "not ok": a valid label must be an empty stri',
  ],
];
