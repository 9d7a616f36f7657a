/**
 * The `os` library scripts may use: `time`, `clock`, `date`, `difftime` only (no `execute`,
 * `exit`, `remove`, `rename`, `getenv`, `tmpname`). Times are UTC: Sveltos runs in containers
 * whose time zone is UTC, and a controller must not depend on the host's zone.
 */
import { DAY_NAMES, MONTH_NAMES } from '../../lib/calendar.js';
import { type LuaState, lauxlib, lua, luaKey, raise, toJsString, toLuaString } from './vm.js';

const two = (n: number) => String(n).padStart(2, '0');

function strftime(fmt: string, d: Date): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%' || i + 1 >= fmt.length) {
      out += fmt[i];
      continue;
    }
    const c = fmt[++i];
    const day = d.getUTCDay();
    const mon = d.getUTCMonth();
    switch (c) {
      case 'Y':
        out += d.getUTCFullYear();
        break;
      case 'y':
        out += two(d.getUTCFullYear() % 100);
        break;
      case 'm':
        out += two(mon + 1);
        break;
      case 'd':
        out += two(d.getUTCDate());
        break;
      case 'H':
        out += two(d.getUTCHours());
        break;
      case 'I':
        out += two(((d.getUTCHours() + 11) % 12) + 1);
        break;
      case 'M':
        out += two(d.getUTCMinutes());
        break;
      case 'S':
        out += two(d.getUTCSeconds());
        break;
      case 'p':
        out += d.getUTCHours() < 12 ? 'AM' : 'PM';
        break;
      case 'a':
        out += DAY_NAMES[day].slice(0, 3);
        break;
      case 'A':
        out += DAY_NAMES[day];
        break;
      case 'b':
        out += MONTH_NAMES[mon].slice(0, 3);
        break;
      case 'B':
        out += MONTH_NAMES[mon];
        break;
      case 'j': {
        const start = Date.UTC(d.getUTCFullYear(), 0, 1);
        out += String(Math.floor((d.getTime() - start) / 86400000) + 1).padStart(3, '0');
        break;
      }
      case 'w':
        out += day;
        break;
      case 'Z':
        out += 'UTC';
        break;
      case 'z':
        out += '+0000';
        break;
      case 'c':
        out += strftime('%a %b %d %H:%M:%S %Y', d);
        break;
      case 'x':
        out += strftime('%m/%d/%y', d);
        break;
      case 'X':
        out += strftime('%H:%M:%S', d);
        break;
      case '%':
        out += '%';
        break;
      default:
        out += '%' + c;
    }
  }
  return out;
}

function setInt(L: LuaState, key: string, v: number): void {
  lua.lua_pushnumber(L, v);
  lua.lua_setfield(L, -2, luaKey(key));
}

function getField(L: LuaState, key: string, dflt: number | null): number {
  const t = lua.lua_getfield(L, 1, luaKey(key));
  const v = lua.lua_tonumberx(L, -1);
  lua.lua_pop(L, 1);
  if (t !== lua.LUA_TNIL && v !== false && v !== null && !Number.isNaN(v)) return Math.trunc(v as number);
  if (dflt === null) raise(L, `field '${key}' missing in date table`);
  return dflt;
}

/** Registers the restricted `os` table on the table at the top of the stack. */
export function openOs(L: LuaState, now: () => number): void {
  const started = now();
  lua.lua_createtable(L, 0, 4);
  const fns: Record<string, (L: LuaState) => number> = {
    time: (L) => {
      if (lua.lua_isnoneornil(L, 1)) {
        lua.lua_pushnumber(L, Math.floor(now() / 1000));
        return 1;
      }
      lauxlib.luaL_checktype(L, 1, lua.LUA_TTABLE);
      const ms = Date.UTC(
        getField(L, 'year', null),
        getField(L, 'month', null) - 1,
        getField(L, 'day', null),
        getField(L, 'hour', 12),
        getField(L, 'min', 0),
        getField(L, 'sec', 0),
      );
      lua.lua_pushnumber(L, Math.floor(ms / 1000));
      return 1;
    },
    clock: (L) => {
      lua.lua_pushnumber(L, (now() - started) / 1000);
      return 1;
    },
    difftime: (L) => {
      lua.lua_pushnumber(L, lauxlib.luaL_checknumber(L, 1) - lauxlib.luaL_optnumber(L, 2, 0));
      return 1;
    },
    date: (L) => {
      let fmt = lua.lua_isnoneornil(L, 1) ? '%c' : toJsString(lauxlib.luaL_checklstring(L, 1));
      const t = lua.lua_isnoneornil(L, 2) ? Math.floor(now() / 1000) : lauxlib.luaL_checknumber(L, 2);
      if (fmt.startsWith('!')) fmt = fmt.slice(1);
      const d = new Date(t * 1000);
      if (fmt.startsWith('*t')) {
        lua.lua_createtable(L, 0, 9);
        setInt(L, 'year', d.getUTCFullYear());
        setInt(L, 'month', d.getUTCMonth() + 1);
        setInt(L, 'day', d.getUTCDate());
        setInt(L, 'hour', d.getUTCHours());
        setInt(L, 'min', d.getUTCMinutes());
        setInt(L, 'sec', d.getUTCSeconds());
        setInt(L, 'wday', d.getUTCDay() + 1);
        setInt(L, 'yday', Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1);
        lua.lua_pushboolean(L, false);
        lua.lua_setfield(L, -2, luaKey('isdst'));
        return 1;
      }
      lua.lua_pushstring(L, toLuaString(strftime(fmt, d)));
      return 1;
    },
  };
  for (const [name, fn] of Object.entries(fns)) {
    lua.lua_pushcfunction(L, fn);
    lua.lua_setfield(L, -2, luaKey(name));
  }
}
