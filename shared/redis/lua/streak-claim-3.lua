-- streak-claim: takes the streaks of one stream whose deadline has passed by this Redis's clock out of its room, so
-- that exactly one caller (any server process's poller) announces each streak's end.
-- KEYS[1] streaks (HASH of open streaks)   KEYS[2] streaks:due (ZSET of deadlines)   KEYS[3] stream:<sid>
-- ARGV[1] the most streaks to take in one call
-- Returns {'OK', left (deadlines still in the ZSET), live ('1' the stream is live, else '0'), next (ms from now to the
--   earliest deadline left, '' none), state JSON, ...}: each state { senderId, senderName, giftId, giftName, combo,
--   totalCoins, firstAt, lastAt } is returned once, ever.
-- @include lib/clock.lua
local k_streaks, k_due, k_stream = KEYS[1], KEYS[2], KEYS[3]
local most = tonumber(ARGV[1])

local now = clock_ms()
local out = { 'OK', '0', '0', '' }
local due = redis.call('ZRANGE', k_due, '-inf', now, 'BYSCORE', 'LIMIT', 0, most)
for _, member in ipairs(due) do
  redis.call('ZREM', k_due, member)
  local raw = redis.call('HGET', k_streaks, member)
  if raw then
    redis.call('HDEL', k_streaks, member)
    out[#out + 1] = raw
  end
end
out[2] = tostring(redis.call('ZCARD', k_due))
local first = redis.call('ZRANGE', k_due, 0, 0, 'WITHSCORES')
if first[2] then out[4] = string.format('%d', math.max(0, tonumber(first[2]) - now)) end
if redis.call('HGET', k_stream, 'status') == 'live' then out[3] = '1' end
return out
