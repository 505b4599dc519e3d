-- stream-end: the creator ends a live stream, in its room's slot, and with it the stream's unended goal. The caller
-- then releases the creator's live pointer, drops the stream from the live list and forfeits the returned battle
-- (each step idempotent). Open streaks still end at their deadlines (lua/streak-claim-3.lua).
-- KEYS[1] stream:<id>   KEYS[2] goal:<gid> (the stream's unended goal as the caller read it; untouched when ARGV[1] is '')
-- ARGV[1] the stream's unended goal id as the caller read it ('' none)
-- Returns {'OK', battleId or ''} | {'NOT_FOUND'} | {'CONFLICT', 'already ended'}
--   | {'STALE'} (the stream's goal differs from ARGV[1]: re-read and retry; nothing changed)
-- @include lib/clock.lua
local k_stream, k_goal = KEYS[1], KEYS[2]
local goal_as_read = ARGV[1]

local s = redis.call('HMGET', k_stream, 'status', 'goalId')
if not s[1] then return { 'NOT_FOUND' } end
if s[1] ~= 'live' then return { 'CONFLICT', 'The stream has already ended.' } end
if (s[2] or '') ~= goal_as_read then return { 'STALE' } end
if goal_as_read ~= '' then
  redis.call('HSET', k_goal, 'status', 'ended')
  redis.call('HSET', k_stream, 'goalId', '')
end
redis.call('HSET', k_stream, 'status', 'ended', 'endedAt', tostring(clock_ms()))
return { 'OK', redis.call('HGET', k_stream, 'battleId') or '' }
