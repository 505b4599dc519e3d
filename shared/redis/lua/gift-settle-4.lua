-- gift-settle: the sender's half of settling a gift, in the sender's slot, after gift-credit credited the creator:
-- the held coins become spent, the gift is marked settled (with the diamonds it earned) and leaves the outbox.
-- KEYS[1] gift:<giftEventId>   KEYS[2] wallet:<sender>   KEYS[3] outbox (the shard)
-- KEYS[4] webhooks:outbox (the shard: `gift.settled` is filed there)
-- ARGV[1] gift event id   ARGV[2] sender id   ARGV[3] diamonds the creator was credited   ARGV[4] webhook event id
-- Returns {'OK'} | {'REPLAY', status, diamonds} (already settled or voided: nothing moves) | {'NOT_FOUND'}
--   | {'STALE'} (sender differs from the record) | {'INTERNAL', why} (held below the gift: a corrupted wallet, left
--   for reconciliation; nothing moves)
-- Safe to run twice: the gift's status is the settled marker.
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/webhook-event.lua

local k_gift, k_wallet, k_outbox, k_webhooks = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local gift_event_id, sender, diamonds, event_id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

local g = redis.call('HMGET', k_gift, 'status', 'senderId', 'totalCoins', 'diamonds')
if not g[1] then return { 'NOT_FOUND', 'No such gift.' } end
if g[1] ~= 'held' then return { 'REPLAY', g[1], int_str(int_of(g[4])) } end
if g[2] ~= sender then return { 'STALE' } end
local total = int_of(g[3])
if int_of(redis.call('HGET', k_wallet, 'held')) < total then
  return { 'INTERNAL', 'The sender\'s held coins are below this gift: reconcile.' }
end

redis.call('HINCRBY', k_wallet, 'held', int_str(-total))
redis.call('HINCRBY', k_wallet, 'spent', int_str(total))
local now = clock_ms()
redis.call('HSET', k_gift, 'status', 'settled', 'settledAt', int_str(now), 'diamonds', diamonds)
redis.call('ZREM', k_outbox, gift_event_id)
webhook_event(k_webhooks, event_id, 'gift.settled', gift_event_id, now)
return { 'OK' }
