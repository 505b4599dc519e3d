-- lib/gift-credit.lua: the creator's half of gifts' settlement, called by gift-credit-4.lua (one gift) and
-- gift-credit-batch-n.lua (a settlement job's gifts). Each item is { K, A }: gift-credit-4.lua's KEYS and ARGV for
-- one gift (see its header); the answer is one gift-credit-4.lua reply per item. A creator's wallet is read once and
-- written once per call, whatever the number of its gifts; each gift gets the diamonds, record and history entry it
-- would get alone (the fraction carries from gift to gift, in order).
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua

local CREDIT_WALLET_FIELDS = { 'received', 'diamondsEarned', 'diamonds', 'txSeq' }

local function credit_gifts(items)
  local wallets, replies, now = wallets_new(), {}, clock_ms()
  for i, item in ipairs(items) do
    local K, A = item[1], item[2]
    local k_credit, k_wallet, k_txs, k_hold = K[1], K[2], K[3], K[4]
    local gift_event_id, sender, total = A[1], A[2], int_of(A[3])
    local num, den, hold_ms = tonumber(A[4]), tonumber(A[5]), int_of(A[6])
    local prior = redis.call('HMGET', k_credit, 'diamonds', 'fenced')
    if prior[1] then
      replies[i] = { 'REPLAY', prior[1] }
    elseif prior[2] then
      replies[i] = { 'STALE', 'fenced' }
    else
      local w = wallet_of(wallets, k_wallet, CREDIT_WALLET_FIELDS)
      local diamonds = floor_mul_div(w.received + total, num, den) - floor_mul_div(w.received, num, den)
      w.received = w.received + total
      w.diamondsEarned = w.diamondsEarned + diamonds
      w.diamonds = w.diamonds + diamonds
      w.txSeq = w.txSeq + 1
      w.dirty = true
      redis.call('HSET', k_credit, 'totalCoins', int_str(total), 'diamonds', int_str(diamonds),
        'settledAt', int_str(now), 'senderId', sender)
      if hold_ms > 0 and diamonds > 0 then
        redis.call('ZADD', k_hold, int_str(now + hold_ms), gift_event_id .. ':' .. int_str(diamonds))
      end
      -- the history entry, as history_add files it (the wallet's txSeq is written with the rest below)
      redis.call('ZADD', k_txs, w.txSeq, 'gift_received:' .. gift_event_id)
      replies[i] = { 'OK', int_str(diamonds) }
    end
  end
  wallets_write(wallets)
  return replies
end
