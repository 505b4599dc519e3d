-- chargeback-claw-record: books a clawback (chargeback-clawback, the creator's slot) on the chargeback, in the
-- buyer's slot: the clawed-back gift counts its coins (at most what is still to recover) as recovered.
-- KEYS[1] chargeback:<rechargeId>   KEYS[2] gift:<giftEventId>
-- ARGV[1] recharge id   ARGV[2] diamonds clawed back
-- Returns {'OK'} | {'REPLAY'} (booked before). Safe to run twice: the gift's clawedBackBy is the marker.
-- @include lib/ints.lua
local k_cb, k_gift = KEYS[1], KEYS[2]
local recharge_id, diamonds = ARGV[1], int_of(ARGV[2])

if redis.call('HGET', k_gift, 'clawedBackBy') == recharge_id then return { 'REPLAY' } end
local remaining = int_of(redis.call('HGET', k_cb, 'remaining'))
local coins = math.min(int_of(redis.call('HGET', k_gift, 'totalCoins')), remaining)
redis.call('HINCRBY', k_cb, 'remaining', int_str(-coins))
redis.call('HINCRBY', k_cb, 'recoveredCoins', int_str(coins))
redis.call('HINCRBY', k_cb, 'clawedBackDiamonds', int_str(diamonds))
redis.call('HSET', k_gift, 'clawedBackBy', recharge_id)
return { 'OK' }
