-- gift-room-batch: the room phase (gift-room-11.lua) of several gifts to one room in one call, in the room's slot,
-- in order: each gift is checked, counted and answered exactly as gift-room-11.lua would alone (its own verdict,
-- idempotent by its own gift event id), so the gifts of a gift war cost one Redis call per batch, not per gift.
-- KEYS and ARGV: gift-room-11.lua's 11 KEYS and 14 ARGV of each gift, packed as lib/batch.lua says
-- Returns one gift-room-11.lua reply per gift, in order.
-- The call reads each key once and writes it once for all its gifts, and is one instant of Redis's clock (see
-- lib/gift-room.lua).
-- @include lib/gift-room.lua
-- @include lib/batch.lua

local gifts, err = batch_items()
if not gifts then return err end
return room_gifts(gifts)
