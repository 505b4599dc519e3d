-- chargeback-clawback: a chargeback takes back the diamonds a settled gift of the buyer earned its creator while
-- they are still on hold (EARNINGS_HOLD_SEC), in the creator's slot, once per gift event id.
-- KEYS[1] credit:<giftEventId>   KEYS[2] earnings:hold:<creator>   KEYS[3] wallet:<creator>
-- ARGV[1] gift event id   ARGV[2] the chargeback's recharge id
-- Returns {'OK', diamonds} (taken now) | {'REPLAY', diamonds} (taken by this chargeback before)
--   | {'NONE'} (not credited, or no longer on hold: nothing to take)
-- Wallet field diamondsClawedBack: diamonds = diamondsEarned - diamondsPaidOut - diamondsClawedBack.
-- Safe to run twice: the credit record's clawedBackBy is the marker.
-- @include lib/ints.lua
-- @include lib/clock.lua
local k_credit, k_hold, k_wallet = KEYS[1], KEYS[2], KEYS[3]
local gift_event_id, recharge_id = ARGV[1], ARGV[2]

local c = redis.call('HMGET', k_credit, 'diamonds', 'clawedBackBy', 'clawedBack')
if c[2] == recharge_id then return { 'REPLAY', c[3] } end
if not c[1] or c[2] then return { 'NONE' } end
local member = gift_event_id .. ':' .. c[1]
local release = redis.call('ZSCORE', k_hold, member)
if not release or tonumber(release) <= clock_ms() then return { 'NONE' } end
local diamonds = int_of(c[1])
if int_of(redis.call('HGET', k_wallet, 'diamonds')) < diamonds then
  return { 'INTERNAL', 'The creator\'s diamonds are below an on-hold credit: reconcile.' }
end
redis.call('ZREM', k_hold, member)
redis.call('HINCRBY', k_wallet, 'diamonds', int_str(-diamonds))
redis.call('HINCRBY', k_wallet, 'diamondsClawedBack', int_str(diamonds))
redis.call('HSET', k_credit, 'clawedBackBy', recharge_id, 'clawedBack', int_str(diamonds))
return { 'OK', int_str(diamonds) }
