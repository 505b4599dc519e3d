-- lib/gift-settle.lua: the sender's half of a gift's settlement, called by gift-settle-4.lua (one gift)
-- and gift-settle-batch-n.lua (a settlement job's gifts of one user shard). K and A are gift-settle-4.lua's KEYS
-- and ARGV (see its header); the answer is its reply.
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/webhook-event.lua

local function settle_gift(K, A)
  local k_gift, k_wallet, k_outbox, k_webhooks = K[1], K[2], K[3], K[4]
  local gift_event_id, sender, diamonds, event_id = A[1], A[2], A[3], A[4]

  local g = redis.call('HMGET', k_gift, 'status', 'senderId', 'totalCoins', 'diamonds')
  if not g[1] then return { 'NOT_FOUND', 'No such gift.' } end
  if g[1] ~= 'held' then return { 'REPLAY', g[1], int_str(int_of(g[4])) } end
  if g[2] ~= sender then return { 'STALE' } end
  local total = int_of(g[3])
  if int_of(redis.call('HGET', k_wallet, 'held')) < total then
    return { 'INTERNAL', 'The sender\'s held coins are below this gift: reconcile.' }
  end

  redis.call('HINCRBY', k_wallet, 'held', int_str(-total))
  redis.call('HINCRBY', k_wallet, 'spent', int_str(total))
  local now = clock_ms()
  redis.call('HSET', k_gift, 'status', 'settled', 'settledAt', int_str(now), 'diamonds', diamonds)
  redis.call('ZREM', k_outbox, gift_event_id)
  webhook_event(k_webhooks, event_id, 'gift.settled', gift_event_id, now)
  return { 'OK' }
end
