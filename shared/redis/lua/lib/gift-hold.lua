-- lib/gift-hold.lua: the wallet phase of one gift, called by gift-hold-6.lua (one gift) and gift-hold-batch-n.lua
-- (the gifts of one user shard that arrived together). K and A are gift-hold-6.lua's KEYS and ARGV (see its header);
-- the answer is its reply.
-- @include lib/idempotency.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua
-- @include lib/token-bucket.lua

-- A call is one instant of Redis's clock, as the room phase's is (lib/gift-room.lua): TIME is read once, by its first
-- gift that gets that far, and every gift it accepts has that `at` (the day, the bucket's refill and the outbox score
-- all follow it, as they would for gifts a moment apart).
local call_now

local function hold_gift(K, A)
  local k_idem, k_wallet, k_gift, k_outbox, k_txs, k_user = K[1], K[2], K[3], K[4], K[5], K[6]
  local fingerprint, idem_ttl, gift_event_id, sender = A[1], A[2], A[3], A[4]
  local target_kind, target_id, gift_id, gift_name = A[5], A[6], A[7], A[8]
  local unit_coins, count, owner, issued_at = A[9], A[10], A[11], A[12]
  local rate, burst = tonumber(A[13]), tonumber(A[14])

  local account = redis.call('HMGET', k_user, 'id', 'revokedAt', 'suspended', 'displayName')
  if not account[1] then return { 'UNAUTHORIZED', 'The token names no known user.' } end
  if issued_at ~= '' and tonumber(issued_at) <= int_of(account[2]) then
    return { 'UNAUTHORIZED', 'The token was revoked.' }
  end
  if account[3] == '1' then return { 'ACCOUNT_SUSPENDED' } end

  local prior = idem_check(k_idem, fingerprint)
  if prior then return prior end

  call_now = call_now or clock_ms()
  local now = call_now
  local total = tonumber(unit_coins) * tonumber(count)
  -- the wallet is read once and written once (its gift rate bucket included): the fewest commands in the hot path
  local w = redis.call('HMGET', k_wallet, 'coins', 'held', 'spentDay', 'spentToday', 'limit', 'txSeq',
    'giftRateLevel', 'giftRateAt')
  local coins = int_of(w[1])
  if coins < total then return { 'INSUFFICIENT_FUNDS' } end
  -- spentToday belongs to spentDay; both come from this Redis's clock, so a day is the same day for every server
  local day, spent_day, spent_today = clock_day(now), int_of(w[3]), int_of(w[4])
  if day > spent_day then spent_day, spent_today = day, 0 end
  if w[5] and spent_today + total > tonumber(w[5]) then return { 'SPEND_LIMIT_EXCEEDED' } end
  local level = bucket_level(w[7], w[8], now, rate, burst)
  if level < BUCKET_UNIT then return { 'RATE_LIMITED' } end

  local coins_after, held_after = int_str(coins - total), int_str(int_of(w[2]) + total)
  local at = int_str(now)
  local seq = history_add_next(k_txs, w[6], 'gift_sent:' .. gift_event_id)
  redis.call('HSET', k_wallet, 'coins', coins_after, 'held', held_after, 'spentDay', int_str(spent_day),
    'spentToday', int_str(spent_today + total), 'txSeq', int_str(seq),
    'giftRateLevel', int_str(bucket_take(level)), 'giftRateAt', at)
  local sender_name = account[4] or ''
  redis.call('HSET', k_gift, 'id', gift_event_id, 'targetKind', target_kind, 'streamId', target_id,
    'senderId', sender, 'senderName', sender_name, 'giftId', gift_id, 'giftName', gift_name, 'coins', unit_coins,
    'count', count, 'totalCoins', int_str(total), 'at', at, 'creatorId', owner, 'status', 'held')
  redis.call('ZADD', k_outbox, at, gift_event_id)

  -- the stored answer stays small (it is kept for the idempotency TTL): a replay reads the immutable gift record
  idem_store(k_idem, fingerprint, cjson.encode({ id = gift_event_id, coins = coins_after, held = held_after }), idem_ttl)
  return { 'OK', at, coins_after, held_after, sender_name }
end
