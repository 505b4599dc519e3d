-- payout-resolve: the provider's verdict on a pending payout, in the creator's slot. Paid: done. Failed: the
-- diamonds come back.
-- KEYS[1] payout:<id>   KEYS[2] wallet:<uid>   KEYS[3] payouts:pending (the shard)
-- KEYS[4] webhooks:outbox (the shard: `payout.paid` / `payout.failed` is filed there)
-- ARGV[1] payout id   ARGV[2] user id (the payout's owner)   ARGV[3] outcome 'paid' | 'failed'
-- ARGV[4] provider reference (paid) or failure reason (failed)   ARGV[5] webhook event id
-- Returns {'OK', status} | {'REPLAY', status} (already resolved: nothing moves) | {'NOT_FOUND'}
--   | {'CONFLICT', msg} (the record does not belong to that user, or the wallet cannot take the refund back)
-- Safe to run twice: only a pending payout changes.
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/webhook-event.lua
local k_payout, k_wallet, k_pending, k_webhooks = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local payout_id, user_id, outcome, note, event_id = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]

local p = redis.call('HMGET', k_payout, 'id', 'userId', 'diamonds', 'status', 'createdAt')
if not p[1] then return { 'NOT_FOUND' } end
if p[2] ~= user_id then return { 'CONFLICT', 'payout owner mismatch' } end
if p[4] ~= 'pending' then return { 'REPLAY', p[4] } end
if outcome ~= 'paid' and outcome ~= 'failed' then return { 'CONFLICT', 'unknown outcome' } end
local diamonds = int_of(p[3])
if outcome == 'failed' then
  local paid_out = int_of(redis.call('HGET', k_wallet, 'diamondsPaidOut'))
  if paid_out < diamonds then return { 'CONFLICT', 'diamondsPaidOut is below the payout' } end
end

local now_ms = clock_ms()
local now = int_str(now_ms)
redis.call('ZREM', k_pending, payout_id)
if outcome == 'paid' then
  redis.call('HSET', k_payout, 'status', 'paid', 'paidAt', now, 'reference', note)
else
  redis.call('HINCRBY', k_wallet, 'diamonds', int_str(diamonds))
  redis.call('HINCRBY', k_wallet, 'diamondsPaidOut', int_str(-diamonds))
  -- a failed payout paid nothing: it no longer counts towards its day's cap (PAYOUT_DAILY_MAX_DIAMONDS)
  local w = redis.call('HMGET', k_wallet, 'payoutDay', 'payoutToday')
  if int_of(w[1]) == clock_day(int_of(p[5])) then
    redis.call('HSET', k_wallet, 'payoutToday', int_str(math.max(0, int_of(w[2]) - diamonds)))
  end
  redis.call('HSET', k_payout, 'status', 'failed', 'failedAt', now, 'failureReason', note)
end
webhook_event(k_webhooks, event_id, 'payout.' .. outcome, payout_id, now_ms)
return { 'OK', outcome }
