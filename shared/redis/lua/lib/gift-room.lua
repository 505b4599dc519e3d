-- lib/gift-room.lua: the room phase of gifts, called by gift-room-11.lua (one gift) and gift-room-batch-n.lua (the
-- gifts that arrived together). `gifts` is a list of { K, A }, each gift-room-11.lua's KEYS and ARGV (see its
-- header); the answer is one gift-room-11.lua reply per gift, in order.
--
-- Each gift is checked and answered in turn exactly as if it ran alone after the ones before it; what the gifts read
-- is read once per call (their verdicts, the target, their streaks, the goal) and what they count is written once at
-- the end, per key: the target's counters, each streak, each (board, sender) row (lib/leaderboard.lua, lb_adds), the
-- battle side's score, the goal. A call is one instant of Redis's clock (TIME once): the battle window is judged
-- at that instant for all its gifts, as it would be for gifts a moment apart. Nothing is written before every gift
-- is decided, so a call that fails (a Lua error) has written nothing and is safe to run again.
-- @include lib/leaderboard.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/streak.lua
-- @include lib/goal.lua
-- @include lib/webhook-event.lua

local TARGET_FIELDS = { 'creatorId', 'status', 'battleId', 'battleStartedAt', 'battleEndsAt', 'goalId', 'id', 'seq',
  'totalCoins', 'giftCount' }

-- A target (stream:<sid>) as read once per call, with the counters its accepted gifts have moved so far.
local function target_of(targets, k_target)
  local t = targets.by_key[k_target]
  if not t then
    local r = redis.call('HMGET', k_target, unpack(TARGET_FIELDS))
    t = { creator = r[1], status = r[2], battle_id = r[3] or '', battle_from = int_of(r[4]),
      battle_until = int_of(r[5]), goal_id = r[6] or '', id = r[7], seq = int_of(r[8]), total = int_of(r[9]),
      count = int_of(r[10]), counted = false }
    targets.by_key[k_target] = t
    targets.order[#targets.order + 1] = k_target
  end
  return t
end

local function room_gifts(gifts)
  local replies = {}
  local targets = { by_key = {}, order = {} }
  local streaks, goals, boards = streaks_new(), goals_new(), lb_adds_new()
  local sides, side_order = {}, {} -- battle side key -> score added
  local events = {} -- goal.reached webhook events, filed at the end
  local verdicts, verdict_order = {}, {} -- verdict key -> { JSON, TTL } stored by this call
  local now

  local k_verdicts = {}
  for i, g in ipairs(gifts) do k_verdicts[i] = g[1][1] end
  local stored = redis.call('MGET', unpack(k_verdicts))
  for i, g in ipairs(gifts) do
    if not stored[i] and g[2][1] == 'stream' then streaks_want(streaks, g[1][3], g[1][9], g[2][2], g[2][10]) end
  end
  streaks_fetch(streaks)

  local function store(k_verdict, v, ttl)
    if not verdicts[k_verdict] then verdict_order[#verdict_order + 1] = k_verdict end
    verdicts[k_verdict] = { cjson.encode(v), ttl }
  end

  local function room_gift(i, K, A)
    local k_verdict, k_target, k_streaks, k_board, k_board_m = K[1], K[2], K[3], K[4], K[5]
    local k_side, k_side_board, k_side_board_m, k_due, k_goal = K[6], K[7], K[8], K[9], K[10]
    local target_kind, sender, count, total = A[1], A[2], A[3], tonumber(A[4])
    local streak_gap, verdict_ttl, owner_as_read, battle_as_read = A[5], A[6], A[7], A[8]
    local sender_name, gift_id, gift_name, at, goal_as_read = A[9], A[10], A[11], tonumber(A[12]), A[13]
    local k_webhooks, event_id = K[11], A[14]

    local known = verdicts[k_verdict]
    local raw = known and known[1] or stored[i]
    if raw then
      local v = cjson.decode(raw)
      return { 'REPLAY', v.v, v.combo, v.battleId, v.seq, v.goalId or '', v.reached or '0' }
    end

    local function refuse(code)
      store(k_verdict, { v = code, combo = '0', battleId = '', seq = '0' }, verdict_ttl)
      return { code }
    end

    if target_kind ~= 'stream' then return refuse('NOT_FOUND') end
    local t = target_of(targets, k_target)
    if not t.creator then return refuse('NOT_FOUND') end
    if t.creator ~= owner_as_read then return { 'STALE' } end
    if t.battle_id ~= battle_as_read then return { 'STALE' } end
    if t.goal_id ~= goal_as_read then return { 'STALE' } end
    if t.creator == sender then return refuse('SELF_GIFT') end
    if t.status ~= 'live' then return refuse('STREAM_NOT_LIVE') end

    now = now or clock_ms()
    local battle_id = ''
    if battle_as_read ~= '' and now >= t.battle_from and now < t.battle_until then battle_id = battle_as_read end

    t.seq = t.seq + 1
    t.total = t.total + total
    t.count = t.count + 1
    t.counted = true
    local seq = t.seq
    local combo = streak_add(streaks, k_streaks, k_due, { sender = sender, sender_name = sender_name,
      gift_id = gift_id, gift_name = gift_name, count = tonumber(count), total = total, at = at,
      gap = tonumber(streak_gap) })
    lb_adds_put(boards, k_board, k_board_m, sender, total, seq)
    if battle_id ~= '' then
      if not sides[k_side] then side_order[#side_order + 1] = k_side end
      sides[k_side] = (sides[k_side] or 0) + total
      lb_adds_put(boards, k_side_board, k_side_board_m, sender, total, seq)
    end
    local goal_id, reached = '', '0'
    if goal_as_read ~= '' then
      local counted, now_reached, progress = goal_add(goals, k_goal, gift_id, total, at)
      if counted then goal_id = goal_as_read end
      if now_reached then
        reached = '1'
        -- the goal as it was reached: its progress grows with later gifts, the event shows this moment's
        local snap = { streamId = t.id, progressCoins = int_str(progress) }
        events[#events + 1] = { k_webhooks, event_id, goal_as_read, snap }
      end
    end
    store(k_verdict, { v = 'OK', combo = int_str(combo), battleId = battle_id, seq = int_str(seq), goalId = goal_id,
      reached = reached }, verdict_ttl)
    return { 'OK', int_str(combo), battle_id, int_str(seq), goal_id, reached }
  end

  for i, g in ipairs(gifts) do replies[i] = room_gift(i, g[1], g[2]) end

  for _, k_target in ipairs(targets.order) do
    local t = targets.by_key[k_target]
    if t.counted then
      redis.call('HSET', k_target, 'seq', int_str(t.seq), 'totalCoins', int_str(t.total), 'giftCount',
        int_str(t.count))
    end
  end
  streaks_write(streaks)
  lb_adds_write(boards)
  for _, k_side in ipairs(side_order) do redis.call('HINCRBY', k_side, 'score', int_str(sides[k_side])) end
  goals_write(goals)
  for _, e in ipairs(events) do webhook_event(e[1], e[2], 'goal.reached', e[3], now, e[4]) end
  for _, k_verdict in ipairs(verdict_order) do
    local v = verdicts[k_verdict]
    redis.call('SET', k_verdict, v[1], 'PX', v[2])
  end
  return replies
end
