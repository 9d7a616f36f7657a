/**
 * The `strings` module of projectsveltos/lua-utils: Go's strings package. Indexes are UTF-8 byte
 * offsets (0-based, -1 when absent) as in Go.
 */
import { abort, guard, type LuaState, lauxlib, lua, raise } from '../vm.js';
import {
  byteIndex,
  byteLength,
  callWithNumber,
  checkInt,
  checkString,
  type LuaFn,
  pushBool,
  pushNumber,
  pushString,
  pushStringList,
  stringValues,
} from './lua-api.js';

const isSpace = (c: string) => /^\s$/u.test(c);

function splitN(s: string, sep: string, n: number, after: boolean): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const runes = [...s];
    if (n < 0 || n >= runes.length) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (n < 0 || out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, after ? i + sep.length : i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function replace(s: string, old: string, rep: string, n: number): string {
  if (n === 0 || old === rep) return s;
  if (old === '') {
    const runes = [...s];
    let out = '';
    let done = 0;
    for (let i = 0; i <= runes.length; i++) {
      if (n < 0 || done < n) {
        out += rep;
        done++;
      }
      if (i < runes.length) out += runes[i];
    }
    return out;
  }
  let out = '';
  let rest = s;
  let done = 0;
  while (n < 0 || done < n) {
    const i = rest.indexOf(old);
    if (i < 0) break;
    out += rest.slice(0, i) + rep;
    rest = rest.slice(i + old.length);
    done++;
  }
  return out + rest;
}

function trimLeftBy(s: string, drop: (c: string) => boolean): string {
  const runes = [...s];
  let i = 0;
  while (i < runes.length && drop(runes[i])) i++;
  return runes.slice(i).join('');
}

function trimRightBy(s: string, drop: (c: string) => boolean): string {
  const runes = [...s];
  let j = runes.length;
  while (j > 0 && drop(runes[j - 1])) j--;
  return runes.slice(0, j).join('');
}

/** Calls the Lua predicate at stack index `fn` with a rune; its result must be a boolean (gopher CheckBool). */
function predicate(L: LuaState, fn: number): (c: string) => boolean {
  lauxlib.luaL_checktype(L, fn, lua.LUA_TFUNCTION);
  return (c) =>
    callWithNumber(L, fn, c.codePointAt(0)!, (L) => {
      lauxlib.luaL_checktype(L, -1, lua.LUA_TBOOLEAN);
      return lua.lua_toboolean(L, -1);
    });
}

function indexFunc(s: string, p: (c: string) => boolean, last: boolean): number {
  const runes = [...s];
  let best = -1;
  let offset = 0;
  for (const r of runes) {
    if (p(r)) {
      best = offset;
      if (!last) break;
    }
    offset += byteLength(r);
  }
  return best;
}

function title(s: string): string {
  return s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

export const stringsModule: Record<string, LuaFn> = {
  Compare: (L) => {
    const a = checkString(L, 1);
    const b = checkString(L, 2);
    return pushNumber(L, a < b ? -1 : a > b ? 1 : 0);
  },
  Contains: (L) => pushBool(L, checkString(L, 1).includes(checkString(L, 2))),
  ContainsAny: (L) => {
    const chars = [...checkString(L, 2)];
    const s = checkString(L, 1);
    return pushBool(
      L,
      chars.some((c) => s.includes(c)),
    );
  },
  ContainsRune: (L) =>
    pushBool(
      L,
      [...checkString(L, 1)].some((c) => c.codePointAt(0) === checkInt(L, 2)),
    ),
  Count: (L) => {
    const s = checkString(L, 1);
    const sub = checkString(L, 2);
    return pushNumber(L, sub === '' ? [...s].length + 1 : s.split(sub).length - 1);
  },
  Cut: (L) => {
    const s = checkString(L, 1);
    const sep = checkString(L, 2);
    const i = s.indexOf(sep);
    if (i < 0) {
      pushString(L, s);
      pushString(L, '');
      pushBool(L, false);
    } else {
      pushString(L, s.slice(0, i));
      pushString(L, s.slice(i + sep.length));
      pushBool(L, true);
    }
    return 3;
  },
  CutPrefix: (L) => {
    const s = checkString(L, 1);
    const p = checkString(L, 2);
    const ok = s.startsWith(p);
    pushString(L, ok ? s.slice(p.length) : s);
    return 1 + pushBool(L, ok);
  },
  CutSuffix: (L) => {
    const s = checkString(L, 1);
    const p = checkString(L, 2);
    const ok = s.endsWith(p);
    pushString(L, ok ? s.slice(0, s.length - p.length) : s);
    return 1 + pushBool(L, ok);
  },
  EqualFold: (L) => pushBool(L, checkString(L, 1).toLowerCase() === checkString(L, 2).toLowerCase()),
  Fields: (L) =>
    pushStringList(
      L,
      checkString(L, 1)
        .split(/\s+/u)
        .filter((x) => x !== ''),
    ),
  FieldsFunc: (L) => {
    const p = predicate(L, 2);
    const out: string[] = [];
    let cur = '';
    for (const c of checkString(L, 1)) {
      if (p(c)) {
        if (cur !== '') out.push(cur);
        cur = '';
      } else cur += c;
    }
    if (cur !== '') out.push(cur);
    return pushStringList(L, out);
  },
  HasPrefix: (L) => pushBool(L, checkString(L, 1).startsWith(checkString(L, 2))),
  HasSuffix: (L) => pushBool(L, checkString(L, 1).endsWith(checkString(L, 2))),
  Index: (L) => {
    const s = checkString(L, 1);
    return pushNumber(L, byteIndex(s, s.indexOf(checkString(L, 2))));
  },
  IndexAny: (L) => {
    const chars = new Set(checkString(L, 2));
    return pushNumber(
      L,
      indexFunc(checkString(L, 1), (c) => chars.has(c), false),
    );
  },
  IndexByte: (L) => {
    const s = checkString(L, 1);
    return pushNumber(L, byteIndex(s, s.indexOf(String.fromCharCode(checkInt(L, 2) & 0xff))));
  },
  IndexFunc: (L) => pushNumber(L, indexFunc(checkString(L, 1), predicate(L, 2), false)),
  IndexRune: (L) => {
    const r = checkInt(L, 2);
    return pushNumber(
      L,
      indexFunc(checkString(L, 1), (c) => c.codePointAt(0) === r, false),
    );
  },
  Join: (L) => pushString(L, stringValues(L, 1).join(checkString(L, 2))),
  LastIndex: (L) => {
    const s = checkString(L, 1);
    return pushNumber(L, byteIndex(s, s.lastIndexOf(checkString(L, 2))));
  },
  LastIndexAny: (L) => {
    const chars = new Set(checkString(L, 2));
    return pushNumber(
      L,
      indexFunc(checkString(L, 1), (c) => chars.has(c), true),
    );
  },
  LastIndexByte: (L) => {
    const s = checkString(L, 1);
    return pushNumber(L, byteIndex(s, s.lastIndexOf(String.fromCharCode(checkInt(L, 2) & 0xff))));
  },
  LastIndexFunc: (L) => pushNumber(L, indexFunc(checkString(L, 1), predicate(L, 2), true)),
  Map: (L) => {
    lauxlib.luaL_checktype(L, 1, lua.LUA_TFUNCTION);
    let out = '';
    for (const c of checkString(L, 2)) {
      const r = callWithNumber(L, 1, c.codePointAt(0)!, (L) => Math.trunc(lauxlib.luaL_checknumber(L, -1)));
      if (r >= 0) out += String.fromCodePoint(Math.min(r, 0x10ffff));
    }
    return pushString(L, out);
  },
  Repeat: (L) => {
    const s = checkString(L, 1);
    const n = checkInt(L, 2);
    if (n < 0) raise(L, 'strings: negative Repeat count');
    if (guard.L !== null && n * byteLength(s) > guard.maxStringBytes) {
      abort(`lua script exceeded the memory limit: strings.Repeat of ${n * byteLength(s)} bytes`);
    }
    return pushString(L, s.repeat(n));
  },
  Replace: (L) =>
    pushString(L, replace(checkString(L, 1), checkString(L, 2), checkString(L, 3), checkInt(L, 4))),
  ReplaceAll: (L) => pushString(L, replace(checkString(L, 1), checkString(L, 2), checkString(L, 3), -1)),
  Split: (L) => pushStringList(L, splitN(checkString(L, 1), checkString(L, 2), -1, false)),
  SplitAfter: (L) => pushStringList(L, splitN(checkString(L, 1), checkString(L, 2), -1, true)),
  SplitAfterN: (L) => {
    const n = checkInt(L, 3);
    if (n === 0) {
      lua.lua_pushnil(L);
      return 1;
    }
    return pushStringList(L, splitN(checkString(L, 1), checkString(L, 2), n, true));
  },
  SplitN: (L) => {
    const n = checkInt(L, 3);
    if (n === 0) {
      lua.lua_pushnil(L);
      return 1;
    }
    return pushStringList(L, splitN(checkString(L, 1), checkString(L, 2), n, false));
  },
  Title: (L) => pushString(L, title(checkString(L, 1))),
  ToLower: (L) => pushString(L, checkString(L, 1).toLowerCase()),
  ToTitle: (L) => pushString(L, checkString(L, 1).toUpperCase()),
  ToUpper: (L) => pushString(L, checkString(L, 1).toUpperCase()),
  Trim: (L) => {
    const cut = new Set(checkString(L, 2));
    return pushString(
      L,
      trimRightBy(
        trimLeftBy(checkString(L, 1), (c) => cut.has(c)),
        (c) => cut.has(c),
      ),
    );
  },
  TrimFunc: (L) => {
    const p = predicate(L, 2);
    return pushString(L, trimRightBy(trimLeftBy(checkString(L, 1), p), p));
  },
  TrimLeft: (L) => {
    const cut = new Set(checkString(L, 2));
    return pushString(
      L,
      trimLeftBy(checkString(L, 1), (c) => cut.has(c)),
    );
  },
  TrimLeftFunc: (L) => pushString(L, trimLeftBy(checkString(L, 1), predicate(L, 2))),
  TrimPrefix: (L) => {
    const s = checkString(L, 1);
    const p = checkString(L, 2);
    return pushString(L, s.startsWith(p) ? s.slice(p.length) : s);
  },
  TrimRight: (L) => {
    const cut = new Set(checkString(L, 2));
    return pushString(
      L,
      trimRightBy(checkString(L, 1), (c) => cut.has(c)),
    );
  },
  TrimRightFunc: (L) => pushString(L, trimRightBy(checkString(L, 1), predicate(L, 2))),
  TrimSpace: (L) => pushString(L, trimRightBy(trimLeftBy(checkString(L, 1), isSpace), isSpace)),
  TrimSuffix: (L) => {
    const s = checkString(L, 1);
    const p = checkString(L, 2);
    return pushString(L, p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
  },
};
