import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  type CaseResult,
  runDifferentialCases,
  runExecCases,
  runOptionsCases,
  runParseCases,
} from './conformance-cases.js';
import { sveltosFuncs } from './funcs/index.js';

const dir = new URL('./testdata/', import.meta.url);
const testdataDir = dir.pathname.replace('/dist/src/', '/src/');
const load = (f: string) => JSON.parse(readFileSync(`${testdataDir}${f}.json`, 'utf8')).cases;
const gaps: Record<string, string> = JSON.parse(readFileSync(`${testdataDir}known-gaps.json`, 'utf8'));

function check(suite: string, results: CaseResult[], minRatio: number): void {
  const unexpected = results.filter((r) => !r.pass && gaps[r.id] === undefined);
  assert.deepEqual(
    unexpected.map((r) => `${r.id}: ${r.detail}`),
    [],
    `${suite}: cases failing that are not listed in testdata/known-gaps.json`,
  );
  const stale = results.filter((r) => r.pass && gaps[r.id] !== undefined);
  assert.deepEqual(
    stale.map((r) => r.id),
    [],
    `${suite}: cases listed in known-gaps.json now pass; remove them from the file`,
  );
  const passed = results.filter((r) => r.pass).length;
  assert.ok(
    passed / results.length >= minRatio,
    `${suite}: ${passed}/${results.length} below target ${minRatio}`,
  );
}

describe('Go text/template conformance', () => {
  it('exec.json (execTests, cmpTests, multiExecTests)', () => {
    const cases = load('exec');
    assert.equal(cases.length, 368);
    check('exec', runExecCases(cases), 0.98);
  });

  it('parse.json (parseTests, errorTests)', () => {
    const cases = load('parse');
    assert.equal(cases.length, 133);
    check('parse', runParseCases(cases), 0.98);
  });

  it('options.json (missingkey, number modes, Helm <no value> stripping)', () => {
    const cases = load('options');
    assert.equal(cases.length, 78);
    check('options', runOptionsCases(cases, sveltosFuncs()), 1);
  });

  it('differential.json (random templates recorded from Go; outputs and error messages)', () => {
    const cases = load('differential');
    assert.ok(cases.length >= 500);
    check('differential', runDifferentialCases(cases), 0.98);
  });

  it('differential-handwritten.json (tricky templates recorded from Go; outputs and error messages)', () => {
    const cases = load('differential-handwritten');
    assert.ok(cases.length >= 150);
    check('differential-handwritten', runDifferentialCases(cases), 0.95);
  });

  it('every known gap names an existing case', () => {
    const ids = new Set(
      [
        ...load('exec'),
        ...load('parse'),
        ...load('options'),
        ...load('differential'),
        ...load('differential-handwritten'),
      ].map((c: { id: string }) => c.id),
    );
    for (const id of Object.keys(gaps)) assert.ok(ids.has(id), `known-gaps.json lists unknown case ${id}`);
  });
});
