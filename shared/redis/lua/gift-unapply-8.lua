-- gift-unapply: takes a voided gift back out of its room, in the stream's slot, once per gift event id: the stream's
-- totals, its board, the goal it counted in (its progress only: a reached goal stays reached) and, when the gift
-- counted in a battle, that side's score and MVP board. A voided gift's streak has been or will be announced as it
-- was: streak ends are not rewound. A gift whose room phase never ran gets a refusal verdict instead, so that it
-- never counts later.
-- KEYS[1] gift:<giftEventId> of the room (the verdict)   KEYS[2] stream:<sid>   KEYS[3] lb (the stream's board)
-- KEYS[4] its :m   KEYS[5] battle:<bid> (the side)   KEYS[6] lb:battle:<bid>   KEYS[7] its :m
-- KEYS[8] goal:<gid> (the goal the verdict counted the gift in; untouched when ARGV[5] is '')
-- ARGV[1] sender id   ARGV[2] total coins   ARGV[3] verdict TTL (ms)   ARGV[4] the verdict's battle id as read ('')
-- ARGV[5] the verdict's goal id as read ('')
-- Returns {'OK'} | {'REPLAY'} (taken back before, or never counted) | {'STALE'} (the verdict's battle or goal differs
--   from ARGV[4] or ARGV[5]: re-read and retry). Safe to run twice: the verdict records the unapply.
-- @include lib/leaderboard.lua
-- @include lib/ints.lua
local k_verdict, k_stream, k_board, k_board_m, k_side, k_side_board, k_side_board_m, k_goal =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local sender, total, verdict_ttl, battle_as_read, goal_as_read = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]

local stored = redis.call('GET', k_verdict)
if not stored then
  redis.call('SET', k_verdict, cjson.encode({ v = 'VOIDED', combo = '0', battleId = '', seq = '0', u = '1' }),
    'PX', verdict_ttl)
  return { 'REPLAY' }
end
local v = cjson.decode(stored)
if v.u == '1' or v.v ~= 'OK' then return { 'REPLAY' } end
if (v.battleId or '') ~= battle_as_read then return { 'STALE' } end
if (v.goalId or '') ~= goal_as_read then return { 'STALE' } end

redis.call('HINCRBY', k_stream, 'totalCoins', int_str(-total))
redis.call('HINCRBY', k_stream, 'giftCount', -1)
lb_sub(k_board, k_board_m, sender, total)
if battle_as_read ~= '' then
  redis.call('HINCRBY', k_side, 'score', int_str(-total))
  lb_sub(k_side_board, k_side_board_m, sender, total)
end
if goal_as_read ~= '' and redis.call('EXISTS', k_goal) == 1 then
  redis.call('HINCRBY', k_goal, 'progressCoins', int_str(-total))
end
v.u = '1'
redis.call('SET', k_verdict, cjson.encode(v), 'KEEPTTL')
return { 'OK' }
