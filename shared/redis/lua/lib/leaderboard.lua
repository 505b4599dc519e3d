-- lib/leaderboard.lua: exact leaderboards (see docs/ARCHITECTURE.md, "Leaderboards").
-- A board is a zset whose members all score 0 and sort by text:
--   <15-digit (MAX - coins)>:<15-digit seq>:<userId>
-- so the most coins come first and ties go to whoever reached the score first (lower seq).
-- The hash <board>:m maps userId -> current member.

local LB_MAX = 999999999999999

local function lb_member(coins, seq, user_id)
  return string.format('%015d:%015d:%s', LB_MAX - coins, seq, user_id)
end

-- Coins of a member string.
local function lb_coins(member)
  return LB_MAX - tonumber(string.sub(member, 1, 15))
end

-- Adds `delta` coins to `user_id` on `board` (members hash `members`) at sequence `seq`; returns the new total and
-- whether the user is new on this board. The new member goes in before the old one leaves, so a board never empties
-- on the way and keeps its expiry: only a board's first row creates it.
local function lb_add(board, members, user_id, delta, seq)
  local old = redis.call('HGET', members, user_id)
  local total = delta
  if old then total = lb_coins(old) + delta end
  local m = lb_member(total, seq, user_id)
  redis.call('ZADD', board, 0, m)
  if old and old ~= m then redis.call('ZREM', board, old) end
  redis.call('HSET', members, user_id, m)
  return total, not old
end

-- Takes `delta` coins off `user_id`'s row on `board`, keeping its order (a voided gift taken back); a row left at
-- 0 or less leaves the board.
local function lb_sub(board, members, user_id, delta)
  local old = redis.call('HGET', members, user_id)
  if not old then return end
  local left = lb_coins(old) - delta
  if left <= 0 then
    redis.call('ZREM', board, old)
    redis.call('HDEL', members, user_id)
    return
  end
  local m = lb_member(left, tonumber(string.sub(old, 17, 31)), user_id)
  redis.call('ZADD', board, 0, m)
  if old ~= m then redis.call('ZREM', board, old) end
  redis.call('HSET', members, user_id, m)
end

-- Sets a period board and its members hash to expire at `at_ms` (absolute, so a rerun sets the same time); '' or
-- '0' leaves them as they are (all-time boards never expire). Called when a row is new on the board: that is when
-- the board or its hash may have been created (lb_add and lb_sub never empty a board on the way).
local function lb_expire(board, members, at_ms)
  if at_ms == nil or at_ms == '' or at_ms == '0' then return end
  redis.call('PEXPIREAT', board, at_ms)
  redis.call('PEXPIREAT', members, at_ms)
end

-- Rows added to boards by several gifts in one script, written once per (board, user) by lb_adds_write: a gift war's
-- top gifters send many gifts per batch, and each of them then costs one row update per board, not one per gift.
-- The board ends exactly as lb_add gift by gift leaves it: the user's coins summed, and the user's order (the tie
-- break) that of their last gift in the batch. `adds` = lb_adds_new(); a board's expiry (`expire_at`, as lb_expire
-- takes it) is set when a user is new on it, once per board.
local function lb_adds_new()
  return { boards = {}, order = {} }
end

local function lb_adds_put(adds, board, members, user_id, delta, seq, expire_at)
  local b = adds.boards[board]
  if not b then
    b = { members = members, expire_at = expire_at, users = {}, order = {} }
    adds.boards[board] = b
    adds.order[#adds.order + 1] = board
  end
  local u = b.users[user_id]
  if u then
    u.delta = u.delta + delta
    u.seq = seq
  else
    b.users[user_id] = { delta = delta, seq = seq }
    b.order[#b.order + 1] = user_id
  end
end

-- Writes the gathered rows: per board one HMGET of the users' members, then new members in before old ones out (as
-- lb_add: a board never empties on the way and keeps its expiry), then the members hash.
local function lb_adds_write(adds)
  for _, board in ipairs(adds.order) do
    local b = adds.boards[board]
    local olds = redis.call('HMGET', b.members, unpack(b.order))
    local zadd, zrem, hset, any_new = {}, {}, {}, false
    for i, user_id in ipairs(b.order) do
      local u, old = b.users[user_id], olds[i]
      local total = u.delta
      if old then total = lb_coins(old) + u.delta else any_new = true end
      local m = lb_member(total, u.seq, user_id)
      zadd[#zadd + 1] = 0
      zadd[#zadd + 1] = m
      if old and old ~= m then zrem[#zrem + 1] = old end
      hset[#hset + 1] = user_id
      hset[#hset + 1] = m
    end
    redis.call('ZADD', board, unpack(zadd))
    if #zrem > 0 then redis.call('ZREM', board, unpack(zrem)) end
    redis.call('HSET', b.members, unpack(hset))
    if any_new then lb_expire(board, b.members, b.expire_at) end
  end
end
