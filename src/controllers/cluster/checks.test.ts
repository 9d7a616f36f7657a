import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelFilterTerms } from './checks.js';

test('label filters and selector become label-selector terms', () => {
  assert.deepEqual(
    labelFilterTerms({
      group: '',
      version: 'v1',
      kind: 'Pod',
      labelFilters: [
        { key: 'a', operation: 'Equal', value: '1' },
        { key: 'b', operation: 'Different', value: '2' },
        { key: 'c', operation: 'Has' },
        { key: 'd', operation: 'DoesNotHave' },
      ],
      selector: {
        matchLabels: { e: '5' },
        matchExpressions: [{ key: 'f', operator: 'In', values: ['x', 'y'] }],
      },
    }),
    ['a=1', 'b!=2', 'c', '!d', 'e=5,f in (x,y)'],
  );
  assert.deepEqual(labelFilterTerms({ group: '', version: 'v1', kind: 'Pod', selector: {} }), []);
});
