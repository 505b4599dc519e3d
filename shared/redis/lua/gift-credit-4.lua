-- gift-credit: the creator's half of settling a gift, in the creator's slot, once per gift event id: the creator
-- receives the coins and the diamonds they earn (the fraction carries:
-- diamonds = floor((received + t) * num / den) - floor(received * num / den)), and their history gets the entry.
-- KEYS[1] credit:<giftEventId> (the creator's record of it; its existence is the marker)   KEYS[2] wallet:<creator>
-- KEYS[3] txs:<creator>   KEYS[4] earnings:hold:<creator>
-- ARGV[1] gift event id   ARGV[2] sender id   ARGV[3] total coins   ARGV[4] rate numerator   ARGV[5] rate denominator
-- ARGV[6] earnings hold (ms): the diamonds become withdrawable that long after now (0: at once)
-- Returns {'OK', diamonds} | {'REPLAY', diamonds} (credited before: nothing moves)
--   | {'STALE', 'fenced'} (a chargeback is voiding this gift: it must never be credited). Safe to run twice.
-- @include lib/gift-credit.lua

return credit_gifts({ { KEYS, ARGV } })[1]
