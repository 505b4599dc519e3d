-- payout-request: a creator cashes out; the diamonds leave the balance now, a worker pays them later.
-- KEYS[1] wallet:<uid>   KEYS[2] idem:<uid>:<key>   KEYS[3] payout:<id>   KEYS[4] txs:<uid>
-- KEYS[5] payouts:<uid>  KEYS[6] seq                KEYS[7] payouts:pending
-- ARGV[1] payout id   ARGV[2] user id   ARGV[3] diamonds   ARGV[4] amountCents   ARGV[5] currency
-- ARGV[6] destination   ARGV[7] now (ms)   ARGV[8] request fingerprint   ARGV[9] idempotency TTL (ms)
-- ARGV[10] minimum diamonds
-- Returns {'OK', payoutJson} (integers as strings) | {'REPLAY', payoutJson} (same key, same request: the first answer)
--   | {'IDEMPOTENCY_CONFLICT'} | {'BELOW_THRESHOLD', msg} | {'INSUFFICIENT_FUNDS', msg}
-- Safe to run twice: the second run finds the idempotency record and replays.
-- @include lib/idempotency.lua
-- @include lib/ints.lua

local seen = idem_check(KEYS[2], ARGV[8])
if seen then return seen end

local diamonds = int_of(ARGV[3])
local minimum = int_of(ARGV[10])
if diamonds < minimum then
  return { 'BELOW_THRESHOLD', 'The minimum payout is ' .. ARGV[10] .. ' diamonds.' }
end
local balance = int_of(redis.call('HGET', KEYS[1], 'diamonds'))
if balance < diamonds then
  return { 'INSUFFICIENT_FUNDS', 'Not enough diamonds.' }
end

-- validated: write
redis.call('HINCRBY', KEYS[1], 'diamonds', int_str(-diamonds))
redis.call('HINCRBY', KEYS[1], 'diamondsPaidOut', int_str(diamonds))
redis.call('HSET', KEYS[3], 'id', ARGV[1], 'userId', ARGV[2], 'diamonds', ARGV[3], 'amountCents', ARGV[4],
  'currency', ARGV[5], 'destination', ARGV[6], 'status', 'pending', 'createdAt', ARGV[7])
local seq = redis.call('INCR', KEYS[6])
redis.call('ZADD', KEYS[4], int_str(seq), 'payout:' .. ARGV[1])
redis.call('ZADD', KEYS[5], int_str(seq), ARGV[1])
redis.call('ZADD', KEYS[7], ARGV[7], ARGV[1])
-- integers travel as strings (cjson keeps only 14 digits); the caller turns them back into numbers
local res = cjson.encode({ id = ARGV[1], diamonds = ARGV[3], amountCents = ARGV[4], currency = ARGV[5],
  status = 'pending', destination = ARGV[6], createdAt = ARGV[7] })
idem_store(KEYS[2], ARGV[8], res, ARGV[9])
return { 'OK', res }
