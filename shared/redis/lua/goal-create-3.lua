-- goal-create: the creator sets a goal on their live stream, in the stream's slot, so that the gifts' room phases
-- (lua/gift-room-11.lua) count into it from this Redis's `now` on. One unended goal per stream.
-- KEYS[1] stream:<sid>   KEYS[2] goal:<gid>   KEYS[3] goals (ZSET of the stream's goal ids by creation)
-- ARGV[1] goal id   ARGV[2] stream id   ARGV[3] caller's user id   ARGV[4] title   ARGV[5] target coins
-- ARGV[6] catalog gift id ('' every gift counts)
-- Returns {'OK', createdAt} | {'NOT_FOUND'} | {'FORBIDDEN'} | {'STREAM_NOT_LIVE'} | {'CONFLICT', detail}
-- @include lib/clock.lua
local k_stream, k_goal, k_goals = KEYS[1], KEYS[2], KEYS[3]
local goal_id, stream_id, caller, title, target, gift_id = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]

local s = redis.call('HMGET', k_stream, 'creatorId', 'status', 'goalId')
if not s[1] then return { 'NOT_FOUND' } end
if s[1] ~= caller then return { 'FORBIDDEN', "Only the stream's creator may set its goal." } end
if s[2] ~= 'live' then return { 'STREAM_NOT_LIVE' } end
if (s[3] or '') ~= '' then return { 'CONFLICT', 'The stream already has a goal that has not ended.' } end

local now = clock_ms()
redis.call('HSET', k_goal, 'id', goal_id, 'streamId', stream_id, 'title', title, 'targetCoins', target,
  'giftId', gift_id, 'progressCoins', '0', 'status', 'active', 'createdAt', tostring(now), 'reachedAt', '')
redis.call('ZADD', k_goals, now, goal_id)
redis.call('HSET', k_stream, 'goalId', goal_id)
return { 'OK', tostring(now) }
