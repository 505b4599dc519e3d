-- gift-hold: the wallet phase of a gift, in the sender's slot (docs/ARCHITECTURE.md, "The life of a gift").
-- Claims the idempotency key, checks the daily limit, the balance and the rate verdict in the contract's order,
-- then holds the coins, records the immutable gift and adds it to the sender's outbox shard and history.
-- KEYS[1] idem:<sender>:<key>   KEYS[2] wallet:<sender>   KEYS[3] gift:<giftEventId>   KEYS[4] outbox (the shard)
-- KEYS[5] txs:<sender>
-- ARGV[1] fingerprint   ARGV[2] idempotency TTL (ms)   ARGV[3] gift event id   ARGV[4] sender id
-- ARGV[5] sender display name   ARGV[6] target kind ('stream')   ARGV[7] target id   ARGV[8] catalog gift id
-- ARGV[9] gift name   ARGV[10] unit price (coins, from the catalog)   ARGV[11] count   ARGV[12] the target's owner
-- (the stream's creator, as the caller read it)   ARGV[13] '1' when the rate limiter refused this sender
-- Returns {'OK', at, walletCoins, walletHeld}
--   | {'REPLAY', res} with res = JSON { id, coins, held }: the first gift's id (its record holds the rest) and the
--     wallet it left, as strings
--   | {'IDEMPOTENCY_CONFLICT'} | {'INSUFFICIENT_FUNDS'} | {'SPEND_LIMIT_EXCEEDED'} | {'RATE_LIMITED'}
-- Every check runs before the first write. Safe to run twice: the idempotency record is written in the same step.
-- @include lib/idempotency.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua

local k_idem, k_wallet, k_gift, k_outbox, k_txs = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local fingerprint, idem_ttl, gift_event_id, sender = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local sender_name, target_kind, target_id, gift_id = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local gift_name, unit_coins, count, owner, rate_limited = ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13] == '1'

local prior = idem_check(k_idem, fingerprint)
if prior then return prior end

local now = clock_ms()
local total = tonumber(unit_coins) * tonumber(count)
local w = redis.call('HMGET', k_wallet, 'coins', 'spentDay', 'spentToday', 'limit')
if int_of(w[1]) < total then return { 'INSUFFICIENT_FUNDS' } end
-- spentToday belongs to spentDay; both come from this Redis's clock, so a day is the same day for every server
local day, spent_day, spent_today = clock_day(now), int_of(w[2]), int_of(w[3])
if day > spent_day then spent_day, spent_today = day, 0 end
if w[4] and spent_today + total > tonumber(w[4]) then return { 'SPEND_LIMIT_EXCEEDED' } end
if rate_limited then return { 'RATE_LIMITED' } end

local coins_after = redis.call('HINCRBY', k_wallet, 'coins', int_str(-total))
local held_after = redis.call('HINCRBY', k_wallet, 'held', int_str(total))
redis.call('HSET', k_wallet, 'spentDay', int_str(spent_day), 'spentToday', int_str(spent_today + total))
redis.call('HSET', k_gift, 'id', gift_event_id, 'targetKind', target_kind, 'streamId', target_id,
  'senderId', sender, 'senderName', sender_name, 'giftId', gift_id, 'giftName', gift_name, 'coins', unit_coins,
  'count', count, 'totalCoins', int_str(total), 'at', int_str(now), 'creatorId', owner, 'status', 'held')
redis.call('ZADD', k_outbox, now, gift_event_id)
history_add(k_wallet, k_txs, 'gift_sent:' .. gift_event_id)

-- the stored answer stays small (it is kept for the idempotency TTL): a replay reads the immutable gift record
idem_store(k_idem, fingerprint,
  cjson.encode({ id = gift_event_id, coins = int_str(coins_after), held = int_str(held_after) }), idem_ttl)
return { 'OK', int_str(now), int_str(coins_after), int_str(held_after) }
