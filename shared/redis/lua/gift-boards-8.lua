-- gift-boards: counts a gift on its creator's day, week and all-time boards, in the creator's slot, once per gift
-- event id. Runs after the room phase accepted the gift (the ack waits for it; the settlement finishes it when the
-- process died before it). The day and week keys come from the gift's `at`, which Redis TIME decided.
-- KEYS[1] counted:<giftEventId> (the marker)   KEYS[2] the creator's seq   KEYS[3] lb:day:<n>   KEYS[4] its :m
-- KEYS[5] lb:week:<n>   KEYS[6] its :m   KEYS[7] lb:all   KEYS[8] its :m
-- ARGV[1] sender id   ARGV[2] total coins   ARGV[3] marker TTL (ms)
-- Returns {'OK'} | {'REPLAY'} (already counted: nothing changes). Safe to run twice.
-- @include lib/leaderboard.lua

local k_marker, k_seq = KEYS[1], KEYS[2]
local k_day, k_day_m, k_week, k_week_m, k_all, k_all_m = KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local sender, total, marker_ttl = ARGV[1], tonumber(ARGV[2]), ARGV[3]

if not redis.call('SET', k_marker, '1', 'NX', 'PX', marker_ttl) then return { 'REPLAY' } end
local seq = redis.call('INCR', k_seq)
lb_add(k_day, k_day_m, sender, total, seq)
lb_add(k_week, k_week_m, sender, total, seq)
lb_add(k_all, k_all_m, sender, total, seq)
return { 'OK' }
