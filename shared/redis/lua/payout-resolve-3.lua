-- payout-resolve: the provider's verdict on a pending payout. Paid: done. Failed: the diamonds come back.
-- KEYS[1] payout:<id>   KEYS[2] wallet:<uid>   KEYS[3] payouts:pending
-- ARGV[1] payout id   ARGV[2] user id (the payout's owner)   ARGV[3] outcome 'paid' | 'failed'   ARGV[4] now (ms)
-- ARGV[5] provider reference (paid) or failure reason (failed)
-- Returns {'OK', status} | {'REPLAY', status} (already resolved: nothing moves) | {'NOT_FOUND'}
--   | {'CONFLICT', msg} (the record does not belong to that user, or the wallet cannot take the refund back)
-- Safe to run twice: only a pending payout changes.
-- @include lib/ints.lua
local p = redis.call('HMGET', KEYS[1], 'id', 'userId', 'diamonds', 'status')
if not p[1] then return { 'NOT_FOUND' } end
if p[2] ~= ARGV[2] then return { 'CONFLICT', 'payout owner mismatch' } end
if p[4] ~= 'pending' then return { 'REPLAY', p[4] } end
local outcome = ARGV[3]
if outcome ~= 'paid' and outcome ~= 'failed' then return { 'CONFLICT', 'unknown outcome' } end
local diamonds = int_of(p[3])
if outcome == 'failed' then
  local paidOut = int_of(redis.call('HGET', KEYS[2], 'diamondsPaidOut'))
  if paidOut < diamonds then return { 'CONFLICT', 'diamondsPaidOut is below the payout' } end
end

-- validated: write
redis.call('ZREM', KEYS[3], ARGV[1])
if outcome == 'paid' then
  redis.call('HSET', KEYS[1], 'status', 'paid', 'paidAt', ARGV[4], 'reference', ARGV[5])
else
  redis.call('HINCRBY', KEYS[2], 'diamonds', int_str(diamonds))
  redis.call('HINCRBY', KEYS[2], 'diamondsPaidOut', int_str(-diamonds))
  redis.call('HSET', KEYS[1], 'status', 'failed', 'failedAt', ARGV[4], 'failureReason', ARGV[5])
end
return { 'OK', outcome }
