/**
 * The modules and globals libsveltos `LoadModulesAndRegisterMethods` installs: preloaded
 * `json`, `strings`, `runes`, `sprig` and the helper globals.
 */
import { type LuaState, lua, luaKey } from '../vm.js';
import { helperGlobals } from './helpers.js';
import { jsonModule } from './json.js';
import { moduleLoader, setFuncs } from './lua-api.js';
import { runesModule } from './runes.js';
import { sprigModule } from './sprig.js';
import { stringsModule } from './strings.js';

/** Registers the module loaders on the preload table at `preload` and the helpers as globals. */
export function openModules(L: LuaState, preload: number): void {
  const loaders = { json: jsonModule, strings: stringsModule, runes: runesModule, sprig: sprigModule };
  for (const [name, fns] of Object.entries(loaders)) {
    lua.lua_pushcfunction(L, moduleLoader(fns));
    lua.lua_setfield(L, preload, luaKey(name));
  }
  lua.lua_pushglobaltable(L);
  setFuncs(L, lua.lua_gettop(L), helperGlobals);
  lua.lua_pop(L, 1);
}
