-- gift-void: cancels a held gift. Its coins go back to the sender's available coins (and out of today's spending
-- when the gift was sent on the day spentToday counts), the gift is marked voided, leaves the outbox and the
-- sender's history. Leaderboards, stream totals and battle scores are not rewound: the gift was seen live.
-- KEYS[1] gift:<id>   KEYS[2] wallet:<sender>   KEYS[3] outbox   KEYS[4] txs:<sender>
-- ARGV[1] gift id   ARGV[2] sender id   ARGV[3] now (ms)
-- Returns {'OK'} | {'REPLAY'} (already voided) | {'NOT_FOUND'} | {'CONFLICT', why} (already settled)
--   | {'STALE'} (sender differs from the record) | {'INTERNAL', why} (held below the gift; nothing moves)
-- Safe to run twice: the gift's status is the marker.
-- @include lib/ints.lua

local g = redis.call('HMGET', KEYS[1], 'status', 'senderId', 'totalCoins', 'at')
if not g[1] then return { 'NOT_FOUND', 'No such gift.' } end
if g[1] == 'voided' then return { 'REPLAY' } end
if g[1] ~= 'held' then return { 'CONFLICT', 'The gift is already settled.' } end
if g[2] ~= ARGV[2] then return { 'STALE' } end
local total = int_of(g[3])
local w = redis.call('HMGET', KEYS[2], 'held', 'spentDay', 'spentToday')
if int_of(w[1]) < total then return { 'INTERNAL', 'The sender\'s held coins are below this gift: reconcile.' } end

redis.call('HINCRBY', KEYS[2], 'held', int_str(-total))
redis.call('HINCRBY', KEYS[2], 'coins', int_str(total))
if w[2] and int_of(w[2]) == floor_div(int_of(g[4]), 86400000) then
  redis.call('HSET', KEYS[2], 'spentToday', int_str(math.max(0, int_of(w[3]) - total)))
end
redis.call('HSET', KEYS[1], 'status', 'voided', 'voidedAt', ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], 'gift_sent:' .. ARGV[1])
return { 'OK' }
