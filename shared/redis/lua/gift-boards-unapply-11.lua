-- gift-boards-unapply: takes a voided gift back off its creator's hour, day, week, month and all-time boards, in the
-- creator's slot, once per gift event id. A gift never counted there gets the marker, so gift-boards never counts it
-- later.
-- KEYS[1] counted:<giftEventId> (the marker: '1' counted, 'u' taken back)
-- KEYS[2] lb:hour:<n>   KEYS[3] its :m   KEYS[4] lb:day:<n>   KEYS[5] its :m   KEYS[6] lb:week:<n>   KEYS[7] its :m
-- KEYS[8] lb:month:<n>   KEYS[9] its :m   KEYS[10] lb:all   KEYS[11] its :m
-- ARGV[1] sender id   ARGV[2] total coins   ARGV[3] marker TTL (ms)
-- ARGV[4..7] when the hour, day, week and month boards expire (ms since the epoch)
-- Returns {'OK'} | {'REPLAY'} (taken back before, or never counted). Safe to run twice.
-- @include lib/leaderboard.lua
local k_marker = KEYS[1]
local sender, total, marker_ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]

local marker = redis.call('GET', k_marker)
if marker ~= '1' then
  if not marker then redis.call('SET', k_marker, 'u', 'PX', marker_ttl) end
  return { 'REPLAY' }
end
for i = 0, 4 do
  local board, members = KEYS[2 + 2 * i], KEYS[3 + 2 * i]
  lb_sub(board, members, sender, total)
  -- a row that left and came back made a new key: the period's expiry again (no-op on keys that are gone)
  if redis.call('EXISTS', board) == 1 then lb_expire(board, members, ARGV[4 + i]) end
end
redis.call('SET', k_marker, 'u', 'KEEPTTL')
return { 'OK' }
