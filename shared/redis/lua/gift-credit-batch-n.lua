-- gift-credit-batch: gift-credit-4.lua for several gifts in one call (a settlement job's gifts of one creator, in
-- its slot; on a single Redis, of any), each once per gift event id exactly as gift-credit-4.lua would credit it alone.
-- KEYS and ARGV: gift-credit-4.lua's 4 KEYS and 6 ARGV of each gift, packed as lib/batch.lua says
-- Returns one gift-credit-4.lua reply per gift, in order.
-- @include lib/gift-credit.lua
-- @include lib/batch.lua

local items, err = batch_items()
if not items then return err end
return credit_gifts(items)
