-- gift-boards-unapply: takes a voided gift back off its creator's day, week and all-time boards, in the creator's
-- slot, once per gift event id. A gift never counted there gets the marker, so gift-boards never counts it later.
-- KEYS[1] counted:<giftEventId> (the marker: '1' counted, 'u' taken back)   KEYS[2] lb:day:<n>   KEYS[3] its :m
-- KEYS[4] lb:week:<n>   KEYS[5] its :m   KEYS[6] lb:all   KEYS[7] its :m
-- ARGV[1] sender id   ARGV[2] total coins   ARGV[3] marker TTL (ms)
-- Returns {'OK'} | {'REPLAY'} (taken back before, or never counted). Safe to run twice.
-- @include lib/leaderboard.lua
local k_marker = KEYS[1]
local sender, total, marker_ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]


local marker = redis.call('GET', k_marker)
if marker ~= '1' then
  if not marker then redis.call('SET', k_marker, 'u', 'PX', marker_ttl) end
  return { 'REPLAY' }
end
lb_sub(KEYS[2], KEYS[3], sender, total)
lb_sub(KEYS[4], KEYS[5], sender, total)
lb_sub(KEYS[6], KEYS[7], sender, total)
redis.call('SET', k_marker, 'u', 'KEEPTTL')
return { 'OK' }
