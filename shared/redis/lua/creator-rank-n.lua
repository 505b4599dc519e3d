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
-- The boards end exactly as counting the gifts one by one would leave them: each counted gift takes the next seq of
-- each of its periods (one INCRBY per period and call), and lb_adds (lib/leaderboard.lua) writes a creator's row once
-- per board and call, with the seq of its last gift, so ties still go to whoever got there first.
-- @include lib/leaderboard.lua
local op, marker_ttl, n, p = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local PER_GIFT = 7
if #KEYS ~= n + 3 * p or #ARGV ~= 4 + p + PER_GIFT * n then
  return redis.error_reply('creator-rank: KEYS and ARGV do not hold whole gifts and periods')
end
local function period_keys(j) return KEYS[n + 3 * j - 2], KEYS[n + 3 * j - 1], KEYS[n + 3 * j] end
local function period_of(a, x) return tonumber(ARGV[a + 2 + x]) end -- x = 1..5: the gift's hour .. all

local replies, counted, per_period = {}, {}, {}
for j = 1, p do per_period[j] = 0 end
for i = 1, n do
  local a = 4 + p + (i - 1) * PER_GIFT
  local k_marker = KEYS[i]
  if op == 'add' then
    if redis.call('SET', k_marker, '1', 'NX', 'PX', marker_ttl) then
      counted[#counted + 1] = a
      for x = 1, 5 do per_period[period_of(a, x)] = per_period[period_of(a, x)] + 1 end
      replies[i] = { 'OK' }
    else
      replies[i] = { 'REPLAY' }
    end
  else
    local marker = redis.call('GET', k_marker)
    if marker == '1' then
      for x = 1, 5 do
        local k_seq, k_board, k_members = period_keys(period_of(a, x))
        lb_sub(k_board, k_members, ARGV[a + 1], tonumber(ARGV[a + 2]))
        if redis.call('EXISTS', k_board) == 1 then lb_expire(k_board, k_members, ARGV[4 + period_of(a, x)]) end
      end
      redis.call('SET', k_marker, 'u', 'KEEPTTL')
      replies[i] = { 'OK' }
    else
      if not marker then redis.call('SET', k_marker, 'u', 'PX', marker_ttl) end
      replies[i] = { 'REPLAY' }
    end
  end
end
if op == 'sub' then return replies end

-- each period's next seqs, taken at once; the counted gifts take them in order
local next_seq = {}
for j = 1, p do
  if per_period[j] > 0 then
    local k_seq = period_keys(j)
    next_seq[j] = redis.call('INCRBY', k_seq, per_period[j]) - per_period[j] + 1
    -- the period's counter goes with its board (a period tag is never written again once its retention ends)
    if ARGV[4 + j] ~= '' then redis.call('PEXPIREAT', k_seq, ARGV[4 + j]) end
  end
end
local adds = lb_adds_new()
for _, a in ipairs(counted) do
  for x = 1, 5 do
    local j = period_of(a, x)
    local _, k_board, k_members = period_keys(j)
    lb_adds_put(adds, k_board, k_members, ARGV[a + 1], tonumber(ARGV[a + 2]), next_seq[j], ARGV[4 + j])
    next_seq[j] = next_seq[j] + 1
  end
end
lb_adds_write(adds)
return replies
