-- lib/goal.lua: a stream's goal (HASH id, streamId, title, targetCoins, giftId ('' every gift), progressCoins,
-- status active|reached|ended, createdAt, reachedAt), counted in the gift's room phase. Needs lib/ints.lua.

-- Adds an accepted gift to the goal when it counts there (the goal is not ended, the gift was accepted at or after
-- the goal's creation and is of the goal's gift when it names one). Returns counted, reached (true only for the
-- gift that first brings progressCoins to targetCoins: reachedAt is its `at`).
local function goal_add(k_goal, gift_id, total, at)
  local g = redis.call('HMGET', k_goal, 'status', 'giftId', 'createdAt', 'targetCoins')
  if not g[1] or g[1] == 'ended' then return false, false end
  if (g[2] or '') ~= '' and g[2] ~= gift_id then return false, false end
  if at < int_of(g[3]) then return false, false end
  local progress = redis.call('HINCRBY', k_goal, 'progressCoins', int_str(total))
  if g[1] == 'active' and progress >= int_of(g[4]) then
    redis.call('HSET', k_goal, 'status', 'reached', 'reachedAt', int_str(at))
    return true, true
  end
  return true, false
end
