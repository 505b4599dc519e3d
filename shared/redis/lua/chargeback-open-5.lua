-- chargeback-open: the first step of a chargeback, in the buyer's slot. Records the chargeback (its state machine),
-- takes what it can from the buyer's available coins, suspends the buyer and adds the history entry, at once.
-- KEYS[1] recharge:<id>   KEYS[2] chargeback:<rechargeId>   KEYS[3] wallet:<buyer>   KEYS[4] user:<buyer>
-- KEYS[5] txs:<buyer>
-- ARGV[1] recharge id
-- Returns {'OK', json} | {'REPLAY', json} (opened before: nothing moves) | {'NOT_FOUND'}
--   | {'CONFLICT', msg} (the recharge is not a succeeded one)
-- json: the chargeback record (integers as strings): rechargeId, userId, coins, recoveredCoins, voidedGifts,
--   clawedBackDiamonds, unrecoveredCoins, remaining (coins still to recover), state ('open' | 'done'),
--   takenFromBuyer (coins taken from the buyer's wallet: available and voided; the rest came from clawbacks).
-- Wallet field chargedBack: the coins taken back from the buyer (available and voided held coins), so that
-- purchased = coins + held + spent + chargedBack. Safe to run twice: the record is the marker.
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua
local k_recharge, k_cb, k_wallet, k_user, k_txs = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local recharge_id = ARGV[1]

local function record()
  local h = redis.call('HGETALL', k_cb)
  local t = {}
  for i = 1, #h, 2 do t[h[i]] = h[i + 1] end
  return cjson.encode(t)
end

if redis.call('EXISTS', k_cb) == 1 then return { 'REPLAY', record() } end
local r = redis.call('HMGET', k_recharge, 'id', 'userId', 'coins', 'status')
if not r[1] then return { 'NOT_FOUND', 'No such recharge.' } end
if r[4] ~= 'succeeded' then return { 'CONFLICT', 'Only a succeeded recharge can be charged back.' } end

local coins = int_of(r[3])
local available = int_of(redis.call('HGET', k_wallet, 'coins'))
local take = math.min(coins, available)
local remaining = coins - take
local state = 'open'
if remaining == 0 then state = 'done' end
local now = int_str(clock_ms())
redis.call('HINCRBY', k_wallet, 'coins', int_str(-take))
redis.call('HINCRBY', k_wallet, 'chargedBack', int_str(take))
redis.call('HSET', k_cb, 'rechargeId', recharge_id, 'userId', r[2], 'coins', int_str(coins),
  'recoveredCoins', int_str(take), 'voidedGifts', '0', 'clawedBackDiamonds', '0', 'unrecoveredCoins', '0',
  'remaining', int_str(remaining), 'state', state, 'createdAt', now, 'takenFromBuyer', int_str(take))
redis.call('HSET', k_user, 'suspended', '1', 'suspendedReason', 'chargeback of recharge ' .. recharge_id,
  'suspendedAt', now)
history_add(k_wallet, k_txs, 'chargeback:' .. recharge_id)
return { 'OK', record() }
