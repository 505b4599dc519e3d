-- recharge: credits a paid recharge, atomically with its record, its transaction entry and the idempotency record.
-- KEYS[1] idem:<uid>:<key>   KEYS[2] idemlock:<uid>:<key>   KEYS[3] wallet:<uid>   KEYS[4] recharge:<id>
-- KEYS[5] txs:<uid>          KEYS[6] seq
-- ARGV[1] fingerprint   ARGV[2] idempotency TTL (ms)   ARGV[3] lock owner (released when it is still ours)
-- ARGV[4] recharge id   ARGV[5] user id   ARGV[6] coins   ARGV[7] priceCents   ARGV[8] currency
-- ARGV[9] packageId ('' for a custom amount)   ARGV[10] provider charge id   ARGV[11] now (ms)   ARGV[12] day number
-- Returns {'OK', res} | {'REPLAY', res} (the key already holds this request's answer) | {'IDEMPOTENCY_CONFLICT'}
--   res = JSON { rechargeId, rechargeCoins, priceCents, currency, at, coins, held, diamonds, spentToday, limit }
--   (integers as strings; limit '' = none): the first answer, which every repeat returns
-- Safe to run twice: the idempotency record is written in the same step, so a second run is a REPLAY.
-- @include lib/idempotency.lua
-- @include lib/ints.lua

local function release_lock()
  if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
end

local prior = idem_check(KEYS[1], ARGV[1])
if prior then
  release_lock()
  return prior
end

redis.call('HSET', KEYS[4], 'id', ARGV[4], 'userId', ARGV[5], 'coins', ARGV[6], 'priceCents', ARGV[7],
  'currency', ARGV[8], 'packageId', ARGV[9], 'providerRef', ARGV[10], 'status', 'succeeded', 'at', ARGV[11])
local after = redis.call('HINCRBY', KEYS[3], 'coins', ARGV[6])
redis.call('HINCRBY', KEYS[3], 'purchased', ARGV[6])
local seq = redis.call('INCR', KEYS[6])
redis.call('ZADD', KEYS[5], int_str(seq), 'recharge:' .. ARGV[4])

local w = redis.call('HMGET', KEYS[3], 'held', 'diamonds', 'spentDay', 'spentToday', 'limit')
local spent_today = 0
if int_of(w[3]) == tonumber(ARGV[12]) then spent_today = int_of(w[4]) end
local res = cjson.encode({
  rechargeId = ARGV[4], rechargeCoins = ARGV[6], priceCents = ARGV[7], currency = ARGV[8], at = ARGV[11],
  coins = int_str(after), held = int_str(int_of(w[1])), diamonds = int_str(int_of(w[2])),
  spentToday = int_str(spent_today), limit = w[5] or '',
})
idem_store(KEYS[1], ARGV[1], res, ARGV[2])
release_lock()
return { 'OK', res }
