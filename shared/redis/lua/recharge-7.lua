-- recharge: credits a paid recharge, atomically with its record, its history entry and the idempotency record, in
-- the buyer's slot.
-- KEYS[1] idem:<uid>:<key>   KEYS[2] idemlock:<uid>:<key>   KEYS[3] wallet:<uid>   KEYS[4] recharge:<id>
-- KEYS[5] txs:<uid>   KEYS[6] recharges:charging (the shard: the recharge's intent leaves it)
-- KEYS[7] webhooks:outbox (the shard: `recharge.succeeded` is filed there)
-- ARGV[1] fingerprint   ARGV[2] idempotency TTL (ms)   ARGV[3] lock owner (released when it is still ours)
-- ARGV[4] recharge id   ARGV[5] user id   ARGV[6] coins   ARGV[7] priceCents   ARGV[8] currency
-- ARGV[9] packageId ('' for a custom amount)   ARGV[10] provider charge id   ARGV[11] webhook event id
-- Returns {'OK', res} | {'REPLAY', res} (the key already holds this request's answer) | {'IDEMPOTENCY_CONFLICT'}
--   res = JSON { rechargeId, rechargeCoins, priceCents, currency, at, coins, held, diamonds, spentToday, limit }
--   (integers as strings; limit '' = none): the first answer, which every repeat returns
-- Safe to run twice: the idempotency record is written in the same step, so a second run is a REPLAY.
-- @include lib/idempotency.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua
-- @include lib/webhook-event.lua

local k_idem, k_lock, k_wallet, k_recharge, k_txs, k_charging = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local k_webhooks = KEYS[7]
local fingerprint, idem_ttl, lock_owner, recharge_id, user_id = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local coins, price_cents, currency, package_id, provider_ref = ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10]
local event_id = ARGV[11]

local function release_lock()
  if redis.call('GET', k_lock) == lock_owner then redis.call('DEL', k_lock) end
end

local prior = idem_check(k_idem, fingerprint)
if prior then
  release_lock()
  return prior
end
-- recorded before (the sweep, or a run whose reply was lost) and its key expired since: nothing moves twice
if redis.call('HGET', k_recharge, 'status') == 'succeeded' then
  release_lock()
  return { 'CONFLICT', 'This recharge is already recorded.' }
end

local now = clock_ms()
redis.call('HSET', k_recharge, 'id', recharge_id, 'userId', user_id, 'coins', coins, 'priceCents', price_cents,
  'currency', currency, 'packageId', package_id, 'providerRef', provider_ref, 'status', 'succeeded',
  'at', int_str(now))
local after = redis.call('HINCRBY', k_wallet, 'coins', coins)
redis.call('HINCRBY', k_wallet, 'purchased', coins)
history_add(k_wallet, k_txs, 'recharge:' .. recharge_id)
redis.call('ZREM', k_charging, recharge_id)
webhook_event(k_webhooks, event_id, 'recharge.succeeded', recharge_id, now)

local w = redis.call('HMGET', k_wallet, 'held', 'diamonds', 'spentDay', 'spentToday', 'limit')
local spent_today = 0
if int_of(w[3]) == clock_day(now) then spent_today = int_of(w[4]) end
local res = cjson.encode({
  rechargeId = recharge_id, rechargeCoins = coins, priceCents = price_cents, currency = currency,
  at = int_str(now), coins = int_str(after), held = int_str(int_of(w[1])), diamonds = int_str(int_of(w[2])),
  spentToday = int_str(spent_today), limit = w[5] or '',
})
idem_store(k_idem, fingerprint, res, idem_ttl)
release_lock()
return { 'OK', res }
