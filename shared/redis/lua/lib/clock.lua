-- lib/clock.lua: Redis is the clock of record (docs/ARCHITECTURE.md, "Time"). Every script reads `now` from TIME,
-- never from its caller, so server processes whose clocks disagree still agree on days, windows and order.
-- Redis 7 replicates a script's effects, not the script, so calling TIME before writing is allowed.

-- Milliseconds since the epoch, by this Redis.
local function clock_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- UTC day number of a time in ms (the daily spend limit's day).
local function clock_day(ms)
  return math.floor(ms / 86400000)
end
