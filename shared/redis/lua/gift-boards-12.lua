-- gift-boards: counts a gift on its creator's hour, day, week, month and all-time boards, in the creator's slot, once
-- per gift event id. Runs after the room phase accepted the gift (the ack waits for it; the settlement finishes it
-- when the process died before it). The period keys come from the gift's `at`, which Redis TIME decided; each period
-- board and its members hash expire when the period's retention ends (set here, in the step that writes them).
-- KEYS[1] counted:<giftEventId> (the marker)   KEYS[2] the creator's seq
-- KEYS[3] lb:hour:<n>   KEYS[4] its :m   KEYS[5] lb:day:<n>   KEYS[6] its :m   KEYS[7] lb:week:<n>   KEYS[8] its :m
-- KEYS[9] lb:month:<n>   KEYS[10] its :m   KEYS[11] lb:all   KEYS[12] its :m
-- ARGV[1] sender id   ARGV[2] total coins   ARGV[3] marker TTL (ms)
-- ARGV[4..7] when the hour, day, week and month boards expire (ms since the epoch)
-- Returns {'OK'} | {'REPLAY'} (already counted, or taken back before: nothing changes). Safe to run twice.
-- @include lib/leaderboard.lua

local k_marker, k_seq = KEYS[1], KEYS[2]
local k_hour, k_hour_m, k_day, k_day_m, k_week, k_week_m = KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local k_month, k_month_m, k_all, k_all_m = KEYS[9], KEYS[10], KEYS[11], KEYS[12]
local sender, total, marker_ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local hour_exp, day_exp, week_exp, month_exp = ARGV[4], ARGV[5], ARGV[6], ARGV[7]

if not redis.call('SET', k_marker, '1', 'NX', 'PX', marker_ttl) then return { 'REPLAY' } end
local seq = redis.call('INCR', k_seq)
for _, b in ipairs({
  { k_hour, k_hour_m, hour_exp },
  { k_day, k_day_m, day_exp },
  { k_week, k_week_m, week_exp },
  { k_month, k_month_m, month_exp },
  { k_all, k_all_m, '' },
}) do
  local _, is_new = lb_add(b[1], b[2], sender, total, seq)
  if is_new then lb_expire(b[1], b[2], b[3]) end
end
return { 'OK' }
