-- lib/streak.lua: the open streaks of a stream's room (docs/ARCHITECTURE.md, "Streak ends"). A streak of one
-- (sender, catalog gift) lives in the streaks HASH (field `<senderId>:<giftId>`, JSON state) with its deadline,
-- lastAt + gap, in the due ZSET under the same member; lua/streak-claim-3.lua takes due streaks out exactly once.
-- Needs lib/ints.lua.

-- Counts one gift in its streak and moves the streak's deadline; returns the streak's combo after this gift.
-- `g` = { sender, sender_name, gift_id, gift_name, count, total, at, gap } (numbers for count, total, at, gap).
-- A streak whose deadline is at or before this gift's `at` is over even when no poller took it yet: it stays due
-- under a member of its own (suffixed by its first gift's `at`), and this gift starts a new streak.
local function streak_add(k_streaks, k_due, g)
  local field = g.sender .. ':' .. g.gift_id
  local raw = redis.call('HGET', k_streaks, field)
  local st = raw and cjson.decode(raw) or nil
  if st and int_of(st.lastAt) + g.gap <= g.at then
    local closed = field .. ':' .. st.firstAt
    redis.call('HSET', k_streaks, closed, raw)
    redis.call('ZADD', k_due, int_of(st.lastAt) + g.gap, closed)
    redis.call('ZREM', k_due, field)
    st = nil
  end
  if not st then
    st = { senderId = g.sender, senderName = g.sender_name, giftId = g.gift_id, giftName = g.gift_name,
      combo = '0', totalCoins = '0', firstAt = int_str(g.at), lastAt = int_str(g.at) }
  end
  local combo = int_of(st.combo) + g.count
  st.combo = int_str(combo)
  st.totalCoins = int_str(int_of(st.totalCoins) + g.total)
  if g.at > int_of(st.lastAt) then st.lastAt = int_str(g.at) end
  redis.call('HSET', k_streaks, field, cjson.encode(st))
  redis.call('ZADD', k_due, int_of(st.lastAt) + g.gap, field)
  return combo
end
