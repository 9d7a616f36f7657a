import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, JsonValue } from './convert.js';
import { LuaEngine, type LuaInput } from './engine.js';
import gaps from './testdata/known-gaps.json' with { type: 'json' };
import suite from './testdata/sveltos-lua.json' with { type: 'json' };

interface Case {
  id: string;
  modules: boolean;
  script: string;
  obj?: JsonObject;
  resources?: JsonObject[];
  expected?: JsonValue;
  expectError?: boolean;
}

/** JSON with sorted keys, as the recorder compared results. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return (
      '{' +
      Object.keys(o)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canonical(o[k]))
        .join(',') +
      '}'
    );
  }
  return JSON.stringify(v);
}

/** Runs one case; returns null when it passes, else what differed. */
function runCase(engine: LuaEngine, c: Case): string | null {
  const input: LuaInput = c.resources
    ? { kind: 'resources', resources: c.resources }
    : { kind: 'object', obj: c.obj ?? {} };
  try {
    const got = engine.compile(c.script, { name: c.id, modules: c.modules }).evaluate(input);
    if (c.expectError) return `expected an error, got ${canonical(got)}`;
    const want = canonical(c.expected);
    const have = canonical(got);
    return want === have ? null : `want ${want}\n have ${have}`;
  } catch (err) {
    if (c.expectError) return null;
    return `unexpected error: ${(err as Error).message}`;
  }
}

const knownGaps = gaps as Record<string, string>;
const cases = (suite as unknown as { cases: Case[] }).cases;
// os.time with a date table is UTC here; the recording ran with TZ=UTC.
const engines = {
  reuse: new LuaEngine({ mode: 'reuse', now: () => 1_700_000_000_000 }),
  fresh: new LuaEngine({ mode: 'fresh', now: () => 1_700_000_000_000 }),
};

describe('sveltos-lua conformance', () => {
  it('has all 31 recorded cases', () => {
    assert.equal(cases.length, 31);
  });
  for (const [mode, engine] of Object.entries(engines)) {
    for (const c of cases) {
      it(`${mode}: ${c.id}`, () => {
        const diff = runCase(engine, c);
        if (c.id in knownGaps) {
          assert.notEqual(diff, null, `${c.id} is listed in known-gaps.json but passes now: remove it`);
        } else {
          assert.equal(diff, null, diff ?? '');
        }
      });
    }
  }
  it('lists only existing cases as gaps', () => {
    for (const id of Object.keys(knownGaps))
      assert.ok(
        cases.some((c) => c.id === id),
        id,
      );
  });
});
