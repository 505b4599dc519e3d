-- stream-end: the creator ends a live stream, in its room's slot, and with it the stream's unended goal. The caller
-- then releases the creator's live pointer, drops the stream from the live list and forfeits the returned battle
-- (each step idempotent). Open streaks still end at their deadlines (lua/streak-claim-3.lua).
-- KEYS[1] stream:<id>   KEYS[2] goal:<gid> (the stream's unended goal as the caller read it; untouched when ARGV[1] is '')
-- KEYS[3] webhooks:outbox (the stream's: `stream.ended` is filed there)
-- ARGV[1] the stream's unended goal id as the caller read it ('' none)   ARGV[2] webhook event id
-- Returns {'OK', battleId or ''} | {'NOT_FOUND'} | {'CONFLICT', 'already ended'}
--   | {'STALE'} (the stream's goal differs from ARGV[1]: re-read and retry; nothing changed)
-- @include lib/clock.lua
-- @include lib/webhook-event.lua
local k_stream, k_goal, k_webhooks = KEYS[1], KEYS[2], KEYS[3]
local goal_as_read, event_id = ARGV[1], ARGV[2]

local s = redis.call('HMGET', k_stream, 'status', 'goalId')
if not s[1] then return { 'NOT_FOUND' } end
if s[1] ~= 'live' then return { 'CONFLICT', 'The stream has already ended.' } end
if (s[2] or '') ~= goal_as_read then return { 'STALE' } end
if goal_as_read ~= '' then
  redis.call('HSET', k_goal, 'status', 'ended')
  redis.call('HSET', k_stream, 'goalId', '')
end
local now = clock_ms()
redis.call('HSET', k_stream, 'status', 'ended', 'endedAt', tostring(now))
webhook_event(k_webhooks, event_id, 'stream.ended', redis.call('HGET', k_stream, 'id'), now)
return { 'OK', redis.call('HGET', k_stream, 'battleId') or '' }
