-- gift-credit: the creator's half of settling a gift, in the creator's slot, once per gift event id: the creator
-- receives the coins and the diamonds they earn (the fraction carries:
-- diamonds = floor((received + t) * num / den) - floor(received * num / den)), and their history gets the entry.
-- KEYS[1] credit:<giftEventId> (the creator's record of it; its existence is the marker)   KEYS[2] wallet:<creator>
-- KEYS[3] txs:<creator>   KEYS[4] earnings:hold:<creator>
-- ARGV[1] gift event id   ARGV[2] sender id   ARGV[3] total coins   ARGV[4] rate numerator   ARGV[5] rate denominator
-- ARGV[6] earnings hold (ms): the diamonds become withdrawable that long after now (0: at once)
-- Returns {'OK', diamonds} | {'REPLAY', diamonds} (credited before: nothing moves)
--   | {'STALE', 'fenced'} (a chargeback is voiding this gift: it must never be credited). Safe to run twice.
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua

local k_credit, k_wallet, k_txs, k_hold = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local gift_event_id, sender, total = ARGV[1], ARGV[2], int_of(ARGV[3])
local num, den, hold_ms = tonumber(ARGV[4]), tonumber(ARGV[5]), int_of(ARGV[6])

local prior = redis.call('HGET', k_credit, 'diamonds')
if prior then return { 'REPLAY', prior } end
if redis.call('HEXISTS', k_credit, 'fenced') == 1 then return { 'STALE', 'fenced' } end

local received = int_of(redis.call('HGET', k_wallet, 'received'))
local diamonds = floor_mul_div(received + total, num, den) - floor_mul_div(received, num, den)
redis.call('HINCRBY', k_wallet, 'received', int_str(total))
redis.call('HINCRBY', k_wallet, 'diamondsEarned', int_str(diamonds))
redis.call('HINCRBY', k_wallet, 'diamonds', int_str(diamonds))
local now = clock_ms()
redis.call('HSET', k_credit, 'totalCoins', int_str(total), 'diamonds', int_str(diamonds),
  'settledAt', int_str(now), 'senderId', sender)
if hold_ms > 0 and diamonds > 0 then
  redis.call('ZADD', k_hold, int_str(now + hold_ms), gift_event_id .. ':' .. int_str(diamonds))
end
history_add(k_wallet, k_txs, 'gift_received:' .. gift_event_id)
return { 'OK', int_str(diamonds) }
