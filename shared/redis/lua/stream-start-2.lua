-- stream-start: creates a live stream's record, in its room's slot (the creator's live pointer was claimed first).
-- KEYS[1] stream:<id>   KEYS[2] webhooks:outbox (the stream's: `stream.started` is filed there)
-- ARGV[1] stream id   ARGV[2] creator id   ARGV[3] title   ARGV[4] webhook event id
-- Returns {'OK', startedAt} | {'REPLAY', startedAt} (this very stream already exists)
-- @include lib/clock.lua
-- @include lib/webhook-event.lua
local k_stream, k_webhooks = KEYS[1], KEYS[2]
local stream_id, creator_id, title, event_id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

if redis.call('EXISTS', k_stream) == 1 then return { 'REPLAY', redis.call('HGET', k_stream, 'startedAt') } end
local now_ms = clock_ms()
local now = tostring(now_ms)
redis.call('HSET', k_stream, 'id', stream_id, 'creatorId', creator_id, 'title', title, 'status', 'live',
  'startedAt', now, 'totalCoins', 0, 'giftCount', 0, 'seq', 0, 'battleId', '')
webhook_event(k_webhooks, event_id, 'stream.started', stream_id, now_ms)
return { 'OK', now }
