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
-- @include lib/gift-boards.lua

return boards_gifts({ { KEYS, ARGV } })[1]
