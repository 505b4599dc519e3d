-- gift-settle-batch: gift-settle-4.lua for several gifts in one call (a settlement job's gifts of one user shard, in
-- its slot; on a single Redis, of any), each once per gift event id exactly as gift-settle-4.lua would settle it alone.
-- KEYS and ARGV: gift-settle-4.lua's 4 KEYS and 4 ARGV of each gift, packed as lib/batch.lua says
-- Returns one gift-settle-4.lua reply per gift, in order.
-- @include lib/gift-settle.lua
-- @include lib/batch.lua

local items, err = batch_items()
if not items then return err end
return settle_gifts(items)
