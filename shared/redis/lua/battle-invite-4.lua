-- battle-invite: the creator of stream A challenges stream B (status pending).
-- KEYS[1] battle:<id>   KEYS[2] stream:<A>   KEYS[3] stream:<B>   KEYS[4] battles:due
-- ARGV[1] battle id   ARGV[2] caller (user id)   ARGV[3] durationSec   ARGV[4] now (ms)   ARGV[5] invitation TTL (ms)
--   ARGV[6] '1' when the invitation throttle refuses it (applied after every other check)
-- Returns {'OK'} | {'REPLAY'} (this very battle id exists already: the write landed, ioredis re-sent it)
--   | {'NOT_FOUND', msg} | {'FORBIDDEN', msg} | {'STREAM_NOT_LIVE', msg} | {'CONFLICT', msg} | {'RATE_LIMITED', msg}
-- Checks in the contract's order: permission, existence, state, rate. Nothing is written before every check passed.
if redis.call('EXISTS', KEYS[1]) == 1 then return { 'REPLAY' } end
local a = redis.call('HMGET', KEYS[2], 'creatorId', 'status', 'battleId')
if not a[1] then return { 'NOT_FOUND', 'No such stream.' } end
if a[1] ~= ARGV[2] then return { 'FORBIDDEN', 'Only the creator of streamId may challenge.' } end
local b = redis.call('HMGET', KEYS[3], 'creatorId', 'status', 'battleId')
if not b[1] then return { 'NOT_FOUND', 'No such opponent stream.' } end
if a[2] ~= 'live' then return { 'STREAM_NOT_LIVE', 'Your stream has ended.' } end
if b[2] ~= 'live' then return { 'STREAM_NOT_LIVE', 'The opponent stream has ended.' } end
if a[1] == b[1] then return { 'FORBIDDEN', 'A creator cannot battle their own stream.' } end
if a[3] and a[3] ~= '' then return { 'CONFLICT', 'Your stream is already in a battle.' } end
if b[3] and b[3] ~= '' then return { 'CONFLICT', 'The opponent stream is already in a battle.' } end
if ARGV[6] == '1' then return { 'RATE_LIMITED', 'Too many battle invitations; try again later.' } end

local now = tonumber(ARGV[4])
local expires_at = now + tonumber(ARGV[5])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'pending', 'aStream', redis.call('HGET', KEYS[2], 'id'),
  'bStream', redis.call('HGET', KEYS[3], 'id'), 'aCreator', a[1], 'bCreator', b[1], 'durationSec', ARGV[3],
  'createdAt', now, 'expiresAt', expires_at, 'aScore', 0, 'bScore', 0, 'winnerStreamId', '', 'endReason', '')
redis.call('HSET', KEYS[2], 'battleId', ARGV[1])
redis.call('HSET', KEYS[3], 'battleId', ARGV[1])
redis.call('ZADD', KEYS[4], expires_at, ARGV[1])
return { 'OK' }
