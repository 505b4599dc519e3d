-- lib/earnings.lua: the earnings hold (EARNINGS_HOLD_SEC). A creator's hold zset has one member per credited gift,
-- `<giftEventId>:<diamonds>`, scored by when those diamonds become withdrawable; the diamonds stay in the wallet's
-- `diamonds` balance all along, and withdrawable = diamonds - what is still on hold.

-- Drops the entries released by `now` (ms) and returns the diamonds still on hold.
local function earnings_on_hold(k_hold, now)
  redis.call('ZREMRANGEBYSCORE', k_hold, '-inf', string.format('%d', now))
  local total = 0
  for _, member in ipairs(redis.call('ZRANGE', k_hold, 0, -1)) do
    total = total + tonumber(string.match(member, ':(%d+)$'))
  end
  return total
end
