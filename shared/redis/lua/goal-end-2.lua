-- goal-end: the creator ends their stream's goal, in the stream's slot; gifts stop counting into it at once.
-- KEYS[1] stream:<sid>   KEYS[2] goal:<gid>
-- ARGV[1] goal id   ARGV[2] caller's user id
-- Returns {'OK'} | {'REPLAY'} (it had ended already) | {'NOT_FOUND'} | {'FORBIDDEN'}
local k_stream, k_goal = KEYS[1], KEYS[2]
local goal_id, caller = ARGV[1], ARGV[2]

local status = redis.call('HGET', k_goal, 'status')
if not status then return { 'NOT_FOUND', 'No such goal.' } end
if redis.call('HGET', k_stream, 'creatorId') ~= caller then
  return { 'FORBIDDEN', "Only the stream's creator may end its goal." }
end
if redis.call('HGET', k_stream, 'goalId') == goal_id then redis.call('HSET', k_stream, 'goalId', '') end
if status == 'ended' then return { 'REPLAY' } end
redis.call('HSET', k_goal, 'status', 'ended')
return { 'OK' }
