-- lib/battle.lua: closing a battle (see docs/ARCHITECTURE.md, "Battles").
-- Every script that closes a battle uses battle_close, so every terminal state is written the same way. The
-- streams' pointers and the battles:due entry live in other slots: the caller clears them afterwards, and does so
-- again whenever it meets a closed battle, so a crash in between is repaired by the next look.

local function battle_close(k_battle, status, reason, at, winner)
  redis.call('HSET', k_battle, 'status', status, 'endedAt', at, 'endReason', reason)
  if winner then redis.call('HSET', k_battle, 'winnerStreamId', winner) end
end

-- `now` of a battle transition: this Redis's clock, unless the caller names a moment (tests that replay a battle
-- whose window lies in the past pass one; no server path does).
local function battle_now(arg)
  if arg and arg ~= '' then return tonumber(arg) end
  return clock_ms()
end
