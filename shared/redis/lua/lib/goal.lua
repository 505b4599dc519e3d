-- lib/goal.lua: a stream's goal (HASH id, streamId, title, targetCoins, giftId ('' every gift), progressCoins,
-- status active|reached|ended, createdAt, reachedAt), counted in the gift's room phase. Needs lib/ints.lua.
-- The room phase counts the gifts of one script call together: each goal is read once and written once
-- (goals_write), `gs` = goals_new() holding it meanwhile.

local function goals_new()
  return { goals = {}, order = {} }
end

-- Adds an accepted gift to the goal when it counts there (the goal is not ended, the gift was accepted at or after
-- the goal's creation and is of the goal's gift when it names one). Returns counted, reached (true only for the
-- gift that first brings progressCoins to targetCoins: reachedAt is its `at`), and the progress after this gift.
local function goal_add(gs, k_goal, gift_id, total, at)
  local g = gs.goals[k_goal]
  if not g then
    local r = redis.call('HMGET', k_goal, 'status', 'giftId', 'createdAt', 'targetCoins', 'progressCoins')
    g = { status = r[1], gift_id = r[2] or '', created_at = int_of(r[3]), target = int_of(r[4]),
      progress = int_of(r[5]), counted = false }
    gs.goals[k_goal] = g
    gs.order[#gs.order + 1] = k_goal
  end
  if not g.status or g.status == 'ended' then return false, false end
  if g.gift_id ~= '' and g.gift_id ~= gift_id then return false, false end
  if at < g.created_at then return false, false end
  g.progress = g.progress + total
  g.counted = true
  if g.status == 'active' and g.progress >= g.target then
    g.status, g.reached_at = 'reached', at
    return true, true, g.progress
  end
  return true, false, g.progress
end

-- Writes the progress of every goal the gifts counted in, and the moment it was reached.
local function goals_write(gs)
  for _, k_goal in ipairs(gs.order) do
    local g = gs.goals[k_goal]
    if g.reached_at then
      redis.call('HSET', k_goal, 'progressCoins', int_str(g.progress), 'status', 'reached', 'reachedAt',
        int_str(g.reached_at))
    elseif g.counted then
      redis.call('HSET', k_goal, 'progressCoins', int_str(g.progress))
    end
  end
end
