-- gift-settle: the sender's half of settling a gift, in the sender's slot, after gift-credit credited the creator:
-- the held coins become spent, the gift is marked settled (with the diamonds it earned) and leaves the outbox.
-- KEYS[1] gift:<giftEventId>   KEYS[2] wallet:<sender>   KEYS[3] outbox (the shard)
-- KEYS[4] webhooks:outbox (the shard: `gift.settled` is filed there)
-- ARGV[1] gift event id   ARGV[2] sender id   ARGV[3] diamonds the creator was credited   ARGV[4] webhook event id
-- Returns {'OK'} | {'REPLAY', status, diamonds} (already settled or voided: nothing moves) | {'NOT_FOUND'}
--   | {'STALE'} (sender differs from the record) | {'INTERNAL', why} (held below the gift: a corrupted wallet, left
--   for reconciliation; nothing moves)
-- Safe to run twice: the gift's status is the settled marker.
-- @include lib/gift-settle.lua

return settle_gifts({ { KEYS, ARGV } })[1]
