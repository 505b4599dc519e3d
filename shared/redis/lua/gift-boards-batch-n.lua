-- gift-boards-batch: the boards step (gift-boards-12.lua) of several gifts of one creator in one call, in the
-- creator's slot, each once per gift event id exactly as gift-boards-12.lua would count it alone.
-- KEYS and ARGV: gift-boards-12.lua's 12 KEYS and 7 ARGV of each gift, packed as lib/batch.lua says
-- Returns one gift-boards-12.lua reply per gift, in order: {'OK'} | {'REPLAY'}.
-- The call writes each (board, sender) row once for all its gifts (see lib/gift-boards.lua).
-- @include lib/gift-boards.lua
-- @include lib/batch.lua

local gifts, err = batch_items()
if not gifts then return err end
return boards_gifts(gifts)
