-- gift-accept: the atomic phase of a gift (docs/ARCHITECTURE.md, "The life of a gift").
-- KEYS[1] idem:<sender>:<key>   KEYS[2] wallet:<sender>   KEYS[3] stream:<sid>   KEYS[4] seq
-- KEYS[5] streak:<sid>:<sender>:<giftId>   KEYS[6] gift:<id>   KEYS[7] outbox   KEYS[8] txs:<sender>
-- KEYS[9]  lb:stream:<sid>              KEYS[10] its :m
-- KEYS[11] lb:creator:<cid>:day:<n>     KEYS[12] its :m
-- KEYS[13] lb:creator:<cid>:week:<n>    KEYS[14] its :m
-- KEYS[15] lb:creator:<cid>:all         KEYS[16] its :m
-- KEYS[17] battle:<bid>   KEYS[18] lb:battle:<bid>:<sid>   KEYS[19] its :m   (never touched when ARGV[14] is '')
-- ARGV[1] fingerprint   ARGV[2] idempotency TTL (ms)   ARGV[3] new gift event id   ARGV[4] sender id
-- ARGV[5] sender display name   ARGV[6] stream id   ARGV[7] catalog gift id   ARGV[8] gift name
-- ARGV[9] unit price (coins, from the catalog)   ARGV[10] count   ARGV[11] now (ms)   ARGV[12] streak gap (ms)
-- ARGV[13] the stream's creator id as the caller read it   ARGV[14] the stream's battle id as read ('' none)
-- ARGV[15] '1' when the rate limiter refused this sender   ARGV[16] UTC day number of now
-- Returns {'OK', combo, seq, walletCoins, walletHeld, battleId ('' none), creatorId}
--   | {'REPLAY', res} with res = JSON { id, coins, held }: the first gift's id (its record gift:<id> holds the rest)
--     and the wallet it left, as strings
--   | {'STALE'} (the stream's creator/battle differ from ARGV[13]/[14]: re-read and retry)
--   | {'IDEMPOTENCY_CONFLICT'} | {'NOT_FOUND'} | {'SELF_GIFT'} | {'STREAM_NOT_LIVE'} | {'INSUFFICIENT_FUNDS'}
--   | {'SPEND_LIMIT_EXCEEDED'} | {'RATE_LIMITED'}
-- Checks run in the contract's order, all before the first write. Safe to run twice: the idempotency record is
-- written in the same step, so a second run is a REPLAY of the first.
-- @include lib/idempotency.lua
-- @include lib/leaderboard.lua
-- @include lib/ints.lua

local prior = idem_check(KEYS[1], ARGV[1])
if prior then return prior end

local stream = redis.call('HMGET', KEYS[3], 'creatorId', 'status', 'battleId')
if not stream[1] then return { 'NOT_FOUND', 'No such stream.' } end
if stream[1] ~= ARGV[13] or (stream[3] or '') ~= ARGV[14] then return { 'STALE' } end
local sender, stream_id, now = ARGV[4], ARGV[6], tonumber(ARGV[11])
if stream[1] == sender then return { 'SELF_GIFT' } end
if stream[2] ~= 'live' then return { 'STREAM_NOT_LIVE' } end

local total = tonumber(ARGV[9]) * tonumber(ARGV[10])
local w = redis.call('HMGET', KEYS[2], 'coins', 'spentDay', 'spentToday', 'limit')
if int_of(w[1]) < total then return { 'INSUFFICIENT_FUNDS' } end
-- spentToday belongs to spentDay; a clock that reads an earlier day than the stored one counts into the stored day
local day, spent_day, spent_today = tonumber(ARGV[16]), int_of(w[2]), int_of(w[3])
if day > spent_day then spent_day, spent_today = day, 0 end
if w[4] and spent_today + total > tonumber(w[4]) then return { 'SPEND_LIMIT_EXCEEDED' } end
if ARGV[15] == '1' then return { 'RATE_LIMITED' } end

-- the battle this gift scores in, if its stream's battle is active now
local battle_id, score_field = '', nil
if ARGV[14] ~= '' then
  local b = redis.call('HMGET', KEYS[17], 'status', 'aStream', 'bStream', 'startedAt', 'endsAt')
  if b[1] == 'active' and now >= int_of(b[4]) and now < int_of(b[5]) then
    if b[2] == stream_id then score_field = 'aScore' elseif b[3] == stream_id then score_field = 'bScore' end
    if score_field then battle_id = ARGV[14] end
  end
end

-- writes: hold the coins, record the gift, queue it for settlement, count it everywhere
local coins_after = redis.call('HINCRBY', KEYS[2], 'coins', int_str(-total))
local held_after = redis.call('HINCRBY', KEYS[2], 'held', int_str(total))
redis.call('HSET', KEYS[2], 'spentDay', int_str(spent_day), 'spentToday', int_str(spent_today + total))
local seq = redis.call('INCR', KEYS[4])
local combo = redis.call('INCRBY', KEYS[5], ARGV[10])
redis.call('PEXPIRE', KEYS[5], ARGV[12])

local gift_id = ARGV[3]
redis.call('HSET', KEYS[6], 'id', gift_id, 'streamId', stream_id, 'senderId', sender, 'senderName', ARGV[5],
  'giftId', ARGV[7], 'giftName', ARGV[8], 'coins', ARGV[9], 'count', ARGV[10], 'totalCoins', int_str(total),
  'combo', int_str(combo), 'at', ARGV[11], 'creatorId', stream[1], 'seq', int_str(seq), 'status', 'held', 'battleId', battle_id)
redis.call('ZADD', KEYS[7], now, gift_id)
redis.call('ZADD', KEYS[8], int_str(seq), 'gift_sent:' .. gift_id)
redis.call('HINCRBY', KEYS[3], 'totalCoins', int_str(total))
redis.call('HINCRBY', KEYS[3], 'giftCount', 1)
lb_add(KEYS[9], KEYS[10], sender, total, seq)
lb_add(KEYS[11], KEYS[12], sender, total, seq)
lb_add(KEYS[13], KEYS[14], sender, total, seq)
lb_add(KEYS[15], KEYS[16], sender, total, seq)
if battle_id ~= '' then
  redis.call('HINCRBY', KEYS[17], score_field, int_str(total))
  lb_add(KEYS[18], KEYS[19], sender, total, seq)
end

-- the stored answer stays small (it is kept for the idempotency TTL): a replay reads the immutable gift record
idem_store(KEYS[1], ARGV[1], cjson.encode({ id = gift_id, coins = int_str(coins_after), held = int_str(held_after) }), ARGV[2])
return { 'OK', int_str(combo), int_str(seq), int_str(coins_after), int_str(held_after), battle_id, stream[1] }
