import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LuaEngine } from './engine.js';

const engine = new LuaEngine({ now: () => Date.UTC(2024, 0, 15, 10, 20, 30) });
const run = (body: string, obj = {}) =>
  engine
    .compile(`function evaluate()\n${body}\nend`, { name: 'modules', modules: true })
    .evaluate({ kind: 'object', obj });

describe('json module', () => {
  it('encodes as lua-utils does and decodes JSON and YAML', () => {
    assert.deepEqual(
      run(`local json = require("json")
        local bad, err = json.encode({1, 2, x = 3})
        local sparse, err2 = json.encode({[1] = 1, [3] = 3})
        local y = json.fromYAML("a: 1\\nb:\\n  - x\\n  - y\\n")
        return { html = json.encode("<a&b>"), nested = json.encode({a = {b = {}}}), err = err, err2 = err2,
          bad = tostring(bad), ya = y.a, yb = y.b[2], num = json.encode(0.1), big = json.encode(1e21) }`),
      {
        html: '"\\u003ca\\u0026b\\u003e"',
        nested: '{"a":{"b":[]}}',
        err: 'cannot encode mixed or invalid key types',
        err2: 'cannot encode sparse array',
        bad: 'nil',
        ya: 1,
        yb: 'y',
        num: '0.1',
        big: '1e+21',
      },
    );
  });
});

describe('strings module', () => {
  it('follows Go strings semantics (byte indexes, -1 when absent)', () => {
    assert.deepEqual(
      run(`local s = require("strings")
        local before, after, found = s.Cut("key=value", "=")
        return { idx = s.Index("héllo", "l"), none = s.Index("abc", "z"), count = s.Count("cheese", "e"),
          splitn = s.Join(s.SplitN("a,b,c,d", ",", 2), "|"), after = s.Join(s.SplitAfter("a,b", ","), "|"),
          trim = s.Trim("xxhixx", "x"), repl = s.Replace("aaaa", "a", "b", 2), fields = #s.Fields("  a  b "),
          cut = before .. "|" .. after .. "|" .. tostring(found), fold = tostring(s.EqualFold("Go", "GO")),
          map = s.Map(function(r) return r + 1 end, "abc"), idxf = s.IndexFunc("ab1", function(r) return r >= 48 and r <= 57 end) }`),
      {
        idx: 3,
        none: -1,
        count: 3,
        splitn: 'a|b,c,d',
        after: 'a,|b',
        trim: 'hi',
        repl: 'bbaa',
        fields: 2,
        cut: 'key|value|true',
        fold: 'true',
        map: 'bcd',
        idxf: 2,
      },
    );
  });
});

describe('runes module', () => {
  it('classifies and slices runes', () => {
    assert.deepEqual(
      run(`local r = require("runes")
        return { count = r.runecount("héllo"), digit = tostring(r.isdigit(55)), upper = tostring(r.isupper(65)),
          range = r.runerange("héllo", 2, 4), rev = r.reverserunes("abc"), width = r.runewidth(233),
          lower = r.tolower(65), split = #r.runesplit("a,b,c", 44), str = r.runestring(72, 105) }`),
      {
        count: 5,
        digit: 'true',
        upper: 'true',
        range: 'él',
        rev: 'cba',
        width: 2,
        lower: 97,
        split: 3,
        str: 'Hi',
      },
    );
  });
});

describe('sprig module', () => {
  it('wraps sprig functions with their Go return shapes', () => {
    assert.deepEqual(
      run(`local sprig = require("sprig")
        local dec, derr = sprig.b64dec("!!")
        return { kebab = sprig.kebabcase("FirstName"), camel = sprig.camelcase("http_server"),
          snake = sprig.snakecase("HTTPServer"), abbrev = sprig.abbrev(5, "hello world"), trunc = sprig.trunc(-3, "abcdef"),
          semver1 = tostring(sprig.semverCompare("~1.2", "1.2.9")), semver2 = tostring(sprig.semverCompare("^1.2.0", "2.0.0")),
          semver3 = tostring(sprig.semverCompare(">=1.0.0, <2.0.0 || =3.0.0", "3.0.0")), pre = tostring(sprig.semverCompare(">=1.0.0", "1.5.0-rc.1")),
          find = sprig.regexFind("[0-9]+", "abc123def456"), all = table.concat(sprig.regexFindAll("[0-9]", "a1b2c3", -1), ","),
          repl = sprig.regexReplaceAll("(\\\\w+)@(\\\\w+)", "bob@example", "\${2}:\${1}"),
          sha1 = sprig.sha1sum("hello"), sha512 = string.sub(sprig.sha512sum("hello"), 1, 16), adler = sprig.adler32sum("Wikipedia"),
          b32 = sprig.b32enc("hi"), derr = derr, dur = sprig.duration(3725), round = sprig.round(3.14159, 2),
          dec = sprig.toDecimal("777"), quote = sprig.quote({"a", 1}), seq = sprig.seq({1, 5}),
          base = sprig.base("/a/b/c.txt"), dir = sprig.dir("/a/b/c.txt"), ext = sprig.ext("/a/b/c.txt"), clean = sprig.clean("a//b/../c"),
          uniq = #sprig.uniq({"a", "b", "a"}), empty = tostring(sprig.empty({})), coalesce = sprig.coalesce(nil, "", "x"),
          wrap = sprig.wrap(5, "aaa bbb ccc"), initials = sprig.initials("First Last"), ternary = sprig.ternary("y", "n", false) }`),
      {
        kebab: 'first-name',
        camel: 'HttpServer',
        snake: 'http_server',
        abbrev: 'he...',
        trunc: 'def',
        semver1: 'true',
        semver2: 'false',
        semver3: 'true',
        pre: 'false',
        find: '123',
        all: '1,2,3',
        repl: 'example:bob',
        sha1: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d',
        sha512: '9b71d224bd62f378',
        adler: '300286872',
        b32: 'NBUQ====',
        derr: 'b64dec: illegal base64 data',
        dur: '1h2m5s',
        round: 3.14,
        dec: 511,
        quote: '"a" "1"',
        seq: '1 2 3 4 5',
        base: 'c.txt',
        dir: '/a/b',
        ext: '.txt',
        clean: 'a/c',
        uniq: 2,
        empty: 'true',
        coalesce: 'x',
        wrap: 'aaa\nbbb\nccc',
        initials: 'FL',
        ternary: 'n',
      },
    );
  });

  it('rejects the crypto functions it does not support', () => {
    assert.throws(
      () => run('local sprig = require("sprig") return { sprig.bcrypt("x") }'),
      /sprig\.bcrypt is not supported/,
    );
  });
});

describe('iteration order', () => {
  it('pairs and next visit the list part in order first, as gopher-lua does', () => {
    assert.deepEqual(
      run(`local out = {}
        for k, v in pairs({"a", "b", "c", x = 1}) do out[#out + 1] = tostring(k) end
        local k1 = next({"p", "q"})
        return { order = table.concat(out, ","), first = k1 }`),
      { order: '1,2,3,x', first: 1 },
    );
  });
});

describe('os library', () => {
  it('uses the injected clock, UTC', () => {
    assert.deepEqual(
      run('return { now = os.time(), date = os.date("!%Y-%m-%d %H:%M:%S"), t = os.date("*t", 0).year }'),
      {
        now: Date.UTC(2024, 0, 15, 10, 20, 30) / 1000,
        date: '2024-01-15 10:20:30',
        t: 1970,
      },
    );
  });
});
