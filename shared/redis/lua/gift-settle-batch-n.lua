-- gift-settle-batch: gift-settle-4.lua for several gifts in one call (a settlement job's gifts of one user shard, in
-- its slot; on a single Redis, of any), each once per gift event id exactly as gift-settle-4.lua would settle it alone.
-- KEYS: gift-settle-4.lua's 4 KEYS of each gift, one gift after the other
-- ARGV[1] keys per gift (4)   ARGV[2] arguments per gift (4)   then gift-settle-4.lua's ARGV of each gift
-- Returns one gift-settle-4.lua reply per gift, in order.
-- @include lib/gift-settle.lua
-- @include lib/batch.lua

local items, err = batch_items()
if not items then return err end
return settle_gifts(items)
