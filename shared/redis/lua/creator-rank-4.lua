-- creator-rank: counts a settled gift on the creator rankings of one period (a platform index, its own slot per
-- period), or takes a voided one back off it, once per gift event id.
-- KEYS[1] counted:<giftEventId> (the marker: '1' counted, 'u' taken back)   KEYS[2] the period's seq
-- KEYS[3] the period's board   KEYS[4] its :m (creator id -> member)
-- ARGV[1] 'add' | 'sub'   ARGV[2] creator id   ARGV[3] coins   ARGV[4] marker TTL (ms)
-- ARGV[5] when the period's board expires (ms since the epoch; '' never)
-- Returns {'OK'} | {'REPLAY'} (counted before; or, for 'sub', taken back before or never counted: the marker then
-- says 'u', so a late 'add' counts nothing). Safe to run twice.
-- @include lib/leaderboard.lua
local k_marker, k_seq, k_board, k_members = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op, creator, coins, marker_ttl, expires = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]

if op == 'add' then
  if not redis.call('SET', k_marker, '1', 'NX', 'PX', marker_ttl) then return { 'REPLAY' } end
  local _, is_new = lb_add(k_board, k_members, creator, coins, redis.call('INCR', k_seq))
  if is_new then lb_expire(k_board, k_members, expires) end
  -- the period's counter goes with its board (a period tag is never written again once its retention ends)
  if expires ~= '' then redis.call('PEXPIREAT', k_seq, expires) end
  return { 'OK' }
end

local marker = redis.call('GET', k_marker)
if marker ~= '1' then
  if not marker then redis.call('SET', k_marker, 'u', 'PX', marker_ttl) end
  return { 'REPLAY' }
end
lb_sub(k_board, k_members, creator, coins)
if redis.call('EXISTS', k_board) == 1 then lb_expire(k_board, k_members, expires) end
redis.call('SET', k_marker, 'u', 'KEEPTTL')
return { 'OK' }
