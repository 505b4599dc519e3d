-- stream-end: the creator ends a live stream.
-- KEYS[1] stream:<id>   KEYS[2] creator:<uid>:live   KEYS[3] streams:live
-- ARGV[1] stream id   ARGV[2] now (ms)
-- Returns {'OK', battleId or ''} | {'NOT_FOUND'} | {'CONFLICT', 'already ended'}
-- The caller ends (forfeits) the returned battle, if any; ending a battle is idempotent.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return { 'NOT_FOUND' } end
if status ~= 'live' then return { 'CONFLICT', 'The stream has already ended.' } end
redis.call('HSET', KEYS[1], 'status', 'ended', 'endedAt', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('ZREM', KEYS[3], ARGV[1])
return { 'OK', redis.call('HGET', KEYS[1], 'battleId') or '' }
