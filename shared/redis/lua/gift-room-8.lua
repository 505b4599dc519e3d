-- gift-room: the room phase of a gift, in its target's slot (a live stream today), idempotent by gift event id.
-- Checks the target exists, is live and is not the sender's own; then counts the gift: combo, totals, the stream's
-- board and, while a battle of this stream is active by this Redis's clock, its side's score and MVP board.
-- KEYS[1] gift:<giftEventId> of the room (the verdict)   KEYS[2] the target (stream:<sid>)
-- KEYS[3] streak:<sender>:<giftId>   KEYS[4] lb (the stream's board)   KEYS[5] its :m
-- KEYS[6] battle:<bid> (this stream's side)   KEYS[7] lb:battle:<bid>   KEYS[8] its :m   (untouched when ARGV[8] is '')
-- ARGV[1] target kind ('stream')   ARGV[2] sender id   ARGV[3] count   ARGV[4] total coins   ARGV[5] streak gap (ms)
-- ARGV[6] verdict TTL (ms)   ARGV[7] the target's owner as the caller read it
-- ARGV[8] the stream's battle id as the caller read it ('' none)
-- Returns {'OK', combo, battleId ('' none), seq (the gift's order in the room)}
--   | {'REPLAY', verdict, combo, battleId, seq}: this gift's room phase ran before (verdict 'OK' or an error code)
--   | {'STALE'} (the stream's battle differs from ARGV[8]: re-read and retry; nothing stored)
--   | {'NOT_FOUND'} | {'SELF_GIFT'} | {'STREAM_NOT_LIVE'} (stored: a rerun answers the same)
-- Safe to run twice: the verdict is stored in the same step as the counts.
-- @include lib/leaderboard.lua
-- @include lib/ints.lua
-- @include lib/clock.lua

local k_verdict, k_target, k_streak, k_board, k_board_m = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local k_side, k_side_board, k_side_board_m = KEYS[6], KEYS[7], KEYS[8]
local target_kind, sender, count, total = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local streak_gap, verdict_ttl, owner_as_read, battle_as_read = ARGV[5], ARGV[6], ARGV[7], ARGV[8]

local stored = redis.call('GET', k_verdict)
if stored then
  local v = cjson.decode(stored)
  return { 'REPLAY', v.v, v.combo, v.battleId, v.seq }
end

local function refuse(code)
  redis.call('SET', k_verdict, cjson.encode({ v = code, combo = '0', battleId = '', seq = '0' }), 'PX', verdict_ttl)
  return { code }
end

if target_kind ~= 'stream' then return refuse('NOT_FOUND') end
local t = redis.call('HMGET', k_target, 'creatorId', 'status', 'battleId', 'battleStartedAt', 'battleEndsAt')
if not t[1] then return refuse('NOT_FOUND') end
if t[1] ~= owner_as_read then return { 'STALE' } end
if (t[3] or '') ~= battle_as_read then return { 'STALE' } end
if t[1] == sender then return refuse('SELF_GIFT') end
if t[2] ~= 'live' then return refuse('STREAM_NOT_LIVE') end

local now = clock_ms()
local battle_id = ''
if battle_as_read ~= '' and now >= int_of(t[4]) and now < int_of(t[5]) then battle_id = battle_as_read end

local seq = redis.call('HINCRBY', k_target, 'seq', 1)
local combo = redis.call('INCRBY', k_streak, count)
redis.call('PEXPIRE', k_streak, streak_gap)
redis.call('HINCRBY', k_target, 'totalCoins', int_str(total))
redis.call('HINCRBY', k_target, 'giftCount', 1)
lb_add(k_board, k_board_m, sender, total, seq)
if battle_id ~= '' then
  redis.call('HINCRBY', k_side, 'score', int_str(total))
  lb_add(k_side_board, k_side_board_m, sender, total, seq)
end
redis.call('SET', k_verdict,
  cjson.encode({ v = 'OK', combo = int_str(combo), battleId = battle_id, seq = int_str(seq) }), 'PX', verdict_ttl)
return { 'OK', int_str(combo), battle_id, int_str(seq) }
