-- gift-void: cancels a held gift, in the sender's slot. Its coins go back to the sender's available coins (and out
-- of today's spending when the gift was sent on the day spentToday counts), the gift is marked voided and leaves
-- the outbox and the sender's history. Used when the room phase refuses a gift whose coins were already held.
-- KEYS[1] gift:<giftEventId>   KEYS[2] wallet:<sender>   KEYS[3] outbox (the shard)   KEYS[4] txs:<sender>
-- ARGV[1] gift event id   ARGV[2] sender id
-- Returns {'OK'} | {'REPLAY'} (already voided) | {'NOT_FOUND'} | {'CONFLICT', why} (already settled)
--   | {'STALE'} (sender differs from the record) | {'INTERNAL', why} (held below the gift; nothing moves)
-- Safe to run twice: the gift's status is the marker.
-- @include lib/ints.lua
-- @include lib/clock.lua

local k_gift, k_wallet, k_outbox, k_txs = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local gift_event_id, sender = ARGV[1], ARGV[2]

local g = redis.call('HMGET', k_gift, 'status', 'senderId', 'totalCoins', 'at')
if not g[1] then return { 'NOT_FOUND', 'No such gift.' } end
if g[1] == 'voided' then return { 'REPLAY' } end
if g[1] ~= 'held' then return { 'CONFLICT', 'The gift is already settled.' } end
if g[2] ~= sender then return { 'STALE' } end
local total = int_of(g[3])
local w = redis.call('HMGET', k_wallet, 'held', 'spentDay', 'spentToday')
if int_of(w[1]) < total then return { 'INTERNAL', 'The sender\'s held coins are below this gift: reconcile.' } end

redis.call('HINCRBY', k_wallet, 'held', int_str(-total))
redis.call('HINCRBY', k_wallet, 'coins', int_str(total))
if w[2] and int_of(w[2]) == clock_day(int_of(g[4])) then
  redis.call('HSET', k_wallet, 'spentToday', int_str(math.max(0, int_of(w[3]) - total)))
end
redis.call('HSET', k_gift, 'status', 'voided', 'voidedAt', int_str(clock_ms()))
redis.call('ZREM', k_outbox, gift_event_id)
redis.call('ZREM', k_txs, 'gift_sent:' .. gift_event_id)
return { 'OK' }
