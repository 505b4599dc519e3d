-- lib/battle.lua: closing a battle (see docs/ARCHITECTURE.md, "Battles").
-- Every script that closes a battle uses battle_close, so every terminal state clears the same things:
-- the streams' battle pointers and windows (only when they still point here) and the battle's entry in battles:due.

-- KEYS of the caller, in this order: battle, stream A, stream B, battles:due.
local function battle_close(k_battle, k_stream_a, k_stream_b, k_due, battle_id, status, reason, at, winner)
  redis.call('HSET', k_battle, 'status', status, 'endedAt', at, 'endReason', reason)
  if winner then redis.call('HSET', k_battle, 'winnerStreamId', winner) end
  for _, k in ipairs({ k_stream_a, k_stream_b }) do
    if redis.call('HGET', k, 'battleId') == battle_id then
      redis.call('HSET', k, 'battleId', '', 'battleStartedAt', '', 'battleEndsAt', '')
    end
  end
  redis.call('ZREM', k_due, battle_id)
end

-- `now` of a battle transition: this Redis's clock, unless the caller names a moment (tests that replay a battle
-- whose window lies in the past pass one; no server path does).
local function battle_now(arg)
  if arg and arg ~= '' then return tonumber(arg) end
  return clock_ms()
end
