-- payout-request: a creator cashes out, in the creator's slot; the diamonds leave the balance now, a worker pays
-- them later.
-- KEYS[1] wallet:<uid>   KEYS[2] idem:<uid>:<key>   KEYS[3] payout:<id>   KEYS[4] txs:<uid>   KEYS[5] payouts:<uid>
-- KEYS[6] payouts:pending (the shard)
-- ARGV[1] payout id   ARGV[2] user id   ARGV[3] diamonds   ARGV[4] amountCents   ARGV[5] currency
-- ARGV[6] destination   ARGV[7] request fingerprint   ARGV[8] idempotency TTL (ms)   ARGV[9] minimum diamonds
-- Returns {'OK', payoutJson} (integers as strings) | {'REPLAY', payoutJson} (same key, same request: the first answer)
--   | {'IDEMPOTENCY_CONFLICT'} | {'BELOW_THRESHOLD', msg} | {'INSUFFICIENT_FUNDS', msg}
-- Safe to run twice: the second run finds the idempotency record and replays.
-- @include lib/idempotency.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua

local k_wallet, k_idem, k_payout, k_txs, k_payouts, k_pending = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local payout_id, user_id, diamonds_arg, amount_cents = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local currency, destination, fingerprint, idem_ttl, minimum_arg = ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]

local seen = idem_check(k_idem, fingerprint)
if seen then return seen end

local diamonds = int_of(diamonds_arg)
if diamonds < int_of(minimum_arg) then
  return { 'BELOW_THRESHOLD', 'The minimum payout is ' .. minimum_arg .. ' diamonds.' }
end
if int_of(redis.call('HGET', k_wallet, 'diamonds')) < diamonds then
  return { 'INSUFFICIENT_FUNDS', 'Not enough diamonds.' }
end

local now = int_str(clock_ms())
redis.call('HINCRBY', k_wallet, 'diamonds', int_str(-diamonds))
redis.call('HINCRBY', k_wallet, 'diamondsPaidOut', int_str(diamonds))
redis.call('HSET', k_payout, 'id', payout_id, 'userId', user_id, 'diamonds', diamonds_arg, 'amountCents', amount_cents,
  'currency', currency, 'destination', destination, 'status', 'pending', 'createdAt', now)
local seq = history_add(k_wallet, k_txs, 'payout:' .. payout_id)
redis.call('ZADD', k_payouts, seq, payout_id)
redis.call('ZADD', k_pending, now, payout_id)
-- integers travel as strings (cjson keeps only 14 digits); the caller turns them back into numbers
local res = cjson.encode({ id = payout_id, diamonds = diamonds_arg, amountCents = amount_cents, currency = currency,
  status = 'pending', destination = destination, createdAt = now })
idem_store(k_idem, fingerprint, res, idem_ttl)
return { 'OK', res }
