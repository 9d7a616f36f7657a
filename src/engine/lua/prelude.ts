/**
 * Lua 5.1 functions written in Lua. Every function here reads only locals, so none has an
 * `_ENV` upvalue: `getfenv` on them cannot reveal the template environment.
 */
export const PRELUDE = `
local currentEnv = ...
local type, error, tostring, select, unpack = type, error, tostring, select, unpack
local find, sub = string.find, string.sub
local getupvalue, upvaluejoin, getinfo = debug.getupvalue, debug.upvaluejoin, debug.getinfo

-- Lua 5.1 gmatch: an empty match advances one position and the end of the subject matches too.
local function gmatch(s, p)
  if type(s) == 'number' then s = tostring(s) end
  if type(p) == 'number' then p = tostring(p) end
  if type(s) ~= 'string' then error("bad argument #1 to 'gmatch' (string expected, got " .. type(s) .. ")", 2) end
  if type(p) ~= 'string' then error("bad argument #2 to 'gmatch' (string expected, got " .. type(p) .. ")", 2) end
  if sub(p, 1, 1) == '^' then p = '%' .. p end
  local init, len = 1, #s
  return function()
    if init > len + 1 then return nil end
    local r = { find(s, p, init) }
    local st, en = r[1], r[2]
    if st == nil then
      init = len + 2
      return nil
    end
    if en < st then init = st + 1 else init = en + 1 end
    if r[3] == nil then return sub(s, st, en) end
    return select(3, unpack(r))
  end
end
string.gmatch = gmatch
string.gfind = gmatch

local function envIndex(f)
  local i = 1
  while true do
    local name = getupvalue(f, i)
    if name == '_ENV' then return i end
    if name == nil then return nil end
    i = i + 1
  end
end

local function toFunction(f, name)
  if f == nil then f = 1 end
  if type(f) == 'number' then
    if f == 0 then return nil end
    local info = getinfo(f + 2, 'f')
    if info == nil then error("bad argument #1 to '" .. name .. "' (invalid level)", 3) end
    return info.func
  end
  if type(f) ~= 'function' then error("bad argument #1 to '" .. name .. "' (function expected)", 3) end
  return f
end

function setfenv(f, t)
  if type(t) ~= 'table' then error("bad argument #2 to 'setfenv' (table expected)", 2) end
  local fn = toFunction(f, 'setfenv')
  if fn == nil then error("setfenv cannot change the global environment", 2) end
  local i = envIndex(fn)
  if i ~= nil then upvaluejoin(fn, i, function() return t end, 1) end
  return fn
end

function getfenv(f)
  local fn = toFunction(f, 'getfenv')
  if fn ~= nil then
    local i = envIndex(fn)
    if i ~= nil then
      local _, env = getupvalue(fn, i)
      return env
    end
  end
  return currentEnv()
end

-- coroutine.wrap on top of coroutine.resume, which tracks the running thread for the guards
local create, resume, pack = coroutine.create, coroutine.resume, table.pack
coroutine.wrap = function(f)
  local co = create(f)
  return function(...)
    local r = pack(resume(co, ...))
    if r[1] then return unpack(r, 2, r.n) end
    error(r[2], 0)
  end
end

function module()
  error("module() is not supported: return a table from the script instead", 2)
end
`;
