-- creator-rank: counts settled gifts on the creator rankings of each of their periods (a platform index, all periods
-- in one slot), or takes voided ones back off them, once per gift event id. One call carries many gifts (a
-- settlement job's): each gift costs its marker, and each board one row update per creator, whatever the gifts.
-- KEYS: counted:<giftEventId> of each gift (its marker: '1' counted, 'u' taken back), then per period of the call:
--   its seq, its board, its :m (creator id -> member)
-- ARGV[1] 'add' | 'sub'   ARGV[2] marker TTL (ms)   ARGV[3] gifts (n)   ARGV[4] periods (p)
-- ARGV[5 .. 4+p] when each period's board expires (ms since the epoch; '' never)
-- then per gift: creator id, coins, and the indexes (1..p) of its five periods (7 arguments)
-- Returns one reply per gift: {'OK'} | {'REPLAY'} (counted before; or, for 'sub', taken back before or never counted:
-- the marker then says 'u', so a late 'add' counts nothing). Safe to run twice.
-- The boards end exactly as counting the gifts one by one would leave them: a creator's row is updated once per call
-- with the sum of its counted gifts, and creators take their seqs in the order of their last gift in the call, so ties
-- still go to whoever got there first.
-- @include lib/leaderboard.lua
local op, marker_ttl, n, p = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local PER_GIFT = 7
if #KEYS ~= n + 3 * p or #ARGV ~= 4 + p + PER_GIFT * n then
  return redis.error_reply('creator-rank: KEYS and ARGV do not hold whole gifts and periods')
end

-- per period: coins by creator, and creators in the order of their last counted gift
local sums, order = {}, {}
for j = 1, p do sums[j], order[j] = {}, {} end
local function tally(j, creator, coins)
  local s = sums[j]
  if s[creator] == nil then s[creator] = 0 else
    for x, c in ipairs(order[j]) do if c == creator then table.remove(order[j], x) break end end
  end
  s[creator] = s[creator] + coins
  table.insert(order[j], creator)
end

local replies = {}
for i = 1, n do
  local a = 4 + p + (i - 1) * PER_GIFT
  local k_marker, creator, coins = KEYS[i], ARGV[a + 1], tonumber(ARGV[a + 2])
  local counts
  if op == 'add' then
    counts = redis.call('SET', k_marker, '1', 'NX', 'PX', marker_ttl)
  else
    local marker = redis.call('GET', k_marker)
    counts = marker == '1'
    if counts then redis.call('SET', k_marker, 'u', 'KEEPTTL')
    elseif not marker then redis.call('SET', k_marker, 'u', 'PX', marker_ttl) end
  end
  if counts then
    for x = 3, PER_GIFT do tally(tonumber(ARGV[a + x]), creator, coins) end
    replies[i] = { 'OK' }
  else
    replies[i] = { 'REPLAY' }
  end
end

for j = 1, p do
  local k_seq, k_board, k_members = KEYS[n + 3 * j - 2], KEYS[n + 3 * j - 1], KEYS[n + 3 * j]
  local expires = ARGV[4 + j]
  if #order[j] > 0 then
    for _, creator in ipairs(order[j]) do
      if op == 'add' then
        local _, is_new = lb_add(k_board, k_members, creator, sums[j][creator], redis.call('INCR', k_seq))
        if is_new then lb_expire(k_board, k_members, expires) end
      else
        lb_sub(k_board, k_members, creator, sums[j][creator])
      end
    end
    if op == 'add' then
      -- the period's counter goes with its board (a period tag is never written again once its retention ends)
      if expires ~= '' then redis.call('PEXPIREAT', k_seq, expires) end
    elseif redis.call('EXISTS', k_board) == 1 then
      lb_expire(k_board, k_members, expires)
    end
  end
end
return replies
