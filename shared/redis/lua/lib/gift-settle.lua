-- lib/gift-settle.lua: the sender's half of gifts' settlement, called by gift-settle-4.lua (one gift) and
-- gift-settle-batch-n.lua (a settlement job's gifts). Each item is { K, A }: gift-settle-4.lua's KEYS and ARGV for
-- one gift (see its header); the answer is one gift-settle-4.lua reply per item. A sender's wallet is read once and
-- written once per call, whatever the number of its gifts.
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/wallet.lua
-- @include lib/webhook-event.lua

local SETTLE_WALLET_FIELDS = { 'held', 'spent' }

local function settle_gifts(items)
  local wallets, replies, now = wallets_new(), {}, clock_ms()
  for i, item in ipairs(items) do
    local K, A = item[1], item[2]
    local k_gift, k_wallet, k_outbox, k_webhooks = K[1], K[2], K[3], K[4]
    local gift_event_id, sender, diamonds, event_id = A[1], A[2], A[3], A[4]
    local g = redis.call('HMGET', k_gift, 'status', 'senderId', 'totalCoins', 'diamonds')
    local w = g[1] == 'held' and g[2] == sender and wallet_of(wallets, k_wallet, SETTLE_WALLET_FIELDS)
    if not g[1] then
      replies[i] = { 'NOT_FOUND', 'No such gift.' }
    elseif g[1] ~= 'held' then
      replies[i] = { 'REPLAY', g[1], int_str(int_of(g[4])) }
    elseif g[2] ~= sender then
      replies[i] = { 'STALE' }
    elseif w.held < int_of(g[3]) then
      replies[i] = { 'INTERNAL', 'The sender\'s held coins are below this gift: reconcile.' }
    else
      local total = int_of(g[3])
      w.held = w.held - total
      w.spent = w.spent + total
      w.dirty = true
      redis.call('HSET', k_gift, 'status', 'settled', 'settledAt', int_str(now), 'diamonds', diamonds)
      redis.call('ZREM', k_outbox, gift_event_id)
      webhook_event(k_webhooks, event_id, 'gift.settled', gift_event_id, now)
      replies[i] = { 'OK' }
    end
  end
  wallets_write(wallets)
  return replies
end
