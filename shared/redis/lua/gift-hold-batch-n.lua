-- gift-hold-batch: the wallet phase (gift-hold-6.lua) of several gifts of one user shard in one call, in that shard's
-- slot, in order: each gift is checked, held and answered exactly as gift-hold-6.lua would alone (two sends racing for
-- a user's last coin inside one batch: the first takes it, the second is INSUFFICIENT_FUNDS).
-- KEYS: gift-hold-6.lua's 6 KEYS of each gift, one gift after the other
-- ARGV[1] keys per gift (6)   ARGV[2] arguments per gift (14)   then gift-hold-6.lua's ARGV of each gift
-- Returns one gift-hold-6.lua reply per gift, in order.
-- The call is one instant of Redis's clock (TIME once; see lib/gift-hold.lua).
-- @include lib/gift-hold.lua
-- @include lib/batch.lua

return batch_each(hold_gift)
