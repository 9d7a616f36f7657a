import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LuaEngine } from './engine.js';
import { LuaScriptError } from './errors.js';

const engine = new LuaEngine({
  instructionLimit: 1_000_000,
  maxStringBytes: 1 << 20,
  maxTableEntries: 100_000,
});

function run(body: string, modules = false) {
  return engine
    .compile(`function evaluate()\n${body}\nend`, { name: 'probe', modules })
    .evaluate({ kind: 'object', obj: {} });
}

function fails(body: string, pattern: RegExp, failure?: string): LuaScriptError {
  try {
    run(body);
  } catch (err) {
    assert.ok(err instanceof LuaScriptError, String(err));
    assert.match(err.message, pattern);
    if (failure) assert.equal(err.failure, failure);
    return err;
  }
  assert.fail(`script did not fail: ${body}`);
}

describe('sandbox', () => {
  it('offers no io, process control, files, or debug hooks', () => {
    const r = run(`return {
      io = type(io), execute = type(os.execute), exit = type(os.exit), remove = type(os.remove),
      rename = type(os.rename), getenv = type(os.getenv), tmpname = type(os.tmpname),
      dofile = type(dofile), loadfile = type(loadfile), sethook = type(debug.sethook),
      getregistry = type(debug.getregistry), getupvalue = type(debug.getupvalue), dump = type(string.dump),
      time = type(os.time), clock = type(os.clock), date = type(os.date), difftime = type(os.difftime),
    }`);
    assert.deepEqual(r, {
      io: 'nil',
      execute: 'nil',
      exit: 'nil',
      remove: 'nil',
      rename: 'nil',
      getenv: 'nil',
      tmpname: 'nil',
      dofile: 'nil',
      loadfile: 'nil',
      sethook: 'nil',
      getregistry: 'nil',
      getupvalue: 'nil',
      dump: 'nil',
      time: 'function',
      clock: 'function',
      date: 'function',
      difftime: 'function',
    });
  });

  it('requires only the preloaded modules, never files', () => {
    fails('local m = require("os")', /module 'os' not found/);
    fails('local m = require("./evil")', /not found/);
    fails('local m = require("json")', /module 'json' not found/); // modules are off for this script
    const r = engine
      .compile(
        'function evaluate() local j = require("json") return { same = tostring(j == require("json")) } end',
        {
          name: 'modules',
          modules: true,
        },
      )
      .evaluate({ kind: 'object', obj: {} });
    assert.deepEqual(r, { same: 'true' });
  });

  it('loads text chunks only, in the caller environment', () => {
    const bin = '\\27Lua\\83\\0';
    const r = run(`
      local f, err = load("${bin}")
      local g = loadstring("x_from_chunk = 42; return _G")
      local env = g()
      return { bin = tostring(f), err = tostring(err), same = tostring(env == _G), x = tostring(x_from_chunk) }`);
    assert.equal((r as any).bin, 'nil');
    assert.match((r as any).err, /binary/);
    assert.equal((r as any).same, 'true');
    assert.equal((r as any).x, '42');
  });

  it('hides the shared string metatable and the template environment', () => {
    const r = run(`return {
      mt = tostring(getmetatable("")),
      env = tostring(getfenv(string.gmatch) == _G),
      env0 = tostring(getfenv(0) == _G),
    }`);
    assert.deepEqual(r, { mt: 'false', env: 'true', env0: 'true' });
    fails('setmetatable(getmetatable(""), {})', /table expected/);
  });
});

describe('bounds', () => {
  it('ends an infinite loop with a clear error', () => {
    const err = fails('while true do end', /exceeded 1000000 instructions/, 'limit');
    assert.match(err.message, /lua script probe stopped/);
  });

  it('ends a loop that catches the limit error with pcall', () => {
    fails(
      'while true do pcall(function() while true do end end) end',
      /exceeded 1000000 instructions/,
      'limit',
    );
  });

  it('ends runaway recursion and coroutines', () => {
    fails('local function f() return f() end return f()', /exceeded/);
    fails(
      'local co = coroutine.wrap(function() while true do end end) co()',
      /exceeded 1000000 instructions/,
    );
    fails('local function f() return 1 + f() end return f()', /stack overflow|exceeded/);
  });

  it('guards string.rep, concatenation, table.concat and table growth', () => {
    fails('local s = string.rep("x", 2^28)', /memory limit.*string\.rep/, 'limit');
    fails('local s = "x" for i = 1, 40 do s = s .. s end', /memory limit/, 'limit');
    fails(
      'local t = {} local s = string.rep("x", 2^19) for i = 1, 100 do t[i] = s end return {table.concat(t)}',
      /memory limit/,
    );
    fails(
      'local t = {} for i = 1, 1e7 do t[i] = i end',
      /memory limit: more than 100000 table entries|exceeded/,
      'limit',
    );
    fails('local t = {} for i = 1, 1e7 do t["k" .. i] = true end', /memory limit|exceeded/, 'limit');
  });

  it('leaves the engine usable after a limit was hit', () => {
    fails('while true do end', /exceeded/);
    assert.deepEqual(run('return { ok = true }'), { ok: true });
  });
});

describe('isolation between evaluations (reused state)', () => {
  it('does not leak globals, library changes or metatables to the next evaluation', () => {
    const eng = new LuaEngine({ mode: 'reuse' });
    const polluter = eng.compile(
      `function evaluate()
        leaked = "yes"; string.upper = function() return "hacked" end; table.insert = nil
        math.pi = 3; os.time = function() return 0 end; _G.tostring = nil
        setmetatable(_G, { __index = function() return "ghost" end })
        return {}
      end`,
      { name: 'polluter' },
    );
    const probe = eng.compile(
      `function evaluate()
        return { leaked = type(leaked), upper = string.upper("a"), method = ("a"):upper(),
          insert = type(table.insert), pi = tostring(math.pi > 3.14), time = tostring(os.time() > 0),
          mt = tostring(getmetatable(_G)), missing = type(nothing_here) }
      end`,
      { name: 'probe' },
    );
    for (let i = 0; i < 2; i++) {
      polluter.evaluate({ kind: 'object', obj: {} });
      assert.deepEqual(probe.evaluate({ kind: 'object', obj: {} }), {
        leaked: 'nil',
        upper: 'A',
        method: 'A',
        insert: 'function',
        pi: 'true',
        time: 'true',
        mt: 'nil',
        missing: 'nil',
      });
    }
  });

  it('gives every evaluation its own copy of the input', () => {
    const eng = new LuaEngine();
    const s = eng.compile(
      'function evaluate() local before = obj.n; obj.n = 99; return { before = before } end',
    );
    const input = { kind: 'object' as const, obj: { n: 1 } };
    assert.deepEqual(s.evaluate(input), { before: 1 });
    assert.deepEqual(s.evaluate(input), { before: 1 });
    assert.deepEqual(input.obj, { n: 1 });
  });
});
