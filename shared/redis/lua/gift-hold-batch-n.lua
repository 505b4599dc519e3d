-- gift-hold-batch: the wallet phase (gift-hold-6.lua) of several gifts of one user shard in one call, in that shard's
-- slot, in order: each gift is checked, held and answered exactly as gift-hold-6.lua would alone (two sends racing for
-- a user's last coin inside one batch: the first takes it, the second is INSUFFICIENT_FUNDS).
-- KEYS and ARGV: gift-hold-6.lua's 6 KEYS and 14 ARGV of each gift, packed as lib/batch.lua says
-- Returns one gift-hold-6.lua reply per gift, in order.
-- The call is one instant of Redis's clock (TIME once; see lib/gift-hold.lua).
-- @include lib/gift-hold.lua
-- @include lib/batch.lua

return batch_each(hold_gift)
