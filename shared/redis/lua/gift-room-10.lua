-- gift-room: the room phase of a gift, in its target's slot (a live stream today), idempotent by gift event id.
-- Checks the target exists, is live and is not the sender's own; then counts the gift: its streak (combo and the
-- streak's end deadline), totals, the stream's board, the stream's unended goal and, while a battle of this stream is
-- active by this Redis's clock, its side's score and MVP board.
-- KEYS[1] gift:<giftEventId> of the room (the verdict)   KEYS[2] the target (stream:<sid>)
-- KEYS[3] streaks (HASH of open streaks)   KEYS[4] lb (the stream's board)   KEYS[5] its :m
-- KEYS[6] battle:<bid> (this stream's side)   KEYS[7] lb:battle:<bid>   KEYS[8] its :m   (untouched when ARGV[8] is '')
-- KEYS[9] streaks:due (ZSET of streak deadlines)   KEYS[10] goal:<gid> (untouched when ARGV[13] is '')
-- ARGV[1] target kind ('stream')   ARGV[2] sender id   ARGV[3] count   ARGV[4] total coins   ARGV[5] streak gap (ms)
-- ARGV[6] verdict TTL (ms)   ARGV[7] the target's owner as the caller read it
-- ARGV[8] the stream's battle id as the caller read it ('' none)   ARGV[9] sender's display name
-- ARGV[10] catalog gift id   ARGV[11] gift name   ARGV[12] the gift's `at` (ms, its wallet phase)
-- ARGV[13] the stream's unended goal id as the caller read it ('' none)
-- Returns {'OK', combo, battleId ('' none), seq (the gift's order in the room), goalId (the goal it counted in,
--   '' none), reached ('1': this gift reached that goal, else '0')}
--   | {'REPLAY', verdict, combo, battleId, seq, goalId, reached}: this gift's room phase ran before (verdict 'OK' or an
--     error code)
--   | {'STALE'} (the stream's battle or goal differs from ARGV[8] or ARGV[13]: re-read and retry; nothing stored)
--   | {'NOT_FOUND'} | {'SELF_GIFT'} | {'STREAM_NOT_LIVE'} (stored: a rerun answers the same)
-- Safe to run twice: the verdict is stored in the same step as the counts.
-- @include lib/leaderboard.lua
-- @include lib/ints.lua
-- @include lib/clock.lua
-- @include lib/streak.lua
-- @include lib/goal.lua

local k_verdict, k_target, k_streaks, k_board, k_board_m = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local k_side, k_side_board, k_side_board_m, k_due, k_goal = KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10]
local target_kind, sender, count, total = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local streak_gap, verdict_ttl, owner_as_read, battle_as_read = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local sender_name, gift_id, gift_name, at, goal_as_read = ARGV[9], ARGV[10], ARGV[11], tonumber(ARGV[12]), ARGV[13]

local stored = redis.call('GET', k_verdict)
if stored then
  local v = cjson.decode(stored)
  return { 'REPLAY', v.v, v.combo, v.battleId, v.seq, v.goalId or '', v.reached or '0' }
end

local function refuse(code)
  redis.call('SET', k_verdict, cjson.encode({ v = code, combo = '0', battleId = '', seq = '0' }), 'PX', verdict_ttl)
  return { code }
end

if target_kind ~= 'stream' then return refuse('NOT_FOUND') end
local t = redis.call('HMGET', k_target, 'creatorId', 'status', 'battleId', 'battleStartedAt', 'battleEndsAt', 'goalId')
if not t[1] then return refuse('NOT_FOUND') end
if t[1] ~= owner_as_read then return { 'STALE' } end
if (t[3] or '') ~= battle_as_read then return { 'STALE' } end
if (t[6] or '') ~= goal_as_read then return { 'STALE' } end
if t[1] == sender then return refuse('SELF_GIFT') end
if t[2] ~= 'live' then return refuse('STREAM_NOT_LIVE') end

local now = clock_ms()
local battle_id = ''
if battle_as_read ~= '' and now >= int_of(t[4]) and now < int_of(t[5]) then battle_id = battle_as_read end

local seq = redis.call('HINCRBY', k_target, 'seq', 1)
local combo = streak_add(k_streaks, k_due, { sender = sender, sender_name = sender_name, gift_id = gift_id,
  gift_name = gift_name, count = tonumber(count), total = total, at = at, gap = tonumber(streak_gap) })
redis.call('HINCRBY', k_target, 'totalCoins', int_str(total))
redis.call('HINCRBY', k_target, 'giftCount', 1)
lb_add(k_board, k_board_m, sender, total, seq)
if battle_id ~= '' then
  redis.call('HINCRBY', k_side, 'score', int_str(total))
  lb_add(k_side_board, k_side_board_m, sender, total, seq)
end
local goal_id, reached = '', '0'
if goal_as_read ~= '' then
  local counted, now_reached = goal_add(k_goal, gift_id, total, at)
  if counted then goal_id = goal_as_read end
  if now_reached then reached = '1' end
end
redis.call('SET', k_verdict, cjson.encode({ v = 'OK', combo = int_str(combo), battleId = battle_id, seq = int_str(seq),
  goalId = goal_id, reached = reached }), 'PX', verdict_ttl)
return { 'OK', int_str(combo), battle_id, int_str(seq), goal_id, reached }
