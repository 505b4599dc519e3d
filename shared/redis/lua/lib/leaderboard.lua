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
