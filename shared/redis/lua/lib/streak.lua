-- lib/streak.lua: the open streaks of a stream's room (docs/ARCHITECTURE.md, "Streak ends"). A streak of one
-- (sender, catalog gift) lives in the streaks HASH (field `<senderId>:<giftId>`, JSON state) with its deadline,
-- lastAt + gap, in the due ZSET under the same member; lua/streak-claim-3.lua takes due streaks out exactly once.
-- Needs lib/ints.lua.
--
-- The room phase counts the gifts of one script call together (a gift war sends the same gift again and again): each
-- streak it touches is read once (streaks_fetch) and written once (streaks_write), however many gifts it counted.
-- `s` = streaks_new() holds them meanwhile.

local function streaks_new()
  return { hashes = {}, order = {} }
end

local function streaks_of(s, k_streaks, k_due)
  local h = s.hashes[k_streaks]
  if not h then
    -- st: field -> state (false: none); raw: field -> its JSON as stored, while unchanged; gap: field -> the gap of
    -- the last gift counted in it (its deadline is lastAt + gap)
    h = { due = k_due, st = {}, raw = {}, gap = {}, wanted = {}, closed = {}, dirty = {} }
    s.hashes[k_streaks] = h
    s.order[#s.order + 1] = k_streaks
  end
  return h
end

-- Says that a gift of `sender` and `gift_id` may count in this stream's streaks: streaks_fetch reads them together.
local function streaks_want(s, k_streaks, k_due, sender, gift_id)
  local h = streaks_of(s, k_streaks, k_due)
  local field = sender .. ':' .. gift_id
  if h.st[field] == nil and not h.wanted[field] then
    h.wanted[field] = true
    h.wanted[#h.wanted + 1] = field
  end
end

-- Reads every wanted streak, one HMGET per streaks hash.
local function streaks_fetch(s)
  for _, k_streaks in ipairs(s.order) do
    local h = s.hashes[k_streaks]
    if #h.wanted > 0 then
      local raws = redis.call('HMGET', k_streaks, unpack(h.wanted))
      for i, field in ipairs(h.wanted) do
        local raw = raws[i]
        h.st[field] = raw and cjson.decode(raw) or false
        h.raw[field] = raw or nil
      end
      h.wanted = {}
    end
  end
end

-- Counts one gift in its streak and moves the streak's deadline; returns the streak's combo after this gift.
-- `g` = { sender, sender_name, gift_id, gift_name, count, total, at, gap } (numbers for count, total, at, gap).
-- A streak whose deadline is at or before this gift's `at` is over even when no poller took it yet: it stays due
-- under a member of its own (suffixed by its first gift's `at`), and this gift starts a new streak.
local function streak_add(s, k_streaks, k_due, g)
  local h = streaks_of(s, k_streaks, k_due)
  local field = g.sender .. ':' .. g.gift_id
  if h.st[field] == nil then
    local raw = redis.call('HGET', k_streaks, field)
    h.st[field] = raw and cjson.decode(raw) or false
    h.raw[field] = raw or nil
  end
  local st = h.st[field] or nil
  if st and int_of(st.lastAt) + g.gap <= g.at then
    local closed = field .. ':' .. st.firstAt
    h.closed[#h.closed + 1] = { closed, h.raw[field] or cjson.encode(st), int_of(st.lastAt) + g.gap }
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
  if not h.gap[field] then h.dirty[#h.dirty + 1] = field end
  h.st[field], h.raw[field], h.gap[field] = st, nil, g.gap
  return combo
end

-- Writes what the gifts did: the streaks they closed (due under their own member) and the state and deadline of each
-- streak they counted in, one HSET and one ZADD per stream.
local function streaks_write(s)
  for _, k_streaks in ipairs(s.order) do
    local h = s.hashes[k_streaks]
    if #h.closed > 0 or #h.dirty > 0 then
      local hset, zadd = {}, {}
      local function put(member, raw, deadline)
        hset[#hset + 1] = member
        hset[#hset + 1] = raw
        zadd[#zadd + 1] = deadline
        zadd[#zadd + 1] = member
      end
      for _, c in ipairs(h.closed) do put(c[1], c[2], c[3]) end
      for _, field in ipairs(h.dirty) do
        local st = h.st[field]
        put(field, cjson.encode(st), int_of(st.lastAt) + h.gap[field])
      end
      redis.call('HSET', k_streaks, unpack(hset))
      redis.call('ZADD', h.due, unpack(zadd))
    end
  end
end
