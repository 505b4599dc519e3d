-- gift-boards-batch: the boards step (gift-boards-12.lua) of several gifts of one creator in one call, in the
-- creator's slot, each once per gift event id exactly as gift-boards-12.lua would count it alone.
-- KEYS: gift-boards-12.lua's 12 KEYS of each gift, one gift after the other
-- ARGV[1] keys per gift (12)   ARGV[2] arguments per gift (7)   then gift-boards-12.lua's ARGV of each gift
-- Returns one gift-boards-12.lua reply per gift, in order: {'OK'} | {'REPLAY'}.
-- The call writes each (board, sender) row once for all its gifts (see lib/gift-boards.lua).
-- @include lib/gift-boards.lua
-- @include lib/batch.lua

local gifts, err = batch_items()
if not gifts then return err end
return boards_gifts(gifts)
