-- payout-review: an operator's decision on a payout waiting in review, in the creator's slot. Approve: the payout
-- becomes pending (the payout worker pays it). Reject: it becomes rejected and its diamonds come back.
-- KEYS[1] payout:<id>   KEYS[2] wallet:<uid> (the payout's owner)   KEYS[3] payouts:pending (the shard)
-- ARGV[1] payout id   ARGV[2] action 'approve' | 'reject'
-- Returns {'OK', status} (decided now) | {'REPLAY', status} (the same decision was taken before: nothing moves)
--   | {'NOT_FOUND'} | {'CONFLICT', msg} (the opposite decision was taken, or the payout never was in review)
-- The payout's `review` field: 'waiting' | 'approved' | 'rejected'; absent: it never was in review.
-- Safe to run twice: only a payout whose review is 'waiting' changes.
-- @include lib/ints.lua
-- @include lib/clock.lua
local k_payout, k_wallet, k_pending = KEYS[1], KEYS[2], KEYS[3]
local payout_id, action = ARGV[1], ARGV[2]

local p = redis.call('HMGET', k_payout, 'id', 'diamonds', 'status', 'review', 'createdAt')
if not p[1] then return { 'NOT_FOUND' } end
local review = p[4]
if not review then return { 'CONFLICT', 'This payout was never in review.' } end
local decided = { approve = 'approved', reject = 'rejected' }
if not decided[action] then return { 'CONFLICT', 'unknown action' } end
if review == decided[action] then return { 'REPLAY', p[3] } end
if review ~= 'waiting' then return { 'CONFLICT', 'This payout was already ' .. review .. '.' } end

local now = clock_ms()
-- an operator looked at this creator's payouts: a fraud flag's review-everything ends here
redis.call('HDEL', k_wallet, 'payoutsToReview')
if action == 'approve' then
  redis.call('HSET', k_payout, 'review', 'approved', 'status', 'pending', 'reviewedAt', int_str(now))
  redis.call('ZADD', k_pending, int_str(now), payout_id)
  return { 'OK', 'pending' }
end
local diamonds = int_of(p[2])
redis.call('HINCRBY', k_wallet, 'diamonds', int_str(diamonds))
redis.call('HINCRBY', k_wallet, 'diamondsPaidOut', int_str(-diamonds))
-- a rejected payout was never paid: it no longer counts towards its day's cap
local w = redis.call('HMGET', k_wallet, 'payoutDay', 'payoutToday')
if int_of(w[1]) == clock_day(int_of(p[5])) then
  redis.call('HSET', k_wallet, 'payoutToday', int_str(math.max(0, int_of(w[2]) - diamonds)))
end
redis.call('HSET', k_payout, 'review', 'rejected', 'status', 'rejected', 'reviewedAt', int_str(now))
return { 'OK', 'rejected' }
