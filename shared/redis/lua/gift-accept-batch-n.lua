-- gift-accept-batch: every step of several gifts in one call, on a single Redis only (DESIGN.md: "On a single Redis
-- the two phases may be one script call"): the wallet phase of each gift (lib/gift-hold.lua), then the room phase of
-- those it held (lib/gift-room.lua), then the creator's boards of those the room counted (lib/gift-boards.lua), each
-- step exactly as its own script would run it after the step before. A Redis Cluster keeps the steps apart (each runs
-- in its own slot); so does a gift whose room phase did not count it here: the caller goes on with the steps' own
-- scripts, which are idempotent, so nothing is counted twice whichever script ran a step.
-- KEYS and ARGV: each gift's, packed as lib/batch.lua says. A gift's KEYS: gift-hold-6.lua's 6 KEYS, gift-room-11.lua's
--   11 KEYS, gift-boards-12.lua's 12 KEYS, then {streaks}:streams (the streak pollers' set of streams, which gets the
--   stream of every gift its room counted, in the same step as the streak deadline that gift may have written). A
--   gift's ARGV: gift-hold-6.lua's 14 ARGV, gift-room-11.lua's 14 ARGV (its sender name and acceptance time are the
--   wallet phase's: what is passed there is ignored), gift-boards-12.lua's 7 ARGV, and the UTC hour
--   (ms / 3,600,000) those boards' keys were chosen for
-- Returns one reply per gift, in order: { hold, room, boards }, where hold is gift-hold-6.lua's reply, room
--   gift-room-11.lua's (nil when the wallet phase did not hold the gift) and boards gift-boards-12.lua's (nil when
--   the room did not count the gift, or when the gift's acceptance time fell in another hour than the one its boards'
--   keys were chosen for: the caller then runs the boards step with the right keys).
-- @include lib/gift-hold.lua
-- @include lib/gift-room.lua
-- @include lib/gift-boards.lua
-- @include lib/batch.lua

local HOLD_KEYS, ROOM_KEYS, BOARDS_KEYS, HOLD_ARGS, ROOM_ARGS, BOARDS_ARGS = 6, 11, 12, 14, 14, 7
local ROOM_SENDER_NAME, ROOM_AT = 9, 12 -- gift-room-11.lua's ARGV that the wallet phase decides
local HOLD_TARGET = 6 -- gift-hold-6.lua's ARGV: the stream
local HOUR_MS = 3600000
-- a gift's last key and last argument: the streak pollers' set, and the hour its boards' keys were chosen for
local STREAK_STREAMS, HOUR = HOLD_KEYS + ROOM_KEYS + BOARDS_KEYS + 1, HOLD_ARGS + ROOM_ARGS + BOARDS_ARGS + 1

local gifts, err = batch_items()
if not gifts then return err end

-- each step's KEYS and ARGV are taken straight from the gift's, one copy per step
local replies, rooms, room_gift, boards, boards_gift, indexed = {}, {}, {}, {}, {}, {}
for i, g in ipairs(gifts) do
  local K, A = g[1], g[2]
  local hold = hold_gift({ unpack(K, 1, HOLD_KEYS) }, { unpack(A, 1, HOLD_ARGS) })
  replies[i] = { hold, false, false }
  if hold[1] == 'OK' then
    local room_args = { unpack(A, HOLD_ARGS + 1, HOLD_ARGS + ROOM_ARGS) }
    room_args[ROOM_AT], room_args[ROOM_SENDER_NAME] = hold[2], hold[5]
    rooms[#rooms + 1] = { { unpack(K, HOLD_KEYS + 1, HOLD_KEYS + ROOM_KEYS) }, room_args }
    room_gift[#rooms] = i
  end
end
if #rooms == 0 then return replies end

for j, room in ipairs(room_gifts(rooms)) do
  local i = room_gift[j]
  local K, A = gifts[i][1], gifts[i][2]
  replies[i][2] = room
  local counted = room[1] == 'OK' or (room[1] == 'REPLAY' and room[2] == 'OK')
  local stream = A[HOLD_TARGET]
  if counted and not indexed[stream] then
    redis.call('SADD', K[STREAK_STREAMS], stream)
    indexed[stream] = true
  end
  local at = tonumber(replies[i][1][2])
  if counted and math.floor(at / HOUR_MS) == tonumber(A[HOUR]) then
    local k_from, a_from = HOLD_KEYS + ROOM_KEYS, HOLD_ARGS + ROOM_ARGS
    boards[#boards + 1] = { { unpack(K, k_from + 1, k_from + BOARDS_KEYS) },
      { unpack(A, a_from + 1, a_from + BOARDS_ARGS) } }
    boards_gift[#boards] = i
  end
end
if #boards > 0 then
  for j, reply in ipairs(boards_gifts(boards)) do replies[boards_gift[j]][3] = reply end
end
return replies
