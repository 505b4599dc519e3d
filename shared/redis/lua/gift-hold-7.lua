-- gift-hold: the wallet phase of a gift, in the sender's slot (docs/ARCHITECTURE.md, "The life of a gift").
-- One call decides everything the sender's slot knows, in the contract's order of errors: the account (revoked
-- token, suspension: exact here, whatever a server process has cached), the idempotency key, the balance, the daily
-- limit, then the rate (an exact token bucket, refilled continuously by Redis TIME); then holds the coins, records
-- the immutable gift and adds it to the sender's outbox shard and history.
-- KEYS[1] idem:<sender>:<key>   KEYS[2] wallet:<sender>   KEYS[3] gift:<giftEventId>   KEYS[4] outbox (the shard)
-- KEYS[5] txs:<sender>   KEYS[6] user:<sender> (the account)   KEYS[7] giftrate:<sender> (the token bucket)
-- ARGV[1] fingerprint   ARGV[2] idempotency TTL (ms)   ARGV[3] gift event id   ARGV[4] sender id
-- ARGV[5] target kind ('stream')   ARGV[6] target id   ARGV[7] catalog gift id   ARGV[8] gift name
-- ARGV[9] unit price (coins, from the catalog)   ARGV[10] count   ARGV[11] the target's owner (the stream's creator,
-- as the caller read it)   ARGV[12] the sender's token's issue time (ms; '' when no token is involved)
-- ARGV[13] bucket rate (tokens a second, GIFT_RATE_PER_SEC)   ARGV[14] bucket capacity (tokens, GIFT_BURST)
-- Returns {'OK', at, walletCoins, walletHeld, senderName}
--   | {'REPLAY', res} with res = JSON { id, coins, held }: the first gift's id (its record holds the rest) and the
--     wallet it left, as strings
--   | {'UNAUTHORIZED', detail} | {'ACCOUNT_SUSPENDED'} | {'IDEMPOTENCY_CONFLICT'} | {'INSUFFICIENT_FUNDS'}
--   | {'SPEND_LIMIT_EXCEEDED'} | {'RATE_LIMITED'}
-- Every check runs before the first write: a refused send (whatever the reason) spends no token, so RATE_LIMITED
-- means only "this send would pass the rate". Safe to run twice: the idempotency record is written in the same step.
-- @include lib/idempotency.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua
-- @include lib/token-bucket.lua

local k_idem, k_wallet, k_gift, k_outbox, k_txs, k_user, k_rate = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5],
  KEYS[6], KEYS[7]
local fingerprint, idem_ttl, gift_event_id, sender = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local target_kind, target_id, gift_id, gift_name = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local unit_coins, count, owner, issued_at = ARGV[9], ARGV[10], ARGV[11], ARGV[12]
local rate, burst = tonumber(ARGV[13]), tonumber(ARGV[14])

local account = redis.call('HMGET', k_user, 'id', 'revokedAt', 'suspended', 'displayName')
if not account[1] then return { 'UNAUTHORIZED', 'The token names no known user.' } end
if issued_at ~= '' and tonumber(issued_at) <= int_of(account[2]) then
  return { 'UNAUTHORIZED', 'The token was revoked.' }
end
if account[3] == '1' then return { 'ACCOUNT_SUSPENDED' } end

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
local level = bucket_level(k_rate, now, rate, burst)
if level < BUCKET_UNIT then return { 'RATE_LIMITED' } end

local coins_after = redis.call('HINCRBY', k_wallet, 'coins', int_str(-total))
local held_after = redis.call('HINCRBY', k_wallet, 'held', int_str(total))
redis.call('HSET', k_wallet, 'spentDay', int_str(spent_day), 'spentToday', int_str(spent_today + total))
bucket_take(k_rate, now, level, rate, burst)
local sender_name = account[4] or ''
redis.call('HSET', k_gift, 'id', gift_event_id, 'targetKind', target_kind, 'streamId', target_id,
  'senderId', sender, 'senderName', sender_name, 'giftId', gift_id, 'giftName', gift_name, 'coins', unit_coins,
  'count', count, 'totalCoins', int_str(total), 'at', int_str(now), 'creatorId', owner, 'status', 'held')
redis.call('ZADD', k_outbox, now, gift_event_id)
history_add(k_wallet, k_txs, 'gift_sent:' .. gift_event_id)

-- the stored answer stays small (it is kept for the idempotency TTL): a replay reads the immutable gift record
idem_store(k_idem, fingerprint,
  cjson.encode({ id = gift_event_id, coins = int_str(coins_after), held = int_str(held_after) }), idem_ttl)
return { 'OK', int_str(now), int_str(coins_after), int_str(held_after), sender_name }
