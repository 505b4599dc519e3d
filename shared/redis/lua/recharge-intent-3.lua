-- recharge-intent: writes a recharge's intent before the payment provider is called, in the buyer's slot, so that a
-- charge is never made with nothing durable behind it. The same (user, Idempotency-Key) keeps its recharge id while
-- the intent is open, and that id is the provider's idempotency key: a retry is the same charge.
-- KEYS[1] recharge:intent:<uid>:<key>   KEYS[2] recharge:<id> (of ARGV[1])   KEYS[3] recharges:charging (the shard)
-- ARGV[1] a freshly minted recharge id   ARGV[2] user id   ARGV[3] coins   ARGV[4] priceCents   ARGV[5] currency
-- ARGV[6] packageId   ARGV[7] request fingerprint   ARGV[8] client Idempotency-Key   ARGV[9] intent TTL (ms)
-- Returns {'OK', rechargeId} (ARGV[1], now charging) | {'REPLAY', rechargeId} (an open intent of this key: its id;
--   the caller retries with that id, whose record it re-reads). Safe to run twice.
-- @include lib/ints.lua
-- @include lib/clock.lua
local k_intent, k_recharge, k_charging = KEYS[1], KEYS[2], KEYS[3]
local id, user_id, coins, price_cents, currency, package_id, fp, idem_key, ttl =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]

local open = redis.call('GET', k_intent)
if open and open ~= id then return { 'REPLAY', open } end
local now = int_str(clock_ms())
redis.call('SET', k_intent, id, 'PX', ttl)
if redis.call('EXISTS', k_recharge) == 0 then
  redis.call('HSET', k_recharge, 'id', id, 'userId', user_id, 'coins', coins, 'priceCents', price_cents,
    'currency', currency, 'packageId', package_id, 'status', 'charging', 'fp', fp, 'idemKey', idem_key, 'at', now)
  redis.call('ZADD', k_charging, now, id)
end
return { 'OK', id }
