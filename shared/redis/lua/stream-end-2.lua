-- stream-end: the creator ends a live stream, in its room's slot. The caller then releases the creator's live
-- pointer, drops the stream from the live list and forfeits the returned battle (each step idempotent).
-- KEYS[1] stream:<id>   KEYS[2] webhooks:outbox (the stream's: `stream.ended` is filed there)
-- ARGV[1] webhook event id
-- Returns {'OK', battleId or ''} | {'NOT_FOUND'} | {'CONFLICT', 'already ended'}
-- @include lib/clock.lua
-- @include lib/webhook-event.lua
local k_stream, k_webhooks = KEYS[1], KEYS[2]
local event_id = ARGV[1]

local status = redis.call('HGET', k_stream, 'status')
if not status then return { 'NOT_FOUND' } end
if status ~= 'live' then return { 'CONFLICT', 'The stream has already ended.' } end
local now = clock_ms()
redis.call('HSET', k_stream, 'status', 'ended', 'endedAt', tostring(now))
webhook_event(k_webhooks, event_id, 'stream.ended', redis.call('HGET', k_stream, 'id'), now)
return { 'OK', redis.call('HGET', k_stream, 'battleId') or '' }
