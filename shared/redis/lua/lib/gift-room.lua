-- lib/gift-room.lua: the room phase of one gift, called by gift-room-11.lua (one gift) and gift-room-batch-n.lua (the
-- gifts of one room that arrived together). K and A are gift-room-11.lua's KEYS and ARGV (see its header); the answer
-- is its reply.
-- @include lib/leaderboard.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/streak.lua
-- @include lib/goal.lua
-- @include lib/webhook-event.lua

local function room_gift(K, A)
  local k_verdict, k_target, k_streaks, k_board, k_board_m = K[1], K[2], K[3], K[4], K[5]
  local k_side, k_side_board, k_side_board_m, k_due, k_goal = K[6], K[7], K[8], K[9], K[10]
  local target_kind, sender, count, total = A[1], A[2], A[3], tonumber(A[4])
  local streak_gap, verdict_ttl, owner_as_read, battle_as_read = A[5], A[6], A[7], A[8]
  local sender_name, gift_id, gift_name, at, goal_as_read = A[9], A[10], A[11], tonumber(A[12]), A[13]
  local k_webhooks, event_id = K[11], A[14]

  local stored = redis.call('GET', k_verdict)
  if stored then
    local v = cjson.decode(stored)
    return { 'REPLAY', v.v, v.combo, v.battleId, v.seq, v.goalId or '', v.reached or '0' }
  end

  local function refuse(code)
    redis.call('SET', k_verdict, cjson.encode({ v = code, combo = '0', battleId = '', seq = '0' }), 'PX', verdict_ttl)
    return { code }
  end

  if target_kind ~= 'stream' then return refuse('NOT_FOUND') end
  local t = redis.call('HMGET', k_target, 'creatorId', 'status', 'battleId', 'battleStartedAt', 'battleEndsAt',
    'goalId')
  if not t[1] then return refuse('NOT_FOUND') end
  if t[1] ~= owner_as_read then return { 'STALE' } end
  if (t[3] or '') ~= battle_as_read then return { 'STALE' } end
  if (t[6] or '') ~= goal_as_read then return { 'STALE' } end
  if t[1] == sender then return refuse('SELF_GIFT') end
  if t[2] ~= 'live' then return refuse('STREAM_NOT_LIVE') end

  local now = clock_ms()
  local battle_id = ''
  if battle_as_read ~= '' and now >= int_of(t[4]) and now < int_of(t[5]) then battle_id = battle_as_read end

  local seq = redis.call('HINCRBY', k_target, 'seq', 1)
  local combo = streak_add(k_streaks, k_due, { sender = sender, sender_name = sender_name, gift_id = gift_id,
    gift_name = gift_name, count = tonumber(count), total = total, at = at, gap = tonumber(streak_gap) })
  redis.call('HINCRBY', k_target, 'totalCoins', int_str(total))
  redis.call('HINCRBY', k_target, 'giftCount', 1)
  lb_add(k_board, k_board_m, sender, total, seq)
  if battle_id ~= '' then
    redis.call('HINCRBY', k_side, 'score', int_str(total))
    lb_add(k_side_board, k_side_board_m, sender, total, seq)
  end
  local goal_id, reached = '', '0'
  if goal_as_read ~= '' then
    local counted, now_reached = goal_add(k_goal, gift_id, total, at)
    if counted then goal_id = goal_as_read end
    if now_reached then
      reached = '1'
      -- the goal as it was reached: its progress grows with later gifts, the event shows this moment's
      webhook_event(k_webhooks, event_id, 'goal.reached', goal_as_read, now,
        { streamId = redis.call('HGET', k_target, 'id'), progressCoins = redis.call('HGET', k_goal, 'progressCoins') })
    end
  end
  redis.call('SET', k_verdict, cjson.encode({ v = 'OK', combo = int_str(combo), battleId = battle_id,
    seq = int_str(seq), goalId = goal_id, reached = reached }), 'PX', verdict_ttl)
  return { 'OK', int_str(combo), battle_id, int_str(seq), goal_id, reached }
end
