import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOutput, renderData } from './output.js';
import { renderTable } from './table.js';

test('ASCII table: centred header, left-aligned cells, borders', () => {
  const t = renderTable(
    ['CLUSTER', 'NAME'],
    [
      ['ns/c1', 'kyverno-latest'],
      ['ns/c22222', 'x'],
    ],
  );
  assert.equal(
    t,
    [
      '+-----------+----------------+',
      '|  CLUSTER  |      NAME      |',
      '+-----------+----------------+',
      '| ns/c1     | kyverno-latest |',
      '| ns/c22222 | x              |',
      '+-----------+----------------+',
      '',
    ].join('\n'),
  );
});

test('multi-line cells span several lines; no rows prints only the header', () => {
  assert.equal(renderTable(['A'], [['x\nyy']]), '+----+\n| A  |\n+----+\n| x  |\n| yy |\n+----+\n');
  assert.equal(renderTable(['A'], []), '+---+\n| A |\n+---+\n');
});

test('output formats', () => {
  assert.equal(parseOutput(undefined), 'table');
  assert.throws(() => parseOutput('xml'), /use -o json, -o yaml/);
  assert.equal(renderData('json', [{ a: 1 }]), '[\n  {\n    "a": 1\n  }\n]\n');
  assert.equal(renderData('yaml', { a: 1 }), 'a: 1\n');
});
