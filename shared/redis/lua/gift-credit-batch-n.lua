-- gift-credit-batch: gift-credit-4.lua for several gifts in one call (a settlement job's gifts of one creator, in
-- its slot; on a single Redis, of any), each once per gift event id exactly as gift-credit-4.lua would credit it alone.
-- KEYS: gift-credit-4.lua's 4 KEYS of each gift, one gift after the other
-- ARGV[1] keys per gift (4)   ARGV[2] arguments per gift (6)   then gift-credit-4.lua's ARGV of each gift
-- Returns one gift-credit-4.lua reply per gift, in order.
-- @include lib/gift-credit.lua
-- @include lib/batch.lua

local items, err = batch_items()
if not items then return err end
return credit_gifts(items)
