-- lib/token-bucket.lua: an exact token bucket (the per-user gift rate). The level is kept in thousandths of a token
-- and refilled by `rate` thousandths per millisecond of Redis TIME, so it is all integers: no rounding ever lets one
-- more through. Over any window of T seconds at most capacity + rate * T sends take a token, and a sender at exactly
-- the rate always finds one. An absent bucket is full (it expires once it would have refilled).
-- HASH fields: level (thousandths of a token), at (ms of the last take).

local BUCKET_UNIT = 1000

-- The level now, in thousandths of a token, of the bucket at k (rate: tokens a second; capacity: tokens).
local function bucket_level(k, now, rate, capacity)
  local cap = capacity * BUCKET_UNIT
  local b = redis.call('HMGET', k, 'level', 'at')
  if not b[1] then return cap end
  -- a clock that stepped back (a failover to a replica a little behind) refills nothing rather than draining
  local elapsed = math.max(0, now - tonumber(b[2]))
  return math.min(cap, tonumber(b[1]) + elapsed * rate)
end

-- Takes one token from a bucket whose level (by bucket_level at `now`) has at least one.
local function bucket_take(k, now, level, rate, capacity)
  local left = level - BUCKET_UNIT
  redis.call('HSET', k, 'level', string.format('%d', left), 'at', string.format('%d', now))
  local until_full = math.ceil((capacity * BUCKET_UNIT - left) / rate)
  redis.call('PEXPIRE', k, until_full + 1000)
end
