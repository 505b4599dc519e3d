-- lib/battle.lua: closing a battle (see docs/ARCHITECTURE.md, "Battles").
-- Every script that closes a battle uses battle_close, so every terminal state clears the same things:
-- the streams' battleId pointers (only when they still point here) and the battle's entry in battles:due.

-- KEYS of the caller, in this order: battle, stream A, stream B, battles:due.
local function battle_close(k_battle, k_stream_a, k_stream_b, k_due, battle_id, status, reason, now, winner)
  redis.call('HSET', k_battle, 'status', status, 'endedAt', now, 'endReason', reason)
  if winner then redis.call('HSET', k_battle, 'winnerStreamId', winner) end
  for _, k in ipairs({ k_stream_a, k_stream_b }) do
    if redis.call('HGET', k, 'battleId') == battle_id then redis.call('HSET', k, 'battleId', '') end
  end
  redis.call('ZREM', k_due, battle_id)
end
