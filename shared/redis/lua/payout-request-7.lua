-- payout-request: a creator cashes out, in the creator's slot; the diamonds leave the balance now, a worker pays
-- them later.
-- KEYS[1] wallet:<uid>   KEYS[2] idem:<uid>:<key>   KEYS[3] payout:<id>   KEYS[4] txs:<uid>   KEYS[5] payouts:<uid>
-- KEYS[6] payouts:pending (the shard)   KEYS[7] earnings:hold:<uid>
-- ARGV[1] payout id   ARGV[2] user id   ARGV[3] diamonds   ARGV[4] amountCents   ARGV[5] currency
-- ARGV[6] destination   ARGV[7] request fingerprint   ARGV[8] idempotency TTL (ms)   ARGV[9] minimum diamonds
-- ARGV[10] daily payout cap in diamonds ('' = none)   ARGV[11] review threshold in diamonds ('' = never)
-- ARGV[12] '1' when this payout goes to review whatever its size, else '0'; the wallet field payoutsToReview ('1':
-- a gift from an account linked to this creator was flagged) does the same until an operator decides a payout
-- Returns {'OK', payoutJson} (integers as strings; status 'pending', or 'review' waiting for an operator)
--   | {'REPLAY', payoutJson} (same key, same request: the first answer) | {'IDEMPOTENCY_CONFLICT'}
--   | {'BELOW_THRESHOLD', msg} | {'INSUFFICIENT_FUNDS', msg} (past the withdrawable diamonds: on-hold ones do not
--   count) | {'PAYOUT_LIMIT_EXCEEDED', msg} (the UTC day's payouts would pass the cap)
-- Wallet fields: payoutDay (UTC day number, Redis TIME) and payoutToday (diamonds requested that day, less the
-- ones rejected or failed).
-- Safe to run twice: the second run finds the idempotency record and replays.
-- @include lib/idempotency.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua
-- @include lib/earnings.lua

local k_wallet, k_idem, k_payout, k_txs, k_payouts, k_pending = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local k_hold = KEYS[7]
local payout_id, user_id, diamonds_arg, amount_cents = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local currency, destination, fingerprint, idem_ttl, minimum_arg = ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local cap_arg, review_arg, flagged = ARGV[10], ARGV[11], ARGV[12] == '1'

local seen = idem_check(k_idem, fingerprint)
if seen then return seen end

local diamonds = int_of(diamonds_arg)
if diamonds < int_of(minimum_arg) then
  return { 'BELOW_THRESHOLD', 'The minimum payout is ' .. minimum_arg .. ' diamonds.' }
end
local now_ms = clock_ms()
local withdrawable = int_of(redis.call('HGET', k_wallet, 'diamonds')) - earnings_on_hold(k_hold, now_ms)
if withdrawable < diamonds then
  return { 'INSUFFICIENT_FUNDS', 'Not enough withdrawable diamonds.' }
end
local day = clock_day(now_ms)
local w = redis.call('HMGET', k_wallet, 'payoutDay', 'payoutToday')
local today = 0
if int_of(w[1]) == day then today = int_of(w[2]) end
if cap_arg ~= '' and today + diamonds > int_of(cap_arg) then
  return { 'PAYOUT_LIMIT_EXCEEDED', 'The daily payout cap is ' .. cap_arg .. ' diamonds.' }
end
local status = 'pending'
if redis.call('HGET', k_wallet, 'payoutsToReview') == '1' then flagged = true end
if flagged or (review_arg ~= '' and diamonds >= int_of(review_arg)) then status = 'review' end

local now = int_str(now_ms)
redis.call('HINCRBY', k_wallet, 'diamonds', int_str(-diamonds))
redis.call('HINCRBY', k_wallet, 'diamondsPaidOut', int_str(diamonds))
redis.call('HSET', k_wallet, 'payoutDay', int_str(day), 'payoutToday', int_str(today + diamonds))
redis.call('HSET', k_payout, 'id', payout_id, 'userId', user_id, 'diamonds', diamonds_arg, 'amountCents', amount_cents,
  'currency', currency, 'destination', destination, 'status', status, 'createdAt', now)
if status == 'review' then redis.call('HSET', k_payout, 'review', 'waiting') end
local seq = history_add(k_wallet, k_txs, 'payout:' .. payout_id)
redis.call('ZADD', k_payouts, seq, payout_id)
-- a payout in review is nobody's work until an operator approves it: not in the pending outbox yet
if status == 'pending' then redis.call('ZADD', k_pending, now, payout_id) end
-- integers travel as strings (cjson keeps only 14 digits); the caller turns them back into numbers
local res = cjson.encode({ id = payout_id, diamonds = diamonds_arg, amountCents = amount_cents, currency = currency,
  status = status, destination = destination, createdAt = now })
idem_store(k_idem, fingerprint, res, idem_ttl)
return { 'OK', res }
