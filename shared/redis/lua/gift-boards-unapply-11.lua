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
local k_hour, k_hour_m, k_day, k_day_m, k_week, k_week_m = KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local k_month, k_month_m, k_all, k_all_m = KEYS[8], KEYS[9], KEYS[10], KEYS[11]
local sender, total, marker_ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local hour_exp, day_exp, week_exp, month_exp = ARGV[4], ARGV[5], ARGV[6], ARGV[7]

local marker = redis.call('GET', k_marker)
if marker ~= '1' then
  if not marker then redis.call('SET', k_marker, 'u', 'PX', marker_ttl) end
  return { 'REPLAY' }
end
for _, b in ipairs({
  { k_hour, k_hour_m, hour_exp },
  { k_day, k_day_m, day_exp },
  { k_week, k_week_m, week_exp },
  { k_month, k_month_m, month_exp },
  { k_all, k_all_m, '' },
}) do
  lb_sub(b[1], b[2], sender, total)
  -- a row that left and came back made a new key: the period's expiry again (nothing to do on a key that is gone)
  if redis.call('EXISTS', b[1]) == 1 then lb_expire(b[1], b[2], b[3]) end
end
redis.call('SET', k_marker, 'u', 'KEEPTTL')
return { 'OK' }
