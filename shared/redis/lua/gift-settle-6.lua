-- gift-settle: posts a held gift. The sender's held coins become spent, the creator receives the coins and the
-- diamonds they earn (the fraction carries: diamonds = floor((received + t) * num / den) - floor(received * num / den)),
-- the gift is marked settled, leaves the outbox, and the creator's history gets a gift_received entry.
-- KEYS[1] gift:<id>   KEYS[2] wallet:<sender>   KEYS[3] wallet:<creator>   KEYS[4] outbox   KEYS[5] txs:<creator>
-- KEYS[6] seq
-- ARGV[1] gift id   ARGV[2] sender id   ARGV[3] creator id   ARGV[4] now (ms)   ARGV[5] rate numerator
-- ARGV[6] rate denominator
-- Returns {'OK', diamonds} | {'REPLAY', status, diamonds} (already settled or voided: nothing moves)
--   | {'NOT_FOUND'} | {'STALE'} (sender/creator differ from the record) | {'INTERNAL', why} (held below the gift:
--   a corrupted wallet, left for reconciliation; nothing moves)
-- Safe to run twice: the gift's status is the settled marker.
-- @include lib/ints.lua

local g = redis.call('HMGET', KEYS[1], 'status', 'senderId', 'creatorId', 'totalCoins', 'diamonds')
if not g[1] then return { 'NOT_FOUND', 'No such gift.' } end
if g[1] ~= 'held' then return { 'REPLAY', g[1], int_str(int_of(g[5])) } end
if g[2] ~= ARGV[2] or g[3] ~= ARGV[3] then return { 'STALE' } end
local total = int_of(g[4])
if int_of(redis.call('HGET', KEYS[2], 'held')) < total then
  return { 'INTERNAL', 'The sender\'s held coins are below this gift: reconcile.' }
end

local num, den = tonumber(ARGV[5]), tonumber(ARGV[6])
local received = int_of(redis.call('HGET', KEYS[3], 'received'))
local diamonds = floor_mul_div(received + total, num, den) - floor_mul_div(received, num, den)

redis.call('HINCRBY', KEYS[2], 'held', int_str(-total))
redis.call('HINCRBY', KEYS[2], 'spent', int_str(total))
redis.call('HINCRBY', KEYS[3], 'received', int_str(total))
redis.call('HINCRBY', KEYS[3], 'diamondsEarned', int_str(diamonds))
redis.call('HINCRBY', KEYS[3], 'diamonds', int_str(diamonds))
redis.call('HSET', KEYS[1], 'status', 'settled', 'settledAt', ARGV[4], 'diamonds', int_str(diamonds))
redis.call('ZREM', KEYS[4], ARGV[1])
local seq = redis.call('INCR', KEYS[6])
redis.call('ZADD', KEYS[5], int_str(seq), 'gift_received:' .. ARGV[1])
return { 'OK', int_str(diamonds) }
