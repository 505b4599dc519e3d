-- stream-start: creates a live stream's record, in its room's slot (the creator's live pointer was claimed first).
-- KEYS[1] stream:<id>
-- ARGV[1] stream id   ARGV[2] creator id   ARGV[3] title
-- Returns {'OK', startedAt} | {'REPLAY', startedAt} (this very stream already exists)
-- @include lib/clock.lua
local k_stream = KEYS[1]
local stream_id, creator_id, title = ARGV[1], ARGV[2], ARGV[3]

if redis.call('EXISTS', k_stream) == 1 then return { 'REPLAY', redis.call('HGET', k_stream, 'startedAt') } end
local now = tostring(clock_ms())
redis.call('HSET', k_stream, 'id', stream_id, 'creatorId', creator_id, 'title', title, 'status', 'live',
  'startedAt', now, 'totalCoins', 0, 'giftCount', 0, 'seq', 0, 'battleId', '')
return { 'OK', now }
