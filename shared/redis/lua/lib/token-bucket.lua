-- lib/token-bucket.lua: an exact token bucket (the per-user gift rate). The level is kept in thousandths of a token
-- and refilled by `rate` thousandths per millisecond of Redis TIME, so it is all integers: no rounding ever lets one
-- more through. Over any window of T seconds at most capacity + rate * T sends take a token, and a sender at exactly
-- the rate always finds one. The bucket is two integer fields that its caller reads and writes with the rest of a
-- hash it already touches (the wallet phase: the sender's wallet), so spending a token costs no command of its own:
-- level (thousandths of a token after the last take), at (ms of the last take); absent = full. A bucket that was
-- left alone long enough reads as full again, so it never needs to expire.

local BUCKET_UNIT = 1000

-- The level at `now`, in thousandths of a token, of the bucket whose fields read `level` and `at` (HMGET: false when
-- absent); rate: tokens a second, capacity: tokens.
local function bucket_level(level, at, now, rate, capacity)
  local cap = capacity * BUCKET_UNIT
  if not level then return cap end
  -- a clock that stepped back (a failover to a replica a little behind) refills nothing rather than draining
  local elapsed = math.max(0, now - tonumber(at))
  return math.min(cap, tonumber(level) + elapsed * rate)
end

-- The level to store (with at = now) after one token is taken from a bucket whose level at `now` has at least one.
local function bucket_take(level)
  return level - BUCKET_UNIT
end
