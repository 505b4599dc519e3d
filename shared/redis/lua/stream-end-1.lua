-- stream-end: the creator ends a live stream, in its room's slot. The caller then releases the creator's live
-- pointer, drops the stream from the live list and forfeits the returned battle (each step idempotent).
-- KEYS[1] stream:<id>
-- ARGV: none
-- Returns {'OK', battleId or ''} | {'NOT_FOUND'} | {'CONFLICT', 'already ended'}
-- @include lib/clock.lua
local k_stream = KEYS[1]

local status = redis.call('HGET', k_stream, 'status')
if not status then return { 'NOT_FOUND' } end
if status ~= 'live' then return { 'CONFLICT', 'The stream has already ended.' } end
redis.call('HSET', k_stream, 'status', 'ended', 'endedAt', tostring(clock_ms()))
return { 'OK', redis.call('HGET', k_stream, 'battleId') or '' }
