-- lib/gift-credit.lua: the creator's half of a gift's settlement, called by gift-credit-4.lua (one gift)
-- and gift-credit-batch-n.lua (a settlement job's gifts of one creator). K and A are gift-credit-4.lua's KEYS
-- and ARGV (see its header); the answer is its reply.
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua

local function credit_gift(K, A)
  local k_credit, k_wallet, k_txs, k_hold = K[1], K[2], K[3], K[4]
  local gift_event_id, sender, total = A[1], A[2], int_of(A[3])
  local num, den, hold_ms = tonumber(A[4]), tonumber(A[5]), int_of(A[6])

  local prior = redis.call('HGET', k_credit, 'diamonds')
  if prior then return { 'REPLAY', prior } end
  if redis.call('HEXISTS', k_credit, 'fenced') == 1 then return { 'STALE', 'fenced' } end

  local received = int_of(redis.call('HGET', k_wallet, 'received'))
  local diamonds = floor_mul_div(received + total, num, den) - floor_mul_div(received, num, den)
  redis.call('HINCRBY', k_wallet, 'received', int_str(total))
  redis.call('HINCRBY', k_wallet, 'diamondsEarned', int_str(diamonds))
  redis.call('HINCRBY', k_wallet, 'diamonds', int_str(diamonds))
  local now = clock_ms()
  redis.call('HSET', k_credit, 'totalCoins', int_str(total), 'diamonds', int_str(diamonds),
    'settledAt', int_str(now), 'senderId', sender)
  if hold_ms > 0 and diamonds > 0 then
    redis.call('ZADD', k_hold, int_str(now + hold_ms), gift_event_id .. ':' .. int_str(diamonds))
  end
  history_add(k_wallet, k_txs, 'gift_received:' .. gift_event_id)
  return { 'OK', int_str(diamonds) }
end
